/** The Dexie schema: it opens, and a version 1 database upgrades with its data and queue intact. */
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

const uniqueName = (label: string) => `vaka-schema-${label}-${Math.random().toString(36).slice(2)}`;

describe('VakaDatabase', () => {
  it('opens a new database at the latest version with every table', async () => {
    const db = new VakaDatabase(uniqueName('new'));
    await db.open();
    expect(db.verno).toBe(2);
    expect(db.tables.map((t) => t.name).sort()).toEqual(
      [...Object.keys(V1_STORES), 'rejections', 'serverCopies'].sort(),
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
    expect(db.verno).toBe(2);
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
});
