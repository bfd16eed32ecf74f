/** The Dexie schema: it opens, and version 1 and 2 databases upgrade with their data and queue intact. */
import { Dexie } from 'dexie';
import { describe, expect, it } from 'vitest';
import { INITIAL_SYNC_STATE, readSyncState, VakaDatabase } from './database';
import { fakeUuid } from '../sync/testing/fake-sync-server';
import { workshopData } from '../sync/testing/fixtures';

/** Version 1 exactly as it shipped; never edit, it is what old phones have. */
const V1_STORES = {
  workshops: 'id, startDate',
  agendaSessions: 'id, workshopId, [workshopId+date]',
  materials: 'id, workshopId',
  toolSummaries: 'id, &slug',
  participants: 'id',
  followUpActions: 'id, workshopId, [workshopId+kind]',
  surveyResponses: 'id, workshopId, [workshopId+revision]',
  evaluations: 'id, workshopId',
  outbox: 'mid, recordId',
  conflicts: '++seq, recordId',
  meta: 'key',
  settings: 'key',
};

/** What version 2 added, exactly as it shipped. */
const V2_STORES = {
  rejections: '++seq, recordId',
  serverCopies: 'key, recordId',
};

/** What version 3 added: evidence files waiting to be uploaded. */
const V3_STORES = {
  pendingUploads: 'id, recordId',
};

/** What version 4 added: downloaded material files and what the participant last saw. */
const V4_STORES = {
  files: 'sha256',
  fileChunks: '[sha256+offset], sha256',
  downloads: 'materialId, workshopId, sha256, pendingSha256',
  seenSessions: 'sessionId, workshopId',
  seenMaterials: 'materialId, workshopId',
};

const LATEST_VERSION = 4;

const uniqueName = (label: string) => `vaka-schema-${label}-${Math.random().toString(36).slice(2)}`;

