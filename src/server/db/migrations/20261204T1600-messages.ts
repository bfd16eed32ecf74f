/**
 * The follow-up round's messages: one durable job per (participant, workshop,
 * message key, channel) with a lease, per-workshop settings, participants'
 * channel choices, hashed one-click unsubscribe and sign-in tokens, and Web
 * Push subscriptions. Frozen: typed Kysely<any> like every migration.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time, see header
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('message_jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('participant_id', 'text', (c) => c.notNull())
    .addColumn('workshop_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('send_at', 'text', (c) => c.notNull())
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'text')
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('sent_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('message_jobs_once', ['participant_id', 'workshop_id', 'key', 'channel'])
    .execute();
  await db.schema.createIndex('message_jobs_due').on('message_jobs').columns(['state', 'next_attempt_at']).execute();
  await db.schema.createIndex('message_jobs_workshop').on('message_jobs').column('workshop_id').execute();

  await db.schema
    .createTable('message_workshops')
    .addColumn('workshop_id', 'text', (c) => c.primaryKey())
    .addColumn('reminder_days', 'text', (c) => c.notNull())
    .addColumn('paused_at', 'text')
    .addColumn('results_published_at', 'text')
    .execute();

  await db.schema
    .createTable('message_roster_seen')
    .addColumn('workshop_id', 'text', (c) => c.notNull())
    .addColumn('participant_id', 'text', (c) => c.notNull())
    .addColumn('first_seen_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('message_roster_seen_pk', ['workshop_id', 'participant_id'])
    .execute();

  await db.schema
    .createTable('message_preferences')
    .addColumn('participant_id', 'text', (c) => c.primaryKey())
    .addColumn('channels', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('email_unsubscribed_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('message_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('participant_id', 'text', (c) => c.notNull())
    .addColumn('workshop_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text')
    .addColumn('used_at', 'text')
    .execute();

  await db.schema
    .createTable('push_subscriptions')
    .addColumn('endpoint', 'text', (c) => c.primaryKey())
    .addColumn('participant_id', 'text', (c) => c.notNull())
    .addColumn('device_id', 'text')
    .addColumn('p256dh', 'text', (c) => c.notNull())
    .addColumn('auth', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('push_subscriptions_participant')
    .on('push_subscriptions')
    .column('participant_id')
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see header
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'push_subscriptions',
    'message_tokens',
    'message_preferences',
    'message_roster_seen',
    'message_workshops',
    'message_jobs',
  ])
    await db.schema.dropTable(t).execute();
}
