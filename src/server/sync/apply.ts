/**
 * Applies one participant mutation inside the sync transaction and says what
 * happened. The merge itself (field versions, delete wins, what is
 * concurrent) is the shared rule in shared/sync/merge.ts, described in
 * docs/sync-protocol.md; this module adds what needs the database:
 * ownership, the roster, schema validation, attachments, survey revisions,
 * and the conflict log. Permanent problems become `rejected` results so the
 * device's queue moves on [I3].
 */
import { COLLECTION_SCHEMAS, scopes, type ParticipantCollection } from '../../shared/schemas/collections';
import { mergeDelete, mergePatch } from '../../shared/sync/merge';
import type { Mutation, MutationResult } from '../../shared/sync/protocol';
import { getRecord, writeRecord, type Db, type StoredRecord } from './store';

export interface DeviceContext {
  deviceId: string;
  participantId: string;
  workshopIds: ReadonlySet<string>;
}

type Rejected = Extract<MutationResult, { status: 'rejected' }>;
const reject = (mid: number, code: Rejected['code'], message: string): Rejected => ({
  mid,
  status: 'rejected',
  code,
  message,
});

function validate(collection: ParticipantCollection, data: Record<string, unknown>) {
  return COLLECTION_SCHEMAS[collection].safeParse(data);
}

function describeIssues(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  return error.issues.map((i) => `${i.path.map(String).join('.') || 'record'}: ${i.message}`).join('; ');
}

async function missingAttachments(db: Db, data: Record<string, unknown>): Promise<string[]> {
  const evidence = Array.isArray(data.evidence) ? (data.evidence as { sha256: string }[]) : [];
  if (evidence.length === 0) return [];
  const shas = evidence.map((e) => e.sha256);
  const present = await db.selectFrom('files').select('sha256').where('sha256', 'in', shas).execute();
  const have = new Set(present.map((p) => p.sha256));
  return shas.filter((s) => !have.has(s));
}

export async function applyMutation(db: Db, m: Mutation, ctx: DeviceContext, now: string): Promise<MutationResult> {
  const existing = await getRecord(db, m.recordId);
  if (existing && existing.ownerParticipantId !== ctx.participantId) {
    return reject(m.mid, 'forbidden', 'This record belongs to someone else.');
  }
  if (existing && existing.collection !== m.collection) {
    return reject(m.mid, 'invalid', `Record ${m.recordId} is not in ${m.collection}.`);
  }
  switch (m.op) {
    case 'create':
      return create(db, m, ctx, now, existing);
    case 'patch':
      return patch(db, m, ctx, now, existing);
    case 'delete':
      return remove(db, m, ctx, now, existing);
  }
}

async function create(
  db: Db,
  m: Extract<Mutation, { op: 'create' }>,
  ctx: DeviceContext,
  now: string,
  existing: StoredRecord | undefined,
): Promise<MutationResult> {
  if (existing) return reject(m.mid, 'exists', 'A record with this id already exists.');
  const data: Record<string, unknown> = { ...m.fields, id: m.recordId };
  if (data.participantId !== ctx.participantId) {
    return reject(m.mid, 'forbidden', 'You can only create records for yourself.');
  }
  const parsed = validate(m.collection, data);
  if (!parsed.success) return reject(m.mid, 'invalid', describeIssues(parsed.error));
  const record = parsed.data as Record<string, unknown> & { workshopId: string };
  if (!ctx.workshopIds.has(record.workshopId)) {
    return reject(m.mid, 'forbidden', 'You are not on the roster of this workshop.');
  }
  const immutable = await checkRevision(db, m.collection, record, ctx);
  if (immutable) return reject(m.mid, 'invalid', immutable);
  const missing = await missingAttachments(db, record);
  if (missing.length)
    return reject(m.mid, 'attachment_missing', `Upload the evidence files first (${missing.length} missing).`);
  const version = await writeRecord(db, {
    id: m.recordId,
    collection: m.collection,
    scope: scopes.participant(ctx.participantId),
    ownerParticipantId: ctx.participantId,
    workshopId: record.workshopId,
    data: record,
    changedFields: Object.keys(record),
    deleted: false,
    originDeviceId: ctx.deviceId,
    now,
  });
  return { mid: m.mid, status: 'applied', version };
}

