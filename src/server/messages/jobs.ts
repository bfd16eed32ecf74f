/**
 * The durable message queue: one row per (participant, workshop, schedule
 * key, channel), unique, so scheduling the same message twice (a second run
 * at the same time, two server instances, a restart) inserts nothing. A row
 * moves scheduled → sending → sent, or back to scheduled with a backoff after
 * a transient failure, or to failed with a reason a person understands.
 *
 * Claiming: "sending" with a lease (owner + until) is written in the same
 * statement that picks the row. On PostgreSQL the pick is
 * `FOR UPDATE SKIP LOCKED`, so instances never wait on or take each other's
 * rows; on SQLite the single UPDATE … RETURNING runs under the one writer
 * lock. Jobs of a paused workshop stay where they are. "sent" is written
 * only by the lease owner, after the channel accepted.
 *
 * Where "exactly once" ends. Between "sending" and "sent" the channel may or
 * may not have taken the message (a crash after the mail server queued it but
 * before "sent" was written; RFC 5321 §6.1 documents the same window between
 * mail servers). Nothing can close it from this side, so each channel picks
 * which way to err when a lease runs out with the row still "sending":
 *   - e-mail: at most once. The row becomes failed ("may have arrived"); the
 *     coordinator sees it and can use "remind now". A duplicate e-mail would
 *     reach the participant; a missing one reaches only the coordinator's screen.
 *     Every e-mail carries a Message-ID derived from the job, so if an
 *     operator does resend by hand, mail clients can recognise the copy.
 *   - push: at least once. The row is sent again; the notification carries
 *     the job as its tag and the push a per-workshop Topic, so a second copy
 *     replaces the first on the phone instead of adding one.
 * Every crash outside that window (before the claim, after "sent", while
 * another instance holds the lease, during scheduling) gives exactly once.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, MessageJobsTable } from '../db/schema';
import type { Dialect } from '../db/dialect';
import type { MessageChannel } from '../../shared/schemas/messages';

export type JobRow = Selectable<MessageJobsTable>;

/** Long enough for any SMTP or push exchange under the channels' own timeouts (60 s each). */
export const LEASE_MS = 10 * 60_000;
export const MAX_ATTEMPTS = 5;
/** 5 min, 15 min, 45 min, 2 h 15: a mail server back after a short outage gets the message the same day. */
export const backoffMs = (attempts: number) => 5 * 60_000 * 3 ** Math.max(0, attempts - 1);

export interface NewJob {
  participantId: string;
  workshopId: string;
  kind: string;
  key: string;
  channel: MessageChannel;
  sendAt: Date;
  /** Not before: sendAt, or later when sendAt fell at night on the participant's clock. */
  notBefore: Date;
  /** Host part of Message-IDs. */
  messageIdHost: string;
}

