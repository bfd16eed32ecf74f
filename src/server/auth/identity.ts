/**
 * Who is calling: an enrolled device (acting for one participant), a
 * signed-in coordinator, or nobody. Resolved from the Authorization header
 * on every request; never from a URL.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { DeviceContext } from '../sync/apply';
import { DEVICE_TOKEN_PREFIX, SESSION_TOKEN_PREFIX, bearerToken, sha256Hex } from './tokens';

export type Caller =
  | { kind: 'anonymous' }
  | { kind: 'device'; device: DeviceContext }
  | { kind: 'coordinator'; coordinatorId: string; email: string }
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
      .select(['coordinators.id', 'coordinators.email', 'coordinators.disabled_at', 'coordinator_sessions.expires_at'])
      .where('coordinator_sessions.token_hash', '=', hash)
      .executeTakeFirst();
    if (!session || session.disabled_at) return { kind: 'invalid', reason: 'unauthorized' };
    if (session.expires_at <= now) return { kind: 'invalid', reason: 'expired', coordinatorId: session.id };
    return { kind: 'coordinator', coordinatorId: session.id, email: session.email };
  }
  return { kind: 'invalid', reason: 'unauthorized' };
}
