/** The API's error body and the few answers every route shares. */
import type { FastifyReply } from 'fastify';
import { ApiError } from '../../shared/sync/protocol';
import type { Caller } from '../auth/identity';

export { ApiError };

export const errorResponses = {
  400: ApiError,
  401: ApiError,
  403: ApiError,
  404: ApiError,
  429: ApiError,
  503: ApiError,
} as const;

export function sendError(reply: FastifyReply, status: number, error: string, message: string) {
  return reply.code(status).send({ error, message });
}

/** Rejects invalid tokens with a 401 that tells a revoked device to forget its participant's data. */
export function rejectInvalid(reply: FastifyReply, caller: Caller): boolean {
  if (caller.kind !== 'invalid') return false;
  const messages = {
    unauthorized: 'This device or session is not recognised. Enrol again or sign in.',
    revoked: 'This device was revoked by a coordinator. Its personal data has been removed; enrol again to continue.',
    expired: 'Your session has expired. Sign in again.',
  } as const;
  void sendError(reply, 401, caller.reason, messages[caller.reason]);
  return true;
}

export function requireCoordinator(
  reply: FastifyReply,
  caller: Caller,
): caller is Extract<Caller, { kind: 'coordinator' }> {
  if (rejectInvalid(reply, caller)) return false;
  if (caller.kind === 'coordinator_unverified') {
    void sendError(
      reply,
      401,
      'second_factor_required',
      caller.step === 'setup'
        ? 'Set up a second factor before you continue.'
        : 'Enter the code from your authenticator app before you continue.',
    );
    return false;
  }
  if (caller.kind !== 'coordinator') {
    void sendError(
      reply,
      caller.kind === 'anonymous' ? 401 : 403,
      'forbidden',
      'Only a signed-in coordinator can do this.',
    );
    return false;
  }
  return true;
}
