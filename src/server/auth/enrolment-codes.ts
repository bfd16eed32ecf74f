/**
 * Issuing a personal enrolment code: the roster API and the operator CLI
 * both store it the same way (only its hash, single use, expiring) and hand
 * out the same link.
 */
import type { Db } from '../sync/store';
import { formatEnrolmentCode, newEnrolmentCode, sha256Hex } from './tokens';

export interface IssuedCode {
  /** As typed: 12 characters, in groups of four. */
  display: string;
  /** Raw, for the link. */
  code: string;
  expiresAt: string;
}

export async function issueEnrolmentCode(
  db: Db,
  participantId: string,
  ttlHours: number,
  now: Date,
): Promise<IssuedCode> {
  const code = newEnrolmentCode();
  const expiresAt = new Date(now.getTime() + ttlHours * 3600_000).toISOString();
  await db
    .insertInto('enrolment_codes')
    .values({
      code_hash: sha256Hex(code),
      participant_id: participantId,
      created_at: now.toISOString(),
      expires_at: expiresAt,
      used_at: null,
      device_id: null,
    })
    .execute();
  return { display: formatEnrolmentCode(code), code, expiresAt };
}

/** The code rides in the fragment, which browsers never send to a server or log. */
export function enrolmentLink(origin: string, code: string): string {
  return `${origin.replace(/\/+$/, '')}/enrol#code=${code}`;
}