/** A new survey revision must supersede the participant's own submitted response to the same workshop. */
async function checkRevision(
  db: Db,
  collection: ParticipantCollection,
  record: Record<string, unknown>,
  ctx: DeviceContext,
): Promise<string | null> {
  if (collection !== 'surveyResponses' || record.supersedes == null) return null;
  const prior = await getRecord(db, String(record.supersedes));
  if (!prior || prior.ownerParticipantId !== ctx.participantId || prior.collection !== 'surveyResponses') {
    return 'supersedes: the earlier response was not found.';
  }
  if (prior.data.workshopId !== record.workshopId) return 'supersedes: the earlier response is for another workshop.';
  if (Number(prior.data.revision) + 1 !== Number(record.revision)) {
    return `revision: an amendment of revision ${String(prior.data.revision)} must be revision ${Number(prior.data.revision) + 1}.`;
  }
  return null;
}

async function patch(
  db: Db,
  m: Extract<Mutation, { op: 'patch' }>,
  ctx: DeviceContext,
  now: string,
  existing: StoredRecord | undefined,
): Promise<MutationResult> {
  if (!existing) return reject(m.mid, 'not_found', 'This record does not exist on the server.');
  const merge = mergePatch(existing, m, ctx.deviceId);
  if (!merge.ok) return reject(m.mid, merge.code, merge.message);
  const parsed = validate(m.collection, merge.data);
  if (!parsed.success) return reject(m.mid, 'invalid', describeIssues(parsed.error));
  const data = parsed.data as Record<string, unknown>;
  const missing = await missingAttachments(db, data);
  if (missing.length)
    return reject(m.mid, 'attachment_missing', `Upload the evidence files first (${missing.length} missing).`);

  const { changedFields, conflicts, concurrent } = merge;
  if (changedFields.length === 0) {
    return concurrent
      ? { mid: m.mid, status: 'merged', version: existing.seq, conflicts, record: existing.data }
      : { mid: m.mid, status: 'applied', version: existing.seq };
  }
  const version = await writeRecord(
    db,
    {
      id: existing.id,
      collection: m.collection,
      scope: existing.scope as `p:${string}`,
      ownerParticipantId: existing.ownerParticipantId,
      workshopId: existing.workshopId,
      data,
      changedFields,
      deleted: false,
      originDeviceId: ctx.deviceId,
      now,
    },
    existing,
  );
  for (const c of conflicts) {
    await db
      .insertInto('conflict_log')
      .values({
        collection: m.collection,
        record_id: existing.id,
        field: c.field,
        replaced: JSON.stringify(c.replaced),
        kept: JSON.stringify(c.kept),
        device_id: ctx.deviceId,
        seq: version,
        at: now,
      })
      .execute();
  }
  if (!concurrent) return { mid: m.mid, status: 'applied', version };
  return { mid: m.mid, status: 'merged', version, conflicts, record: data };
}

async function remove(
  db: Db,
  m: Extract<Mutation, { op: 'delete' }>,
  ctx: DeviceContext,
  now: string,
  existing: StoredRecord | undefined,
): Promise<MutationResult> {
  if (!existing) return reject(m.mid, 'not_found', 'This record does not exist on the server.');
  const merge = mergeDelete(existing);
  if (!merge.ok) return reject(m.mid, merge.code, merge.message);
  if (merge.alreadyDeleted) return { mid: m.mid, status: 'applied', version: existing.seq };
  const version = await writeRecord(
    db,
    {
      id: existing.id,
      collection: m.collection,
      scope: existing.scope as `p:${string}`,
      ownerParticipantId: existing.ownerParticipantId,
      workshopId: existing.workshopId,
      data: existing.data,
      changedFields: [],
      deleted: true,
      originDeviceId: ctx.deviceId,
      now,
    },
    existing,
  );
  return { mid: m.mid, status: 'applied', version };
}
