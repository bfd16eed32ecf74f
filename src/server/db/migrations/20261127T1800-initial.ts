/**
 * First schema. Frozen: typed Kysely<any> so later changes to the table
 * types cannot alter what this migration did.
 */
import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time, see header
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const isPg = dialect === 'postgres';
  const autoId = isPg ? 'serial' : 'integer';

  await db.schema
    .createTable('meta')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('scope_seq')
    .addColumn('scope', 'text', (c) => c.primaryKey())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('records')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('collection', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('owner_participant_id', 'text')
    .addColumn('workshop_id', 'text')
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('field_versions', 'text', (c) => c.notNull())
    .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('origin_device_id', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('records_scope_seq').on('records').columns(['scope', 'seq']).execute();
  await db.schema
    .createIndex('records_collection_workshop')
    .on('records')
    .columns(['collection', 'workshop_id'])
    .execute();
  await db.schema.createIndex('records_owner').on('records').columns(['owner_participant_id', 'collection']).execute();

  await db.schema
    .createTable('roster')
    .addColumn('workshop_id', 'text', (c) => c.notNull())
    .addColumn('participant_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('roster_pk', ['workshop_id', 'participant_id'])
    .execute();
  await db.schema.createIndex('roster_participant').on('roster').column('participant_id').execute();

  await db.schema
    .createTable('devices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('participant_id', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('last_mid', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('devices_participant').on('devices').column('participant_id').execute();

  await db.schema
    .createTable('mutation_results')
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('mid', 'integer', (c) => c.notNull())
    .addColumn('result', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('mutation_results_pk', ['device_id', 'mid'])
    .execute();

  await db.schema
    .createTable('enrolment_codes')
    .addColumn('code_hash', 'text', (c) => c.primaryKey())
    .addColumn('participant_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .addColumn('device_id', 'text')
    .execute();

  await db.schema
    .createTable('coordinators')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('disabled_at', 'text')
    .execute();

  await db.schema
    .createTable('coordinator_sessions')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('coordinator_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('conflict_log')
    .addColumn('id', autoId, (c) => (isPg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('collection', 'text', (c) => c.notNull())
    .addColumn('record_id', 'text', (c) => c.notNull())
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('replaced', 'text', (c) => c.notNull())
    .addColumn('kept', 'text', (c) => c.notNull())
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('files')
    .addColumn('sha256', 'text', (c) => c.primaryKey())
    .addColumn('byte_size', 'integer', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see header
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'files',
    'conflict_log',
    'coordinator_sessions',
    'coordinators',
    'enrolment_codes',
    'mutation_results',
    'devices',
    'roster',
    'records',
    'scope_seq',
    'meta',
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
