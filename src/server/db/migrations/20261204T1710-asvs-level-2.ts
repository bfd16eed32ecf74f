/**
 * ASVS Level 2 for coordinators and uploads (docs/security.md):
 * a TOTP second factor with hashed single-use recovery codes, when each
 * session last saw its coordinator (idle timeout) and whether it passed the
 * second factor, and how many bytes each uploader has stored (quota).
 * Frozen: typed Kysely<any> like every migration.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time, see header
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('coordinators').addColumn('totp_secret', 'text').execute();
  await db.schema.alterTable('coordinators').addColumn('totp_pending_secret', 'text').execute();
  await db.schema.alterTable('coordinators').addColumn('totp_last_step', 'integer').execute();
  await db.schema.alterTable('coordinators').addColumn('password_changed_at', 'text').execute();

  await db.schema.alterTable('coordinator_sessions').addColumn('last_seen_at', 'text').execute();
  await db.schema
    .alterTable('coordinator_sessions')
    .addColumn('second_factor', 'text', (c) => c.notNull().defaultTo('done'))
    .execute();
  await db.schema
    .alterTable('coordinator_sessions')
    .addColumn('second_factor_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('coordinator_sessions_coordinator')
    .on('coordinator_sessions')
    .column('coordinator_id')
    .execute();

  await db.schema
    .createTable('coordinator_recovery_codes')
    .addColumn('coordinator_id', 'text', (c) => c.notNull())
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .addPrimaryKeyConstraint('coordinator_recovery_codes_pk', ['coordinator_id', 'code_hash'])
    .execute();

  await db.schema
    .createTable('upload_usage')
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('byte_size', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('upload_usage_pk', ['owner', 'sha256'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see header
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('upload_usage').execute();
  await db.schema.dropTable('coordinator_recovery_codes').execute();
  await db.schema.dropIndex('coordinator_sessions_coordinator').execute();
  for (const column of ['second_factor_failures', 'second_factor', 'last_seen_at'])
    await db.schema.alterTable('coordinator_sessions').dropColumn(column).execute();
  for (const column of ['password_changed_at', 'totp_last_step', 'totp_pending_secret', 'totp_secret'])
    await db.schema.alterTable('coordinators').dropColumn(column).execute();
}
