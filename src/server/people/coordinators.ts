/**
 * Coordinator accounts. Only operators create them (`npm run admin --
 * create-coordinator`, or the demo seed with a one-time random password), so
 * no default password ever exists. Passwords are stored as Argon2id.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../sync/store';
import { hashPassword } from '../auth/tokens';

/** The shortest password an operator may set. */
export const MIN_PASSWORD_LENGTH = 12;

/** Creates an account; the e-mail address is stored lower-case, as sign-in looks it up. */
export async function createCoordinator(
  db: Db,
  account: { email: string; name: string; password: string },
  now: Date,
): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto('coordinators')
    .values({
      id,
      email: account.email.toLowerCase(),
      name: account.name,
      password_hash: await hashPassword(account.password),
      created_at: now.toISOString(),
      disabled_at: null,
    })
    .execute();
  return id;
}

/** Whether any coordinator account exists (the demo seed makes one only on an empty server). */
export async function anyCoordinator(db: Db): Promise<boolean> {
  return (await db.selectFrom('coordinators').select('id').limit(1).executeTakeFirst()) !== undefined;
}
