/**
 * Secrets that travel in the links the server e-mails: the one-click
 * unsubscribe token (RFC 8058; works without sign-in, any number of times,
 * because mail providers may post it themselves) and the single-use sign-in
 * token for a participant with no enrolled phone. Both are 256-bit random
 * values kept only as SHA-256, like device tokens (src/server/auth/tokens.ts).
 */
import { randomBytes, createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

export const UNSUBSCRIBE_PREFIX = 'vu_';
export const SIGN_IN_PREFIX = 'vs_';

const hash = (token: string) => createHash('sha256').update(token).digest('hex');
const newSecret = (prefix: string) => prefix + randomBytes(32).toString('base64url');

export async function issueUnsubscribeToken(db: Kysely<Database>, participantId: string, now: Date): Promise<string> {
  const token = newSecret(UNSUBSCRIBE_PREFIX);
  await db
    .insertInto('message_tokens')
    .values({
      token_hash: hash(token),
      purpose: 'unsubscribe',
      participant_id: participantId,
      workshop_id: null,
      created_at: now.toISOString(),
      expires_at: null,
      used_at: null,
    })
    .execute();
  return token;
}

/** The participant an unsubscribe token names, or null for an unknown token. */
export async function participantOfUnsubscribeToken(db: Kysely<Database>, token: string): Promise<string | null> {
  if (!token.startsWith(UNSUBSCRIBE_PREFIX)) return null;
  const row = await db
    .selectFrom('message_tokens')
    .select('participant_id')
    .where('token_hash', '=', hash(token))
    .where('purpose', '=', 'unsubscribe')
    .executeTakeFirst();
  return row?.participant_id ?? null;
}

export interface SignInGrant {
  participantId: string;
  workshopId: string;
}

/** A sign-in token valid until `expiresAt` (the round's close), good for one use. */
export async function issueSignInToken(
  db: Kysely<Database>,
  grant: SignInGrant,
  expiresAt: Date,
  now: Date,
): Promise<string> {
  const token = newSecret(SIGN_IN_PREFIX);
  await db
    .insertInto('message_tokens')
    .values({
      token_hash: hash(token),
      purpose: 'sign-in',
      participant_id: grant.participantId,
      workshop_id: grant.workshopId,
      created_at: now.toISOString(),
      expires_at: expiresAt.toISOString(),
      used_at: null,
    })
    .execute();
  return token;
}

/**
 * Spends a sign-in token: the first call before it expires gets the grant,
 * every later call (or a concurrent one on another instance) gets null. The
 * conditional update is the single point that decides, so no read-then-write race.
 */
export async function redeemSignInToken(db: Kysely<Database>, token: string, now: Date): Promise<SignInGrant | null> {
  if (!token.startsWith(SIGN_IN_PREFIX)) return null;
  const at = now.toISOString();
  const row = await db
    .updateTable('message_tokens')
    .set({ used_at: at })
    .where('token_hash', '=', hash(token))
    .where('purpose', '=', 'sign-in')
    .where('used_at', 'is', null)
    .where('expires_at', '>', at)
    .returning(['participant_id', 'workshop_id'])
    .executeTakeFirst();
  if (!row?.workshop_id) return null;
  return { participantId: row.participant_id, workshopId: row.workshop_id };
}
