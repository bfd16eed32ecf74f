/** Local writes: validation, record + outbox atomicity, the mid sequence and patch contents. */
import { afterEach, describe, expect, it } from 'vitest';
import { readSyncState, writeDeviceIdentity, type OutboxEntry, type VakaDatabase } from './database';
import { amendSurveyResponse, createRecord, deleteRecord, updateRecord, ValidationError, WriteError } from './writes';
import { actionData, evaluationData, freshDb } from '../sync/testing/fixtures';
import { fakeUuid } from '../sync/testing/fake-sync-server';

const participantId = fakeUuid();
const workshopId = fakeUuid();
const opened: VakaDatabase[] = [];

async function enrolledDb(): Promise<VakaDatabase> {
  const db = freshDb('writes');
  opened.push(db);
  await writeDeviceIdentity(db, {
    key: 'device',
    deviceId: fakeUuid(),
    deviceToken: 'tok',
    participantId,
    workshopIds: [workshopId],
    enrolledAt: '2025-01-01T00:00:00.000Z',
  });
  return db;
}

afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

describe('createRecord', () => {
  it('stores the record at version 0 and queues a create with the next mid, in one go', async () => {
    const db = await enrolledDb();
    const action = await createRecord(db, 'followUpActions', actionData(workshopId));
    expect(action.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/); // UUID v7
    expect(action._version).toBe(0);
    expect(action._deleted).toBe(false);
    expect(action.participantId).toBe(participantId);
    expect(action.audience).toBe(''); // schema defaults applied
    expect(await db.followUpActions.get(action.id)).toEqual(action);
    const outbox = await db.outbox.toArray();
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ mid: 1, op: 'create', collection: 'followUpActions', recordId: action.id });
    expect(outbox[0]).not.toHaveProperty('fields.id');
    expect((await readSyncState(db)).nextMid).toBe(2);
  });

  it('throws a ValidationError with field issues and writes nothing', async () => {
    const db = await enrolledDb();
    const error = await createRecord(db, 'followUpActions', {
      ...actionData(workshopId),
      description: '  ',
      date: '1 July',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    const paths = (error as ValidationError).issues.map((i) => i.path).sort();
    expect(paths).toEqual(['date', 'description']);
    expect(await db.followUpActions.count()).toBe(0);
    expect(await db.outbox.count()).toBe(0);
    expect((await readSyncState(db)).nextMid).toBe(1);
  });

  it('reports nested paths from the survey submit rules', async () => {
    const db = await enrolledDb();
    const error = await createRecord(db, 'surveyResponses', {
      workshopId,
      status: 'submitted',
      submittedAt: '2025-01-01T00:00:00.000Z',
      directEffects: { answer: 'yes' },
      workEfficiency: { answer: 'no' },
      newProjects: { answer: 'yes', details: '' },
    }).catch((e: unknown) => e);
    expect((error as ValidationError).issues).toEqual([
      { path: 'newProjects.details', message: 'Describe the new project.' },
    ]);
  });

  it('needs an enrolment (or an explicit participantId)', async () => {
    const db = freshDb('writes');
    opened.push(db);
    await expect(createRecord(db, 'evaluations', evaluationData(workshopId))).rejects.toMatchObject({
      code: 'not_enrolled',
    });
    const explicit = await createRecord(db, 'evaluations', { ...evaluationData(workshopId), participantId });
    expect(explicit.participantId).toBe(participantId);
  });

  it('refuses an id that exists already and writes nothing more', async () => {
    const db = await enrolledDb();
    const first = await createRecord(db, 'followUpActions', actionData(workshopId));
    const error = await createRecord(db, 'followUpActions', { ...actionData(workshopId), id: first.id }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WriteError);
    expect(error).toMatchObject({ code: 'exists', recordId: first.id });
    expect(await db.followUpActions.get(first.id)).toEqual(first);
    expect(await db.outbox.count()).toBe(1);
    expect((await readSyncState(db)).nextMid).toBe(2);
  });

  it('reads the enrolment once, and again after it changes', async () => {
    const db = await enrolledDb();
    await createRecord(db, 'evaluations', evaluationData(workshopId));
    const otherParticipant = fakeUuid();
    await writeDeviceIdentity(db, {
      key: 'device',
      deviceId: fakeUuid(),
      deviceToken: 'tok2',
      participantId: otherParticipant,
      workshopIds: [workshopId],
      enrolledAt: '2025-02-01T00:00:00.000Z',
    });
    const after = await createRecord(db, 'followUpActions', actionData(workshopId));
    expect(after.participantId).toBe(otherParticipant);
    await db.meta.delete('device');
    await expect(createRecord(db, 'evaluations', evaluationData(workshopId))).rejects.toMatchObject({
      code: 'not_enrolled',
    });
  });

  it('rolls the record back when the outbox entry cannot be written', async () => {
    const db = await enrolledDb();
    // A mid handed out twice must fail the whole write rather than overwrite a queued edit.
    await db
      .table<OutboxEntry, number>('outbox')
      .add({ mid: 1, op: 'delete', collection: 'evaluations', recordId: fakeUuid(), baseVersion: 0, queuedAt: 'x' });
    await expect(createRecord(db, 'followUpActions', actionData(workshopId))).rejects.toThrow();
    expect(await db.followUpActions.count()).toBe(0);
    expect(await db.serverCopies.count()).toBe(0);
    expect((await readSyncState(db)).nextMid).toBe(1);
  });

  it('hands out unique consecutive mids to concurrent writes', async () => {
    const db = await enrolledDb();
    await Promise.all(Array.from({ length: 25 }, () => createRecord(db, 'followUpActions', actionData(workshopId))));
    const mids = (await db.outbox.toArray()).map((e) => e.mid);
    expect(mids).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect((await readSyncState(db)).nextMid).toBe(26);
  });
});

