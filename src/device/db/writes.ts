/**
 * Local writes to the participant's own records (follow-up actions, survey
 * responses, evaluations). Each write validates with the shared schema, then
 * saves the record and its outbox entry in one Dexie transaction, so there is
 * never a record the outbox forgot or an entry without its record. Nothing
 * here touches the network: the UI gets its answer from IndexedDB at once and
 * the sync engine drains the outbox later.
 */
import Dexie from 'dexie';
import { v7 as uuidv7 } from 'uuid';
import type * as z from 'zod';
import {
  COLLECTION_SCHEMAS,
  type CollectionRecord,
  type ParticipantCollection,
} from '../../shared/schemas/collections';
import { FIXED_FIELDS, sameValue } from '../../shared/sync/merge';
import type { Mutation } from '../../shared/sync/protocol';
import {
  readSyncState,
  writeSyncState,
  type AnyStored,
  type OutboxEntry,
  type Stored,
  type VakaDatabase,
} from './database';
import { ensureServerCopy, recordTable } from './replay';

export type WritableCollection = ParticipantCollection;

type SchemaInput<C extends WritableCollection> = z.input<(typeof COLLECTION_SCHEMAS)[C]>;

/** What a form hands in for a new record; the id is made here and participantId comes from the enrolment. */
export type CreateInput<C extends WritableCollection> = Omit<SchemaInput<C>, 'id' | 'participantId'> & {
  id?: string;
  participantId?: string;
};

/** Only the fields the participant changed. Ownership fields are fixed once created (the server refuses changes too). */
export type UpdateInput<C extends WritableCollection> = Partial<
  Omit<SchemaInput<C>, 'id' | 'participantId' | 'workshopId'>
>;

export interface FieldIssue {
  /** Dotted path of the field, e.g. "newProjects.details"; "" for the whole record. */
  path: string;
  message: string;
}

/** The data did not pass the shared schema; `issues` map onto form fields. */
export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  constructor(
    readonly collection: WritableCollection,
    readonly issues: FieldIssue[],
  ) {
    super(`Invalid ${collection}: ${issues.map((i) => `${i.path || 'record'}: ${i.message}`).join('; ')}`);
  }
}

export type WriteErrorCode = 'not_found' | 'deleted' | 'exists' | 'immutable' | 'not_enrolled';

/** The write cannot be made at all (as opposed to a field being wrong). */
export class WriteError extends Error {
  override readonly name = 'WriteError';
  constructor(
    readonly code: WriteErrorCode,
    readonly collection: WritableCollection,
    readonly recordId: string | null,
  ) {
    super(`${code}: ${collection}${recordId ? `/${recordId}` : ''}`);
  }
}

type Row = Record<string, unknown>;

function schemaOf(collection: WritableCollection): z.ZodType<Row> {
  return COLLECTION_SCHEMAS[collection] as unknown as z.ZodType<Row>;
}

function validate(collection: WritableCollection, data: Row): Row {
  const parsed = schemaOf(collection).safeParse(data);
  if (!parsed.success) {
    throw new ValidationError(
      collection,
      parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
    );
  }
  return parsed.data;
}

function withoutMeta(record: AnyStored): Row {
  const { _version: _v, _deleted: _d, _updatedAt: _u, ...plain } = record;
  return plain;
}

/** A mutation before it has its mid (Omit distributed over the union, so each op keeps its own fields). */
type Unnumbered = Mutation extends infer M ? (M extends Mutation ? Omit<M, 'mid'> : never) : never;

/** Hands out the next mid and queues the entry; must run inside the write's transaction. */
async function enqueue(db: VakaDatabase, entry: Unnumbered, queuedAt: string): Promise<number> {
  const state = await readSyncState(db);
  const mid = state.nextMid;
  await writeSyncState(db, { ...state, nextMid: mid + 1 });
  // add(), not put(): if a mid were ever handed out twice, the write fails instead of overwriting a queued edit.
  const queued: OutboxEntry = { ...entry, mid, queuedAt };
  await db.outbox.add(queued);
  return mid;
}

/**
 * The enrolled participant, read from IndexedDB once per connection rather than once per save (a save
 * is then only its writes and the mid counter). Forgotten whenever the meta table changes, in this
 * context or another (Dexie's storagemutated event also carries other tabs' and the worker's writes),
 * so an enrolment, a wipe or a revocation is seen by the next save.
 */
const participantIds = new WeakMap<VakaDatabase, { generation: number; participantId: string | null }>();
/** Per database name, how many times its meta table has changed since this module loaded. */
const metaGenerations = new Map<string, number>();

Dexie.on('storagemutated', (parts) => {
  for (const part of Object.keys(parts)) {
    const name = /^idb:\/\/(.+)\/meta\//.exec(part)?.[1];
    if (name !== undefined) metaGenerations.set(name, (metaGenerations.get(name) ?? 0) + 1);
  }
});

/**
 * Runs inside the write's transaction, so it answers with Dexie's own promises: a native one there
 * would let the transaction commit before the write.
 */
function enrolledParticipant(db: VakaDatabase): Promise<string | null> {
  const generation = metaGenerations.get(db.name) ?? 0;
  const cached = participantIds.get(db);
  if (cached?.generation === generation) return Dexie.Promise.resolve(cached.participantId);
  return db.meta.get('device').then((row) => {
    const participantId = row?.key === 'device' ? row.participantId : null;
    participantIds.set(db, { generation, participantId });
    return participantId;
  });
}

