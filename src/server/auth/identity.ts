/**
 * Who is calling: an enrolled device (acting for one participant), a
 * signed-in coordinator, a coordinator who still owes the second factor, or
 * nobody. Resolved from the Authorization header on every request; never
 * from a URL. A coordinator session idle for longer than the idle timeout is
 * expired; any other request to the API moves its idle clock on.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { DeviceContext } from '../sync/apply';
import { DEVICE_TOKEN_PREFIX, SESSION_TOKEN_PREFIX, bearerToken, sha256Hex } from './tokens';

export type Caller =
  | { kind: 'anonymous' }
  | { kind: 'device'; device: DeviceContext }
  | { kind: 'coordinator'; coordinatorId: string; email: string }
  /** Signed in with the password, but the second factor is still to verify or set up: no coordinator route answers. */
  | { kind: 'coordinator_unverified'; coordinatorId: string; email: string; step: 'verify' | 'setup' }
  | {
      kind: 'invalid';
      reason: 'unauthorized' | 'revoked' | 'expired';
      /** Who the revoked device or expired session belonged to, for the security log (never the token). */
      deviceId?: string;
      coordinatorId?: string;
    };

export async function resolveCaller(
  db: Kysely<Database>,
  authorization: string | undefined,
  now: string,
  idleMinutes: number,
): Promise<Caller> {
  const token = bearerToken(authorization);
  if (!token) return authorization ? { kind: 'invalid', reason: 'unauthorized' } : { kind: 'anonymous' };
  const hash = sha256Hex(token);
  if (token.startsWith(DEVICE_TOKEN_PREFIX)) {
    const device = await db.selectFrom('devices').selectAll().where('token_hash', '=', hash).executeTakeFirst();
    if (!device) return { kind: 'invalid', reason: 'unauthorized' };
    if (device.revoked_at) return { kind: 'invalid', reason: 'revoked', deviceId: device.id };
    const roster = await db
      .selectFrom('roster')
      .select('workshop_id')
      .where('participant_id', '=', device.participant_id)
      .execute();
    return {
      kind: 'device',
      device: {
        deviceId: device.id,
        participantId: device.participant_id,
        workshopIds: new Set(roster.map((r) => r.workshop_id)),
      },
    };
  }
  if (token.startsWith(SESSION_TOKEN_PREFIX)) {
    const session = await db
      .selectFrom('coordinator_sessions')
      .innerJoin('coordinators', 'coordinators.id', 'coordinator_sessions.coordinator_id')
      .select([
        'coordinators.id',
        'coordinators.email',
        'coordinators.disabled_at',
        'coordinator_sessions.created_at',
        'coordinator_sessions.expires_at',
        'coordinator_sessions.last_seen_at',
        'coordinator_sessions.second_factor',
      ])
      .where('coordinator_sessions.token_hash', '=', hash)
      .executeTakeFirst();
    if (!session || session.disabled_at) return { kind: 'invalid', reason: 'unauthorized' };
    const idleUntil = new Date(
      new Date(session.last_seen_at ?? session.created_at).getTime() + idleMinutes * 60_000,
    ).toISOString();
    if (session.expires_at <= now || idleUntil <= now)
      return { kind: 'invalid', reason: 'expired', coordinatorId: session.id };
    await db.updateTable('coordinator_sessions').set({ last_seen_at: now }).where('token_hash', '=', hash).execute();
    if (session.second_factor === 'verify' || session.second_factor === 'setup')
      return {
        kind: 'coordinator_unverified',
        coordinatorId: session.id,
        email: session.email,
        step: session.second_factor,
      };
    return { kind: 'coordinator', coordinatorId: session.id, email: session.email };
  }
  return { kind: 'invalid', reason: 'unauthorized' };
}
