/**
 * Coordinator sign-in, sessions and passwords. Sessions are opaque random
 * tokens stored only as their SHA-256; an unknown account is checked against
 * a real hash too, so response times do not reveal which e-mail addresses
 * exist. A session ends after an idle time and, however active, after an
 * absolute lifetime (ASVS 5.0 V7.3.1, V7.3.2; the idle check is in
 * identity.ts). A session opened with a password alone is not yet a
 * coordinator's when a second factor is set up or required: it must first
 * pass `second_factor` ('verify' or 'setup', second-factor.ts).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { Db } from '../sync/store';
import { passwordProblem, type PasswordProblem } from './passwords';
import { SESSION_TOKEN_PREFIX, hashPassword, newToken, sha256Hex, verifyPassword } from './tokens';

let dummyHash: Promise<string> | null = null;

export type SecondFactorStep = 'done' | 'verify' | 'setup';

export interface SessionPolicy {
  /** COORDINATOR_MFA */
  mfa: 'required' | 'optional';
  /** Absolute lifetime. */
  sessionHours: number;
}

export type SignIn =
  | {
      kind: 'ok';
      coordinatorId: string;
      name: string;
      token: string;
      expiresAt: string;
      secondFactor: SecondFactorStep;
    }
  | { kind: 'refused'; reason: 'unknown_account' | 'account_disabled' | 'wrong_password'; coordinatorId?: string };

/** Checks an e-mail address (lower-case) and password and opens a session. */
export async function signIn(
  db: Db,
  email: string,
  password: string,
  now: Date,
  policy: SessionPolicy,
): Promise<SignIn> {
  const account = await db.selectFrom('coordinators').selectAll().where('email', '=', email).executeTakeFirst();
  dummyHash ??= hashPassword('not-a-real-password');
  const ok =
    account && !account.disabled_at
      ? await verifyPassword(account.password_hash, password)
      : (await verifyPassword(await dummyHash, password), false);
  if (!ok || !account) {
    return {
      kind: 'refused',
      reason: !account ? 'unknown_account' : account.disabled_at ? 'account_disabled' : 'wrong_password',
      ...(account ? { coordinatorId: account.id } : {}),
    };
  }
  const secondFactor: SecondFactorStep = account.totp_secret ? 'verify' : policy.mfa === 'required' ? 'setup' : 'done';
  const token = newToken(SESSION_TOKEN_PREFIX);
  const expiresAt = new Date(now.getTime() + policy.sessionHours * 3600_000).toISOString();
  await db
    .insertInto('coordinator_sessions')
    .values({
      token_hash: sha256Hex(token),
      coordinator_id: account.id,
      created_at: now.toISOString(),
      expires_at: expiresAt,
      last_seen_at: now.toISOString(),
      second_factor: secondFactor,
    })
    .execute();
  return { kind: 'ok', coordinatorId: account.id, name: account.name, token, expiresAt, secondFactor };
}

/** Ends the session of this token; false when there was none. */
export async function signOut(db: Db, token: string): Promise<boolean> {
  const ended = await db
    .deleteFrom('coordinator_sessions')
    .where('token_hash', '=', sha256Hex(token))
    .executeTakeFirst();
  return Number(ended.numDeletedRows) > 0;
}

/** Marks the session of this token as having passed the second factor. */
export async function passSecondFactor(db: Db, token: string): Promise<void> {
  await db
    .updateTable('coordinator_sessions')
    .set({ second_factor: 'done', second_factor_failures: 0 })
    .where('token_hash', '=', sha256Hex(token))
    .execute();
}

/** Counts a wrong code against the session; true when that was one too many and the session was ended. */
export async function failSecondFactor(db: Kysely<Database>, token: string, maxFailures: number): Promise<boolean> {
  const hash = sha256Hex(token);
  return db.transaction().execute(async (trx) => {
    await trx
      .updateTable('coordinator_sessions')
      .set((eb) => ({ second_factor_failures: eb('second_factor_failures', '+', 1) }))
      .where('token_hash', '=', hash)
      .execute();
    const row = await trx
      .selectFrom('coordinator_sessions')
      .select('second_factor_failures')
      .where('token_hash', '=', hash)
      .executeTakeFirst();
    if (!row || row.second_factor_failures < maxFailures) return false;
    await trx.deleteFrom('coordinator_sessions').where('token_hash', '=', hash).execute();
    return true;
  });
}

export type PasswordChange = { kind: 'ok' } | { kind: 'wrong_password' } | { kind: 'weak'; problem: PasswordProblem };

/**
 * The coordinator's own change, with the current password asked again
 * (ASVS 5.0 V6.2.2, V6.2.3). Every other session of the account ends
 * (V7.4.3); the one that asked stays open.
 */
export async function changePassword(
  db: Kysely<Database>,
  coordinatorId: string,
  keepToken: string,
  current: string,
  next: string,
  now: Date,
): Promise<PasswordChange> {
  const account = await db
    .selectFrom('coordinators')
    .select(['email', 'password_hash'])
    .where('id', '=', coordinatorId)
    .executeTakeFirstOrThrow();
  if (!(await verifyPassword(account.password_hash, current))) return { kind: 'wrong_password' };
  const problem = passwordProblem(next, account.email);
  if (problem) return { kind: 'weak', problem };
  const hash = await hashPassword(next);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('coordinators')
      .set({ password_hash: hash, password_changed_at: now.toISOString() })
      .where('id', '=', coordinatorId)
      .execute();
    await trx
      .deleteFrom('coordinator_sessions')
      .where('coordinator_id', '=', coordinatorId)
      .where('token_hash', '!=', sha256Hex(keepToken))
      .execute();
  });
  return { kind: 'ok' };
}

export type PasswordReset = { kind: 'ok' } | { kind: 'unknown_account' } | { kind: 'weak'; problem: PasswordProblem };

/** The operator's reset (`npm run admin -- reset-password`): same rules, and every session of the account ends. */
export async function resetPassword(
  db: Kysely<Database>,
  email: string,
  next: string,
  now: Date,
): Promise<PasswordReset> {
  const problem = passwordProblem(next, email);
  if (problem) return { kind: 'weak', problem };
  const account = await db.selectFrom('coordinators').select('id').where('email', '=', email).executeTakeFirst();
  if (!account) return { kind: 'unknown_account' };
  const hash = await hashPassword(next);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('coordinators')
      .set({ password_hash: hash, password_changed_at: now.toISOString() })
      .where('id', '=', account.id)
      .execute();
    await trx.deleteFrom('coordinator_sessions').where('coordinator_id', '=', account.id).execute();
  });
  return { kind: 'ok' };
}