function writeTables(db: VakaDatabase, collection: WritableCollection) {
  return [recordTable(db, collection), db.outbox, db.meta, db.serverCopies];
}

async function createInTransaction(db: VakaDatabase, collection: WritableCollection, data: Row): Promise<AnyStored> {
  const id = typeof data.id === 'string' ? data.id : uuidv7();
  const participantId = data.participantId ?? (await enrolledParticipant(db));
  if (participantId === null) throw new WriteError('not_enrolled', collection, null);
  const record = validate(collection, { ...data, id, participantId });
  const now = new Date().toISOString();
  const stored: AnyStored = { ...record, id, _version: 0, _deleted: false, _updatedAt: now };
  // add() refuses an existing id by itself: no read first. The error aborts the transaction, so nothing is kept.
  await recordTable(db, collection)
    .add(stored)
    .catch(Dexie.ConstraintError, () => {
      throw new WriteError('exists', collection, id);
    });
  await ensureServerCopy(db, collection, id, undefined);
  const { id: _id, ...fields } = record;
  await enqueue(db, { op: 'create', collection, recordId: id, fields }, now);
  return stored;
}

/** Saves a new record and queues its create. Returns the stored record (`_version` 0 until the server acknowledges it). */
export async function createRecord<C extends WritableCollection>(
  db: VakaDatabase,
  collection: C,
  data: CreateInput<C>,
): Promise<Stored<C>> {
  const stored = await db.transaction('rw', writeTables(db, collection), () =>
    createInTransaction(db, collection, data as Row),
  );
  return stored as unknown as Stored<C>;
}

async function liveRecord(db: VakaDatabase, collection: WritableCollection, id: string): Promise<AnyStored> {
  const current = await recordTable(db, collection).get(id);
  if (!current) throw new WriteError('not_found', collection, id);
  if (current._deleted) throw new WriteError('deleted', collection, id);
  return current;
}

function assertEditable(collection: WritableCollection, record: AnyStored): void {
  // Submitted answers are the record of what was reported; amendments are new revisions (amendSurveyResponse).
  if (collection === 'surveyResponses' && record.status === 'submitted')
    throw new WriteError('immutable', collection, record.id);
}

/**
 * Changes some fields and queues a patch carrying only the fields whose value
 * really changed, with the version the device last saw. A change that alters
 * nothing queues nothing.
 */
export async function updateRecord<C extends WritableCollection>(
  db: VakaDatabase,
  collection: C,
  id: string,
  changedFields: UpdateInput<C>,
): Promise<Stored<C>> {
  const result = await db.transaction('rw', writeTables(db, collection), async () => {
    const current = await liveRecord(db, collection, id);
    assertEditable(collection, current);
    const changes = changedFields as Row;
    const plain = withoutMeta(current);
    const fixed = Object.keys(changes).filter(
      (k) => (FIXED_FIELDS.has(k) || k.startsWith('_')) && !sameValue(changes[k], plain[k]),
    );
    if (fixed.length > 0) {
      throw new ValidationError(
        collection,
        fixed.map((path) => ({ path, message: 'This field cannot be changed.' })),
      );
    }
    const next = validate(collection, { ...plain, ...changes });
    const fields: Row = {};
    for (const [key, value] of Object.entries(next)) if (!sameValue(value, plain[key])) fields[key] = value;
    if (Object.keys(fields).length === 0) return current;
    const now = new Date().toISOString();
    await ensureServerCopy(db, collection, id, current);
    const stored: AnyStored = { ...next, id, _version: current._version, _deleted: false, _updatedAt: now };
    await recordTable(db, collection).put(stored);
    await enqueue(db, { op: 'patch', collection, recordId: id, baseVersion: current._version, fields }, now);
    return stored;
  });
  return result as unknown as Stored<C>;
}

/** Marks a record deleted (a tombstone, so the deletion syncs) and queues the delete. Deleting twice is a no-op. */
export async function deleteRecord(db: VakaDatabase, collection: WritableCollection, id: string): Promise<void> {
  await db.transaction('rw', writeTables(db, collection), async () => {
    const current = await recordTable(db, collection).get(id);
    if (!current) throw new WriteError('not_found', collection, id);
    if (current._deleted) return;
    assertEditable(collection, current);
    const now = new Date().toISOString();
    await ensureServerCopy(db, collection, id, current);
    await recordTable(db, collection).put({ ...current, _deleted: true, _updatedAt: now });
    await enqueue(db, { op: 'delete', collection, recordId: id, baseVersion: current._version }, now);
  });
}

/**
 * Starts an amendment of a submitted survey response: a new draft record with
 * the next revision number that supersedes it, prefilled from it. The
 * original stays as submitted.
 */
export async function amendSurveyResponse(
  db: VakaDatabase,
  id: string,
  changedFields: UpdateInput<'surveyResponses'> = {},
): Promise<Stored<'surveyResponses'>> {
  const stored = await db.transaction('rw', writeTables(db, 'surveyResponses'), async () => {
    const current = await liveRecord(db, 'surveyResponses', id);
    const plain = withoutMeta(current) as CollectionRecord['surveyResponses'];
    return createInTransaction(db, 'surveyResponses', {
      ...plain,
      status: 'draft',
      submittedAt: null,
      ...(changedFields as Row),
      id: uuidv7(),
      revision: plain.revision + 1,
      supersedes: plain.id,
    });
  });
  return stored as unknown as Stored<'surveyResponses'>;
}
