/**
 * The coordinators' second factor (ASVS 5.0 V6.5, V6.6): TOTP (RFC 6238,
 * SHA-1, 6 digits, 30 s, one step of clock drift either way) through the
 * otpauth library, set up by scanning a QR code of the otpauth:// URI and
 * confirmed with a first code before it counts. A code's time step is kept,
 * so a code seen over someone's shoulder cannot be used again (V6.5.1).
 * Ten recovery codes of 80 bits each are shown once and stored as SHA-256
 * (their entropy makes a slow hash pointless); each works once.
 */
import { randomBytes } from 'node:crypto';
import * as OTPAuth from 'otpauth';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { Db } from '../sync/store';
import { sha256Hex } from './tokens';

const ISSUER = 'Vaka';
const PERIOD_SECONDS = 30;
export const RECOVERY_CODE_COUNT = 10;
/** Wrong codes one session may try before it is ended (on top of the per-address rate limit). */
export const MAX_SECOND_FACTOR_FAILURES = 5;

function totp(secret: string, email: string): OTPAuth.TOTP {
  return new OTPAuth.TOTP({
    issuer: ISSUER,
    label: email,
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD_SECONDS,
    secret: OTPAuth.Secret.fromBase32(secret),
  });
}

/** The time step a code is valid for, or null when it is wrong at `now`. */
export function totpStep(secret: string, email: string, code: string, now: Date): number | null {
  const token = code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(token)) return null;
  const delta = totp(secret, email).validate({ token, timestamp: now.getTime(), window: 1 });
  return delta === null ? null : Math.floor(now.getTime() / 1000 / PERIOD_SECONDS) + delta;
}

/** Recovery codes as people copy them: lower-case, in groups of four, dashes and case ignored when typed. */
function normalizeRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[^0-9a-z]/g, '');
}

function newRecoveryCode(): string {
  // 10 bytes of base32 = 16 characters = 80 bits.
  const raw = OTPAuth.Secret.fromHex(randomBytes(10).toString('hex')).base32.toLowerCase();
  return raw.match(/.{4}/g)!.join('-');
}

export interface SecondFactorSetup {
  secret: string;
  otpauthUri: string;
}

/** Draws a secret to show as a QR code; it counts only once confirmed with a code. */
export async function beginSetup(db: Db, coordinatorId: string, email: string): Promise<SecondFactorSetup> {
  const secret = new OTPAuth.Secret({ size: 20 }).base32;
  await db.updateTable('coordinators').set({ totp_pending_secret: secret }).where('id', '=', coordinatorId).execute();
  return { secret, otpauthUri: totp(secret, email).toString() };
}

/**
 * Confirms the pending secret with a code from the app, makes it the
 * second factor and returns fresh recovery codes (the old ones stop
 * working); null when the code is wrong or no set-up was begun.
 */
export async function confirmSetup(
  db: Kysely<Database>,
  coordinatorId: string,
  email: string,
  code: string,
  now: Date,
): Promise<string[] | null> {
  const account = await db
    .selectFrom('coordinators')
    .select('totp_pending_secret')
    .where('id', '=', coordinatorId)
    .executeTakeFirst();
  const secret = account?.totp_pending_secret;
  if (!secret) return null;
  const step = totpStep(secret, email, code, now);
  if (step === null) return null;
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('coordinators')
      .set({ totp_secret: secret, totp_pending_secret: null, totp_last_step: step })
      .where('id', '=', coordinatorId)
      .execute();
    await trx.deleteFrom('coordinator_recovery_codes').where('coordinator_id', '=', coordinatorId).execute();
    await trx
      .insertInto('coordinator_recovery_codes')
      .values(
        codes.map((c) => ({
          coordinator_id: coordinatorId,
          code_hash: sha256Hex(normalizeRecoveryCode(c)),
          used_at: null,
        })),
      )
      .execute();
  });
  return codes;
}

/**
 * Checks a TOTP code (never one whose step was already accepted) or, failing
 * that, a recovery code, which is used up. The step and the recovery code
 * are claimed with a conditional update, so two requests racing with one
 * code get one success.
 */
export async function verifySecondFactor(
  db: Db,
  coordinatorId: string,
  code: string,
  now: Date,
): Promise<'totp' | 'recovery_code' | null> {
  const account = await db
    .selectFrom('coordinators')
    .select(['email', 'totp_secret', 'totp_last_step'])
    .where('id', '=', coordinatorId)
    .executeTakeFirst();
  if (!account?.totp_secret) return null;
  const step = totpStep(account.totp_secret, account.email, code, now);
  if (step !== null) {
    const claimed = await db
      .updateTable('coordinators')
      .set({ totp_last_step: step })
      .where('id', '=', coordinatorId)
      .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
      .executeTakeFirst();
    return Number(claimed.numUpdatedRows) === 1 ? 'totp' : null;
  }
  const normalized = normalizeRecoveryCode(code);
  if (normalized.length !== 16) return null;
  const used = await db
    .updateTable('coordinator_recovery_codes')
    .set({ used_at: now.toISOString() })
    .where('coordinator_id', '=', coordinatorId)
    .where('code_hash', '=', sha256Hex(normalized))
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(used.numUpdatedRows) === 1 ? 'recovery_code' : null;
}

/** How many recovery codes are left unused. */
export async function recoveryCodesLeft(db: Db, coordinatorId: string): Promise<number> {
  const row = await db
    .selectFrom('coordinator_recovery_codes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('coordinator_id', '=', coordinatorId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * The operator's reset, for a coordinator who lost both the app and the
 * recovery codes: the second factor and its codes are removed and every
 * session ends. Returns false when there is no such account.
 */
export async function resetSecondFactor(db: Kysely<Database>, email: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const account = await trx.selectFrom('coordinators').select('id').where('email', '=', email).executeTakeFirst();
    if (!account) return false;
    await trx
      .updateTable('coordinators')
      .set({ totp_secret: null, totp_pending_secret: null, totp_last_step: null })
      .where('id', '=', account.id)
      .execute();
    await trx.deleteFrom('coordinator_recovery_codes').where('coordinator_id', '=', account.id).execute();
    await trx.deleteFrom('coordinator_sessions').where('coordinator_id', '=', account.id).execute();
    return true;
  });
}
