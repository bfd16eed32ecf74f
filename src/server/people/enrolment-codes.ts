/**
 * Personal enrolment codes: issued for a participant by the roster API, the
 * operator CLI and the demo seed alike (only the hash is stored, single
 * use, expiring), handed out in the same link, and traded once for a device
 * token. The code's length and alphabet are in shared/domain/enrolment-code.ts.
 */
import { randomUUID } from 'node:crypto';
import { formatEnrolmentCode } from '../../shared/domain/enrolment-code';
import type { Db } from '../sync/store';
import type { Database } from '../db/schema';
import type { Kysely } from 'kysely';
import { DEVICE_TOKEN_PREFIX, newEnrolmentCode, newToken, sha256Hex } from '../auth/tokens';

export interface IssuedCode {
  /** As typed: in groups of four. */
  display: string;
  /** Raw, for the link. */
  code: string;
  expiresAt: string;
}

/** Stores a fresh code for a participant known to exist (callers check, or have just created them). */
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

/** Issues a code for a stored participant; null when there is no participant with this id. */
export async function issueEnrolmentCodeFor(
  db: Db,
  participantId: string,
  ttlHours: number,
  now: Date,
): Promise<IssuedCode | null> {
  const participant = await db
    .selectFrom('records')
    .select('id')
    .where('id', '=', participantId)
    .where('collection', '=', 'participants')
    .executeTakeFirst();
  return participant ? issueEnrolmentCode(db, participantId, ttlHours, now) : null;
}

/** The code rides in the fragment, which browsers never send to a server or log. */
export function enrolmentLink(origin: string, code: string): string {
  return `${origin.replace(/\/+$/, '')}/enrol#code=${code}`;
}

export interface EnrolledDevice {
  deviceId: string;
  deviceToken: string;
  participantId: string;
  workshopIds: string[];
}

export type Redemption =
  | { kind: 'ok'; device: EnrolledDevice }
  | { kind: 'unknown' }
  | { kind: 'used'; participantId: string }
  | { kind: 'expired'; participantId: string };

/**
 * Trades a code for a new device and its token. The code is marked used in
 * the same transaction that creates the device, so two phones racing with
 * one code get one device.
 */
export async function redeemEnrolmentCode(
  db: Kysely<Database>,
  code: string,
  deviceName: string,
  now: string,
): Promise<Redemption> {
  const codeHash = sha256Hex(code);
  return db.transaction().execute(async (trx): Promise<Redemption> => {
    const stored = await trx
      .selectFrom('enrolment_codes')
      .selectAll()
      .where('code_hash', '=', codeHash)
      .executeTakeFirst();
    if (!stored) return { kind: 'unknown' };
    const participantId = stored.participant_id;
    if (stored.used_at) return { kind: 'used', participantId };
    if (stored.expires_at <= now) return { kind: 'expired', participantId };
    const claimed = await trx
      .updateTable('enrolment_codes')
      .set({ used_at: now })
      .where('code_hash', '=', codeHash)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) return { kind: 'used', participantId };
    const deviceId = randomUUID();
    const token = newToken(DEVICE_TOKEN_PREFIX);
    await trx
      .insertInto('devices')
      .values({
        id: deviceId,
        participant_id: participantId,
        token_hash: sha256Hex(token),
        name: deviceName,
        last_mid: 0,
        created_at: now,
        last_seen_at: now,
        revoked_at: null,
      })
      .execute();
    await trx.updateTable('enrolment_codes').set({ device_id: deviceId }).where('code_hash', '=', codeHash).execute();
    const roster = await trx
      .selectFrom('roster')
      .select('workshop_id')
      .where('participant_id', '=', participantId)
      .execute();
    return {
      kind: 'ok',
      device: { deviceId, deviceToken: token, participantId, workshopIds: roster.map((r) => r.workshop_id) },
    };
  });
}
