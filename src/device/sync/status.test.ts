/** The status store: live counts from IndexedDB, stable snapshots, error keys. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readSyncState, writeSyncState, type VakaDatabase } from '../db/database';
import { createRecord, updateRecord } from '../db/writes';
import { createSyncStatusStore } from './status';
import { FakeSyncServer, fakeUuid } from './testing/fake-sync-server';
import { actionData, enrolledClient, evaluationData } from './testing/fixtures';

const opened: VakaDatabase[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

describe('createSyncStatusStore', () => {
  it('follows the outbox, the meta rows and the logs, and keeps the snapshot stable in between', async () => {
    const workshopId = fakeUuid();
    const participantId = fakeUuid();
    const { db } = await enrolledClient(new FakeSyncServer(), participantId, [workshopId], 'status');
    opened.push(db);
    const store = createSyncStatusStore(db);
    const initial = store.getSnapshot();
    expect(initial.loaded).toBe(false);
    const unsubscribe = store.subscribe(() => undefined);
    await vi.waitFor(() =>
      expect(store.getSnapshot()).toMatchObject({ loaded: true, enrolled: true, participantId, pending: 0 }),
    );
    const loaded = store.getSnapshot();
    expect(store.getSnapshot()).toBe(loaded);

    const first = await createRecord(db, 'evaluations', evaluationData(workshopId));
    await createRecord(db, 'evaluations', evaluationData(workshopId));
    await vi.waitFor(() =>
      expect(store.getSnapshot()).toMatchObject({ pending: 2, oldestPendingAt: first._updatedAt }),
    );

    await writeSyncState(db, {
      ...(await readSyncState(db)),
      lastError: 'sync.error.server',
      lastErrorAt: '2025-01-01T00:00:00.000Z',
    });
    await db.rejections.add({
      mid: 1,
      collection: 'evaluations',
      recordId: first.id,
      op: 'create',
      fields: {},
      code: 'invalid',
      message: 'x',
      at: 'x',
      seen: false,
    });
    await db.conflicts.add({ collection: 'evaluations', recordId: first.id, conflicts: [], at: 'x', seen: true });
    await vi.waitFor(() =>
      expect(store.getSnapshot()).toMatchObject({
        error: 'sync.error.server',
        unseenRejections: 1,
        unseenConflicts: 0,
      }),
    );

    // Unknown strings in the row never reach the UI as keys.
    await writeSyncState(db, { ...(await readSyncState(db)), lastError: 'something else' });
    await vi.waitFor(() => expect(store.getSnapshot().error).toBeNull());

    store.update({ syncing: true });
    expect(store.getSnapshot().syncing).toBe(true);
    unsubscribe();
  });

  it('counts records waiting to send, not the edits queued for them', async () => {
    const workshopId = fakeUuid();
    const { db } = await enrolledClient(new FakeSyncServer(), fakeUuid(), [workshopId], 'status-records');
    opened.push(db);
    const store = createSyncStatusStore(db);
    const unsubscribe = store.subscribe(() => undefined);

    // A draft autosaved three times, then one logged action: four edits in the outbox, two records.
    const draft = await createRecord(db, 'evaluations', evaluationData(workshopId));
    await updateRecord(db, 'evaluations', draft.id, { overall: 4 });
    await updateRecord(db, 'evaluations', draft.id, { overall: 3 });
    await createRecord(db, 'followUpActions', actionData(workshopId));
    expect(await db.outbox.count()).toBe(4);
    await vi.waitFor(() =>
      expect(store.getSnapshot()).toMatchObject({ pending: 2, oldestPendingAt: draft._updatedAt }),
    );
    const before = store.getSnapshot().lastQueuedMid ?? 0;

    // One more autosave: still two records, but the scheduler must still see that something was written.
    await updateRecord(db, 'evaluations', draft.id, { overall: 2 });
    await vi.waitFor(() => expect(store.getSnapshot().lastQueuedMid).toBeGreaterThan(before));
    expect(store.getSnapshot().pending).toBe(2);
    unsubscribe();
  });
});
