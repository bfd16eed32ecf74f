/**
 * Enrolment codes issued in this session, kept in memory only: a code is a
 * single-use key to a participant's records, so it is never written to
 * storage. It lives long enough to move from the roster to the printable
 * QR sheet; the server can always issue a fresh one.
 */
import { useSyncExternalStore } from 'react';
import { apiRequest } from '../core/api';
import type { EnrolmentCode } from '../core/types';

let codes = new Map<string, EnrolmentCode>();
const listeners = new Set<() => void>();

function publish(next: Map<string, EnrolmentCode>): void {
  codes = next;
  for (const l of listeners) l();
}

export async function issueCode(participantId: string): Promise<EnrolmentCode> {
  const code = await apiRequest<EnrolmentCode>('POST', `/participants/${participantId}/enrolment-codes`);
  publish(new Map(codes).set(participantId, code));
  return code;
}

export function forgetCodes(): void {
  publish(new Map());
}

export function useIssuedCodes(): ReadonlyMap<string, EnrolmentCode> {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => codes,
  );
}