describe('updateRecord', () => {
  it('queues only the changed fields with the version the device last saw', async () => {
    const db = await enrolledDb();
    const action = await createRecord(db, 'followUpActions', actionData(workshopId));
    await db.followUpActions.update(action.id, { _version: 7 }); // as if the server had acknowledged it
    const updated = await updateRecord(db, 'followUpActions', action.id, {
      description: 'Shared with the whole PCA unit',
      kind: 'share-materials', // unchanged
      audience: ' PCA unit ', // trimmed by the schema
    });
    expect(updated.description).toBe('Shared with the whole PCA unit');
    expect(updated._version).toBe(7);
    const patch = (await db.outbox.toArray()).find((e) => e.mid === 2);
    expect(patch).toMatchObject({
      op: 'patch',
      baseVersion: 7,
      fields: { description: 'Shared with the whole PCA unit', audience: 'PCA unit' },
    });
    expect(Object.keys(patch && 'fields' in patch ? patch.fields : {})).toHaveLength(2);
  });

  it('queues nothing when nothing changed', async () => {
    const db = await enrolledDb();
    const action = await createRecord(db, 'followUpActions', actionData(workshopId));
    await updateRecord(db, 'followUpActions', action.id, { description: action.description });
    expect(await db.outbox.count()).toBe(1);
  });

  it('refuses ownership fields and invalid values without writing', async () => {
    const db = await enrolledDb();
    const action = await createRecord(db, 'followUpActions', actionData(workshopId));
    const changeOwner = { workshopId: fakeUuid() } as Record<string, unknown>;
    await expect(updateRecord(db, 'followUpActions', action.id, changeOwner)).rejects.toBeInstanceOf(ValidationError);
    await expect(updateRecord(db, 'followUpActions', action.id, { attendees: 0 })).rejects.toMatchObject({
      issues: [{ path: 'attendees' }],
    });
    expect(await db.outbox.count()).toBe(1);
    expect(await db.followUpActions.get(action.id)).toEqual(action);
  });

  it('refuses unknown and deleted records', async () => {
    const db = await enrolledDb();
    await expect(updateRecord(db, 'evaluations', fakeUuid(), { overall: 3 })).rejects.toMatchObject({
      code: 'not_found',
    });
    const evaluation = await createRecord(db, 'evaluations', evaluationData(workshopId));
    await deleteRecord(db, 'evaluations', evaluation.id);
    await expect(updateRecord(db, 'evaluations', evaluation.id, { overall: 3 })).rejects.toMatchObject({
      code: 'deleted',
    });
  });

  it('keeps submitted survey responses as they are; an amendment is a new revision', async () => {
    const db = await enrolledDb();
    const response = await createRecord(db, 'surveyResponses', {
      workshopId,
      status: 'submitted',
      submittedAt: '2025-01-01T00:00:00.000Z',
      actionsTaken: ['share-materials'],
      directEffects: { answer: 'yes', details: 'Faster audits' },
      workEfficiency: { answer: 'yes' },
      newProjects: { answer: 'no' },
    });
    const error = await updateRecord(db, 'surveyResponses', response.id, { otherActions: 'x' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WriteError);
    expect((error as WriteError).code).toBe('immutable');
    await expect(deleteRecord(db, 'surveyResponses', response.id)).rejects.toMatchObject({ code: 'immutable' });

    const amendment = await amendSurveyResponse(db, response.id, { otherActions: 'Briefed the deputy commissioner' });
    expect(amendment).toMatchObject({
      revision: 2,
      supersedes: response.id,
      status: 'draft',
      submittedAt: null,
      actionsTaken: ['share-materials'],
    });
    expect(amendment.id).not.toBe(response.id);
    expect((await db.surveyResponses.get(response.id))?.status).toBe('submitted');
    expect((await db.outbox.toArray()).map((e) => e.op)).toEqual(['create', 'create']);
  });
});

describe('deleteRecord', () => {
  it('leaves a tombstone and queues a delete with the base version; twice is once', async () => {
    const db = await enrolledDb();
    const action = await createRecord(db, 'followUpActions', actionData(workshopId));
    await deleteRecord(db, 'followUpActions', action.id);
    await deleteRecord(db, 'followUpActions', action.id);
    expect((await db.followUpActions.get(action.id))?._deleted).toBe(true);
    const entries = await db.outbox.toArray();
    expect(entries.map((e) => [e.mid, e.op])).toEqual([
      [1, 'create'],
      [2, 'delete'],
    ]);
    expect(entries[1]).toMatchObject({ baseVersion: 0 });
  });

  it('keeps the server copy from before the first queued edit', async () => {
    const db = await enrolledDb();
    const action = await createRecord(db, 'followUpActions', actionData(workshopId));
    // Pretend it synced: no queue, version 3.
    await db.outbox.clear();
    await db.serverCopies.clear();
    await db.followUpActions.update(action.id, { _version: 3 });
    await updateRecord(db, 'followUpActions', action.id, { description: 'First edit' });
    await updateRecord(db, 'followUpActions', action.id, { description: 'Second edit' });
    const copy = await db.serverCopies.get(`followUpActions/${action.id}`);
    expect(copy?.record).toMatchObject({ description: action.description, _version: 3 });
  });
});
