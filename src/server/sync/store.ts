/**
 * The record store: every synced record of every collection in one table,
 * each change stamped with the next number of its pull scope. The scope
 * counter row is locked by the writing transaction until it commits, so
 * within a scope numbers follow commit order and a cursor never skips a row.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database, RecordsTable } from '../db/schema';
import type { CollectionName, Scope } from '../../shared/schemas/collections';
import { stampFields, type FieldVersions } from '../../shared/sync/merge';

export type Db = Kysely<Database> | Transaction<Database>;

export interface StoredRecord {
  id: string;
  collection: CollectionName;
  scope: string;
  seq: number;
  ownerParticipantId: string | null;
  workshopId: string | null;
  data: Record<string, unknown>;
  /** Per field: the seq of its last change and the device that made it (null for server-side writes). */
  fieldVersions: FieldVersions;
  deleted: boolean;
  originDeviceId: string | null;
  updatedAt: string;
}

export async function nextSeq(db: Db, scope: string): Promise<number> {
  const row = await db
    .insertInto('scope_seq')
    .values({ scope, seq: 1 })
    .onConflict((oc) => oc.column('scope').doUpdateSet((eb) => ({ seq: eb('scope_seq.seq', '+', 1) })))
    .returning('seq')
    .executeTakeFirstOrThrow();
  return Number(row.seq);
}

/** The heads of several scopes at once; a scope nothing was ever written to is at 0. */
export async function currentSeqs(db: Db, scopes: readonly string[]): Promise<Map<string, number>> {
  const heads = new Map<string, number>(scopes.map((scope) => [scope, 0]));
  if (scopes.length === 0) return heads;
  const rows = await db.selectFrom('scope_seq').select(['scope', 'seq']).where('scope', 'in', scopes).execute();
  for (const row of rows) heads.set(row.scope, Number(row.seq));
  return heads;
}

export function fromRow(row: RecordsTable): StoredRecord {
  return {
    id: row.id,
    collection: row.collection as CollectionName,
    scope: row.scope,
    seq: Number(row.seq),
    ownerParticipantId: row.owner_participant_id,
    workshopId: row.workshop_id,
    data: JSON.parse(row.data) as Record<string, unknown>,
    fieldVersions: JSON.parse(row.field_versions) as FieldVersions,
    deleted: Number(row.deleted) === 1,
    originDeviceId: row.origin_device_id,
    updatedAt: row.updated_at,
  };
}

export async function getRecord(db: Db, id: string): Promise<StoredRecord | undefined> {
  const row = await db.selectFrom('records').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

export interface WriteInput {
  id: string;
  collection: CollectionName;
  scope: Scope;
  ownerParticipantId: string | null;
  workshopId: string | null;
  data: Record<string, unknown>;
  /** Fields whose version moves to the new seq (all of them for a create). */
  changedFields: string[];
  deleted: boolean;
  originDeviceId: string | null;
  now: string;
}

/** Inserts or replaces a record, bumping its scope; returns the new seq. */
export async function writeRecord(db: Db, input: WriteInput, previous?: StoredRecord): Promise<number> {
  const seq = await nextSeq(db, input.scope);
  const fieldVersions = stampFields(previous?.fieldVersions ?? {}, input.changedFields, seq, input.originDeviceId);
  const values = {
    collection: input.collection,
    scope: input.scope,
    seq,
    owner_participant_id: input.ownerParticipantId,
    workshop_id: input.workshopId,
    data: JSON.stringify(input.data),
    field_versions: JSON.stringify(fieldVersions),
    deleted: input.deleted ? 1 : 0,
    origin_device_id: input.originDeviceId,
    updated_at: input.now,
  };
  if (previous) {
    await db.updateTable('records').set(values).where('id', '=', input.id).execute();
  } else {
    await db
      .insertInto('records')
      .values({ id: input.id, ...values })
      .execute();
  }
  return seq;
}

/** Rows of a scope after a cursor, in seq order, never past `upTo`. */
export async function rowsAfter(
  db: Db,
  scope: string,
  after: number,
  upTo: number,
  limit: number,
): Promise<StoredRecord[]> {
  const rows = await db
    .selectFrom('records')
    .selectAll()
    .where('scope', '=', scope)
    .where('seq', '>', after)
    .where('seq', '<=', upTo)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map(fromRow);
}