describe('VakaDatabase', () => {
  it('opens a new database at the latest version with every table', async () => {
    const db = new VakaDatabase(uniqueName('new'));
    await db.open();
    expect(db.verno).toBe(LATEST_VERSION);
    expect(db.tables.map((t) => t.name).sort()).toEqual(
      [
        ...Object.keys(V1_STORES),
        ...Object.keys(V2_STORES),
        ...Object.keys(V3_STORES),
        ...Object.keys(V4_STORES),
      ].sort(),
    );
    expect(await readSyncState(db)).toEqual(INITIAL_SYNC_STATE);
    db.close();
  });

  it('upgrades a version 1 database, keeping records, outbox and meta, and saves server copies for queued records', async () => {
    const name = uniqueName('upgrade');
    const participantId = fakeUuid();
    const workshopId = fakeUuid();
    const synced = {
      id: fakeUuid(),
      participantId,
      workshopId,
      kind: 'other',
      date: '2024-07-01',
      description: 'Edited offline',
      audience: '',
      channel: null,
      attendees: null,
      evidence: [],
      _version: 4,
      _deleted: false,
      _updatedAt: '2025-01-01T00:00:00.000Z',
    };
    const created = { ...synced, id: fakeUuid(), description: 'New offline', _version: 0 };

    const v1 = new Dexie(name);
    v1.version(1).stores(V1_STORES);
    await v1.open();
    await v1
      .table('workshops')
      .put({ ...workshopData(workshopId), _version: 1, _deleted: false, _updatedAt: '2025-01-01T00:00:00.000Z' });
    await v1.table('followUpActions').bulkPut([synced, created]);
    await v1.table('outbox').bulkAdd([
      {
        mid: 1,
        op: 'patch',
        collection: 'followUpActions',
        recordId: synced.id,
        baseVersion: 4,
        fields: { description: 'Edited offline' },
        queuedAt: 'a',
      },
      { mid: 2, op: 'create', collection: 'followUpActions', recordId: created.id, fields: {}, queuedAt: 'b' },
    ]);
    await v1.table('meta').put({ ...INITIAL_SYNC_STATE, nextMid: 3, epoch: 'e1', cursors: { catalog: 9 } });
    v1.close();

    const db = new VakaDatabase(name);
    await db.open();
    expect(db.verno).toBe(LATEST_VERSION);
    expect(await db.workshops.get(workshopId)).toMatchObject({ title: workshopData().title });
    expect(await db.followUpActions.count()).toBe(2);
    expect(await db.outbox.count()).toBe(2);
    expect(await readSyncState(db)).toMatchObject({ nextMid: 3, epoch: 'e1', cursors: { catalog: 9 } });
    expect(await db.serverCopies.get(`followUpActions/${synced.id}`)).toMatchObject({
      record: { id: synced.id, _version: 4 },
    });
    expect(await db.serverCopies.get(`followUpActions/${created.id}`)).toMatchObject({ record: null });
    expect(await db.rejections.count()).toBe(0);
    db.close();
  });
  it('upgrades a version 2 database, keeping its queue and logs, with an empty evidence queue that stores files', async () => {
    const name = uniqueName('upgrade-v2');
    const action = {
      id: fakeUuid(),
      participantId: fakeUuid(),
      workshopId: fakeUuid(),
      kind: 'in-house-workshop',
      date: '2024-08-01',
      description: 'Half-day session for the audit unit',
      audience: '',
      channel: null,
      attendees: 14,
      evidence: [],
      _version: 0,
      _deleted: false,
      _updatedAt: '2025-01-01T00:00:00.000Z',
    };
    const v2 = new Dexie(name);
    v2.version(1).stores(V1_STORES);
    v2.version(2).stores(V2_STORES);
    await v2.open();
    await v2.table('followUpActions').put(action);
    await v2.table('outbox').add({
      mid: 1,
      op: 'create',
      collection: 'followUpActions',
      recordId: action.id,
      fields: {},
      queuedAt: 'a',
    });
    await v2
      .table('serverCopies')
      .put({ key: `followUpActions/${action.id}`, collection: 'followUpActions', recordId: action.id, record: null });
    await v2.table('rejections').add({ mid: 0, recordId: action.id, seen: false });
    v2.close();

    const db = new VakaDatabase(name);
    await db.open();
    expect(db.verno).toBe(LATEST_VERSION);
    expect(await db.followUpActions.get(action.id)).toMatchObject({ attendees: 14 });
    expect(await db.outbox.count()).toBe(1);
    expect(await db.serverCopies.count()).toBe(1);
    expect(await db.rejections.count()).toBe(1);
    expect(await db.pendingUploads.count()).toBe(0);
    await db.pendingUploads.add({
      id: fakeUuid(),
      collection: 'followUpActions',
      recordId: action.id,
      name: 'session.jpg',
      mediaType: 'image/jpeg',
      byteSize: 3,
      sha256: 'b'.repeat(64),
      blob: new Blob([new Uint8Array([1, 2, 3])], { type: 'image/jpeg' }),
      uploadUrl: null,
      bytesSent: 0,
      failure: null,
      createdAt: '2025-01-02T00:00:00.000Z',
    });
    const stored = await db.pendingUploads.where('recordId').equals(action.id).first();
    expect(stored?.blob.size).toBe(3);
    expect(new Uint8Array(await stored!.blob.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
    db.close();
  });
  it('upgrades a version 3 database, keeping its evidence queue, with empty download tables that store Blob chunks', async () => {
    const name = uniqueName('upgrade-v3');
    const v3 = new Dexie(name);
    v3.version(1).stores(V1_STORES);
    v3.version(2).stores(V2_STORES);
    v3.version(3).stores(V3_STORES);
    await v3.open();
    const uploadId = fakeUuid();
    await v3.table('pendingUploads').put({ id: uploadId, recordId: fakeUuid(), blob: new Blob(['evidence']) });
    await v3.table('outbox').add({ mid: 1, op: 'delete', collection: 'followUpActions', recordId: 'x', queuedAt: 'a' });
    v3.close();

    const db = new VakaDatabase(name);
    await db.open();
    expect(db.verno).toBe(LATEST_VERSION);
    expect(await db.pendingUploads.get(uploadId)).toBeDefined();
    expect(await db.outbox.count()).toBe(1);
    for (const table of Object.keys(V4_STORES)) expect(await db.table(table).count(), table).toBe(0);
    const sha256 = 'c'.repeat(64);
    await db.fileChunks.bulkAdd([
      { sha256, offset: 3, size: 3, blob: new Blob(['def']) },
      { sha256, offset: 0, size: 3, blob: new Blob(['abc']) },
    ]);
    const chunks = await db.fileChunks.where('sha256').equals(sha256).sortBy('offset');
    expect(await new Blob(chunks.map((c) => c.blob)).text()).toBe('abcdef');
    db.close();
  });
});