/** Inserts the job unless one with the same key exists; true when this call created it. */
export async function enqueue(db: Kysely<Database>, job: NewJob, now: Date): Promise<boolean> {
  const id = randomUUID();
  const at = now.toISOString();
  const res = await db
    .insertInto('message_jobs')
    .values({
      id,
      participant_id: job.participantId,
      workshop_id: job.workshopId,
      kind: job.kind,
      key: job.key,
      channel: job.channel,
      state: 'scheduled',
      send_at: job.sendAt.toISOString(),
      next_attempt_at: job.notBefore.toISOString(),
      attempts: 0,
      lease_owner: null,
      lease_until: null,
      message_id: `<${id}@${job.messageIdHost}>`,
      reason: null,
      sent_at: null,
      created_at: at,
      updated_at: at,
    })
    .onConflict((oc) => oc.columns(['participant_id', 'workshop_id', 'key', 'channel']).doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Takes the next due job under a lease for `owner`, or null when none is due. */
export async function claimNext(
  db: Kysely<Database>,
  dialect: Dialect,
  owner: string,
  now: Date,
): Promise<JobRow | null> {
  const at = now.toISOString();
  const until = new Date(now.getTime() + LEASE_MS).toISOString();
  const lock = dialect === 'postgres' ? sql`FOR UPDATE SKIP LOCKED` : sql``;
  const res = await sql<JobRow>`
    UPDATE message_jobs
       SET state = 'sending', lease_owner = ${owner}, lease_until = ${until},
           attempts = attempts + 1, updated_at = ${at}
     WHERE state = 'scheduled' AND id = (
       SELECT id FROM message_jobs
        WHERE state = 'scheduled' AND next_attempt_at <= ${at}
          AND workshop_id NOT IN (SELECT workshop_id FROM message_workshops WHERE paused_at IS NOT NULL)
        ORDER BY next_attempt_at, id
        LIMIT 1 ${lock})
    RETURNING *`.execute(db);
  return res.rows[0] ?? null;
}

/** Settles a job this owner still holds; false when its lease was lost (another instance took over). */
async function settle(
  db: Kysely<Database>,
  job: JobRow,
  owner: string,
  set: Partial<Pick<JobRow, 'state' | 'reason' | 'sent_at' | 'next_attempt_at' | 'attempts'>>,
  now: Date,
): Promise<boolean> {
  const res = await db
    .updateTable('message_jobs')
    .set({ ...set, lease_owner: null, lease_until: null, updated_at: now.toISOString() })
    .where('id', '=', job.id)
    .where('state', '=', 'sending')
    .where('lease_owner', '=', owner)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

export const markSent = (db: Kysely<Database>, job: JobRow, owner: string, now: Date) =>
  settle(db, job, owner, { state: 'sent', sent_at: now.toISOString(), reason: null }, now);

/** Not now (night on the participant's clock): back in the queue until `until`, the attempt not counted. */
export const markDeferred = (db: Kysely<Database>, job: JobRow, owner: string, until: Date, now: Date) =>
  settle(db, job, owner, { state: 'scheduled', next_attempt_at: until.toISOString(), attempts: job.attempts - 1 }, now);

export const markCancelled = (db: Kysely<Database>, job: JobRow, owner: string, reason: string, now: Date) =>
  settle(db, job, owner, { state: 'cancelled', reason }, now);

/** A failed attempt: retried later unless permanent or out of attempts. */
export function markFailedAttempt(
  db: Kysely<Database>,
  job: JobRow,
  owner: string,
  failure: { reason: string; permanent: boolean },
  now: Date,
) {
  if (failure.permanent || job.attempts >= MAX_ATTEMPTS) {
    const reason = failure.permanent ? failure.reason : `${failure.reason} Gave up after ${job.attempts} attempts.`;
    return settle(db, job, owner, { state: 'failed', reason }, now);
  }
  return settle(
    db,
    job,
    owner,
    {
      state: 'scheduled',
      reason: `${failure.reason} Will try again.`,
      next_attempt_at: new Date(now.getTime() + backoffMs(job.attempts)).toISOString(),
    },
    now,
  );
}

export const INTERRUPTED_EMAIL_REASON =
  'Vaka stopped while handing this e-mail to the mail server, so it may or may not have arrived. ' +
  'It was not sent again, so that nobody gets it twice; use "remind now" if it is needed.';

/**
 * Rows whose lease ran out while "sending" (their instance died mid-send):
 * e-mail becomes failed, push goes back to the queue (see the header).
 */
export async function recoverExpiredLeases(db: Kysely<Database>, now: Date): Promise<void> {
  const at = now.toISOString();
  const expired = (channel: MessageChannel) =>
    db
      .updateTable('message_jobs')
      .where('state', '=', 'sending')
      .where('lease_until', '<', at)
      .where('channel', '=', channel);
  await expired('email')
    .set({ state: 'failed', reason: INTERRUPTED_EMAIL_REASON, lease_owner: null, lease_until: null, updated_at: at })
    .execute();
  await expired('push')
    .set({ state: 'scheduled', next_attempt_at: at, lease_owner: null, lease_until: null, updated_at: at })
    .execute();
}
