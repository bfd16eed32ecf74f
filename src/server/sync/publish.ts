/**
 * Server-side writes of records that devices only read: published content
 * and participants. Picks the pull scope from the collection and runs the
 * same versioned write as device mutations, so devices see them as deltas.
 */
import { COLLECTION_SCHEMAS, scopes, type CollectionName, type Scope } from '../../shared/schemas/collections';
import { getRecord, writeRecord, type Db } from './store';
import { sameValue } from '../../shared/sync/merge';

export type PublishedCollection = Exclude<CollectionName, 'followUpActions' | 'surveyResponses' | 'evaluations'>;

function scopeFor(
  collection: CollectionName,
  data: Record<string, unknown>,
): { scope: Scope; owner: string | null; workshopId: string | null } {
  switch (collection) {
    case 'workshops':
      return { scope: scopes.catalog, owner: null, workshopId: String(data.id) };
    case 'toolSummaries':
      return { scope: scopes.catalog, owner: null, workshopId: null };
    case 'agendaSessions':
      return { scope: scopes.workshop(String(data.workshopId)), owner: null, workshopId: String(data.workshopId) };
    case 'materials': {
      const w = String(data.workshopId);
      return {
        scope: data.audience === 'participants' ? scopes.workshopPrivate(w) : scopes.workshop(w),
        owner: null,
        workshopId: w,
      };
    }
    case 'participants':
      return { scope: scopes.participant(String(data.id)), owner: String(data.id), workshopId: null };
    case 'followUpActions':
    case 'surveyResponses':
    case 'evaluations':
      return {
        scope: scopes.participant(String(data.participantId)),
        owner: String(data.participantId),
        workshopId: String(data.workshopId),
      };
  }
}

/**
 * Validates and writes a whole record (create or replace). Used for
 * published content and for importing participants' historic records.
 * Returns the new version.
 */
export async function putRecord(db: Db, collection: CollectionName, input: unknown, now: string): Promise<number> {
  const data = COLLECTION_SCHEMAS[collection].parse(input) as Record<string, unknown>;
  const previous = await getRecord(db, String(data.id));
  const target = scopeFor(collection, data);
  if (previous && previous.collection !== collection)
    throw new Error(`Record ${String(data.id)} already exists in ${previous.collection}.`);
  if (previous && previous.scope !== target.scope) {
    // One row per record: moving it to another scope would leave devices of the old scope without a tombstone.
    throw new Error(
      `Record ${String(data.id)} cannot move from ${previous.scope} to ${target.scope}; publish a new record instead.`,
    );
  }
  const changed = previous ? Object.keys(data).filter((k) => !sameValue(data[k], previous.data[k])) : Object.keys(data);
  return writeRecord(
    db,
    {
      id: String(data.id),
      collection,
      scope: target.scope,
      ownerParticipantId: target.owner,
      workshopId: target.workshopId,
      data,
      changedFields: changed,
      deleted: false,
      originDeviceId: null,
      now,
    },
    previous,
  );
}

/** Soft-deletes a published record: devices receive a tombstone in its scope. Returns the new version, or null if absent. */
export async function tombstoneRecord(
  db: Db,
  collection: CollectionName,
  id: string,
  now: string,
): Promise<number | null> {
  const previous = await getRecord(db, id);
  if (!previous || previous.collection !== collection) return null;
  if (previous.deleted) return previous.seq;
  return writeRecord(
    db,
    {
      id,
      collection,
      scope: previous.scope as Scope,
      ownerParticipantId: previous.ownerParticipantId,
      workshopId: previous.workshopId,
      data: previous.data,
      changedFields: [],
      deleted: true,
      originDeviceId: null,
      now,
    },
    previous,
  );
}
