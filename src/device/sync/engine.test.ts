/**
 * The sync engine against a scripted in-memory server: acknowledgements,
 * replays after lost responses, gaps, conflicts, rejections, rebasing queued
 * edits over pulled changes, paging, resets, transient failures, revocation
 * and outdated clients or servers, plus a randomised convergence run.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readDeviceIdentity, readSyncState, type LocalMeta, type VakaDatabase } from '../db/database';
import { createRecord, deleteRecord, updateRecord } from '../db/writes';
import { syncOnce, type SyncOptions } from './engine';
import { SyncAuthError, SyncOutdatedError, SyncServerOutdatedError, SyncTransientError } from './errors';
import { FakeSyncServer, fakeUuid } from './testing/fake-sync-server';
import {
  actionData,
  enrolledClient,
  evaluationData,
  freshDb,
  materialData,
  participantData,
  workshopData,
} from './testing/fixtures';

let server: FakeSyncServer;
let workshopId: string;
let participantId: string;
const opened: VakaDatabase[] = [];

beforeEach(() => {
  server = new FakeSyncServer();
  workshopId = fakeUuid();
  participantId = fakeUuid();
  server.adminWrite('workshops', workshopData(workshopId));
  server.adminWrite('participants', participantData(participantId));
  server.adminWrite('materials', materialData(workshopId, 'public'));
  server.adminWrite('materials', materialData(workshopId, 'participants'));
});

afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

async function client(label = 'client') {
  const c = await enrolledClient(server, participantId, [workshopId], label);
  opened.push(c.db);
  return c;
}

const sync = (db: VakaDatabase, options: SyncOptions = {}) =>
  syncOnce(db, server.transport, { lock: 'none', ...options });

const plain = <T extends LocalMeta>(record: T | undefined): Record<string, unknown> | undefined => {
  if (!record) return undefined;
  const { _version: _v, _deleted: _d, _updatedAt: _u, ...rest } = record;
  return rest;
};

describe('pull', () => {
  it('pulls only public content before enrolment and never sends the outbox', async () => {
    const db = freshDb('anon');
    opened.push(db);
    await createRecord(db, 'evaluations', { ...evaluationData(workshopId), participantId });
    const outcome = await sync(db);
    expect(outcome).toMatchObject({ complete: true, sent: 0, rounds: 1 });
    expect(server.requests[0]?.token).toBeNull();
    expect(server.requests[0]?.body.mutations).toEqual([]);
    expect(await db.workshops.count()).toBe(1);
    expect((await db.materials.toArray()).map((m) => m.audience)).toEqual(['public']);
    expect(await db.participants.count()).toBe(0);
    expect(await db.outbox.count()).toBe(1);
    const state = await readSyncState(db);
    expect(Object.keys(state.cursors).sort()).toEqual(['catalog', `w:${workshopId}`]);
    expect(state.epoch).toBe(server.epoch);
    expect(state.lastSuccessAt).not.toBeNull();
  });

  it('pages while the server has more, within the round limit', async () => {
    for (let i = 0; i < 6; i++) server.adminWrite('workshops', workshopData());
    server.pageSize = 2;
    const db = freshDb('paging');
    opened.push(db);
    const partial = await sync(db, { maxRounds: 2 });
    expect(partial).toMatchObject({ complete: false, rounds: 2, received: 4 });
    const rest = await sync(db);
    expect(rest.complete).toBe(true);
    expect(await db.workshops.count()).toBe(7);
    expect(await db.materials.count()).toBe(1);
    const quiet = await sync(db);
    expect(quiet).toMatchObject({ rounds: 1, received: 0 });
    // An idle sync names each scope by its short id, and no cursor comes back.
    const state = await readSyncState(db);
    const sent = server.requests.at(-1)?.body.cursors ?? {};
    expect(Object.keys(sent).every((key) => /^[0-9]+$/.test(key))).toBe(true);
    expect(sent).toEqual(
      Object.fromEntries(Object.entries(state.cursors).map(([scope, seq]) => [String(state.scopeIds?.[scope]), seq])),
    );
    expect(server.responses.at(-1)).toMatchObject({ cursors: {}, scopeIds: {}, changes: [] });
  });

  it('keeps pulling correctly when the server forgets its short ids with a new epoch', async () => {
    const db = freshDb('short-ids-restore');
    opened.push(db);
    await sync(db);
    const backup = server.snapshot();
    server.adminWrite('workshops', workshopData());
    await sync(db);
    server.restore(backup);
    const extra = server.adminWrite('workshops', workshopData());
    const after = await sync(db);
    expect(after.complete).toBe(true);
    expect(await db.workshops.get(String(extra.id))).toBeDefined();
    const state = await readSyncState(db);
    expect(state.epoch).toBe(server.epoch);
    expect(Object.keys(state.scopeIds ?? {}).sort()).toEqual(Object.keys(state.cursors).sort());
  });

  it('applies tombstones and ignores versions older than the device has', async () => {
    const { db } = await client();
    await sync(db);
    const other = server.adminWrite('workshops', workshopData());
    await sync(db);
    server.adminDelete(String(other.id));
    await sync(db);
    expect((await db.workshops.get(String(other.id)))?._deleted).toBe(true);
  });
});

describe('push', () => {
  it('sends queued writes, removes acknowledged entries and takes the server version; no echo comes back', async () => {
    const { db } = await client();
    const action = await createRecord(db, 'followUpActions', actionData(workshopId));
    await updateRecord(db, 'followUpActions', action.id, { audience: 'Audit unit' });
    const outcome = await sync(db);
    expect(outcome).toMatchObject({ sent: 2, acknowledged: 2, conflicts: 0, rejected: 0 });
    const sent = server.requests[0]?.body.mutations ?? [];
    expect(sent.map((m) => m.mid)).toEqual([1, 2]);
    expect(sent[0]).not.toHaveProperty('queuedAt');
    expect(await db.outbox.count()).toBe(0);
    expect(await db.serverCopies.count()).toBe(0);
    const local = await db.followUpActions.get(action.id);
    expect(local?._version).toBe(server.get(action.id)?._seq);
    expect(plain(local)).toEqual(server.liveRecords('followUpActions')[0]);
    server.adminWrite('workshops', workshopData());
    await sync(db);
    const pulled = server.responses.at(-1)?.changes.map((c) => c.id) ?? [];
    expect(pulled).toHaveLength(1);
    expect(pulled).not.toContain(action.id);
  });

  it('deletes only acknowledged entries: a write made while the request is out stays queued', async () => {
    const { db } = await client();
    for (let i = 0; i < 3; i++) await createRecord(db, 'followUpActions', actionData(workshopId));
    let lateId = '';
    server.beforeRespond = async () => {
      server.beforeRespond = null;
      lateId = (await createRecord(db, 'evaluations', evaluationData(workshopId))).id;
    };
    await sync(db);
    const left = await db.outbox.toArray();
    expect(left.map((e) => [e.mid, e.recordId])).toEqual([[4, lateId]]);
    expect((await db.evaluations.get(lateId))?._version).toBe(0);
    await sync(db);
    expect(await db.outbox.count()).toBe(0);
    expect(server.liveRecords('evaluations')).toHaveLength(1);
  });

  it('sends a long outbox in batches and keeps what a failed batch did not reach', async () => {
    const { db } = await client();
    for (let i = 0; i < 5; i++) await createRecord(db, 'followUpActions', actionData(workshopId));
    server.faults = [{ kind: 'network' }];
    server.beforeRespond = async () => {
      // Second request fails with 503 after the first batch was committed and stored.
      server.faults = [{ kind: 'status', status: 503, headers: { 'retry-after': '120' } }];
      server.beforeRespond = null;
    };
    await expect(sync(db, { batchSize: 2 })).rejects.toBeInstanceOf(SyncTransientError);
    expect(await db.outbox.count()).toBe(5); // the network failure came first
    const error = await sync(db, { batchSize: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SyncTransientError);
    expect((error as SyncTransientError).retryAfterMs).toBe(120_000);
    expect((error as SyncTransientError).key).toBe('sync.error.server');
    expect((await db.outbox.toArray()).map((e) => e.mid)).toEqual([3, 4, 5]);
    expect((await readSyncState(db)).lastError).toBe('sync.error.server');
    const done = await sync(db, { batchSize: 2 });
    expect(done).toMatchObject({ rounds: 2, acknowledged: 3, complete: true });
    expect(server.liveRecords('followUpActions')).toHaveLength(5);
    expect((await readSyncState(db)).lastError).toBeNull();
  });

  it('gives no duplicates when responses are lost after the server committed', async () => {
    const { db, device } = await client();
    const a = await createRecord(db, 'followUpActions', actionData(workshopId));
    await createRecord(db, 'evaluations', evaluationData(workshopId));
    await updateRecord(db, 'followUpActions', a.id, { description: 'Edited before sending' });
    server.faults = [{ kind: 'lose-response' }, { kind: 'lose-response' }, { kind: 'lose-response' }];
    for (let i = 0; i < 3; i++) {
      const error = await sync(db).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SyncTransientError);
      expect((error as SyncTransientError).key).toBe('sync.error.offline');
    }
    expect(device.lastMid).toBe(3);
    expect(await db.outbox.count()).toBe(3);
    const outcome = await sync(db);
    expect(outcome.acknowledged).toBe(3);
    expect(await db.outbox.count()).toBe(0);
    expect(server.liveRecords('followUpActions')).toHaveLength(1);
    expect(server.liveRecords('evaluations')).toHaveLength(1);
    expect(server.liveRecords('followUpActions')[0]?.description).toBe('Edited before sending');
    expect((await db.followUpActions.get(a.id))?._version).toBe(server.get(a.id)?._seq);
  });

  it('halves the batch when the server says the request is too large', async () => {
    const { db } = await client();
    for (let i = 0; i < 4; i++) await createRecord(db, 'followUpActions', actionData(workshopId));
    server.faults = [{ kind: 'status', status: 413 }];
    const outcome = await sync(db, { batchSize: 4 });
    expect(server.requests.map((r) => r.body.mutations.length)).toEqual([4, 2, 2]);
    expect(outcome.complete).toBe(true);
    expect(await db.outbox.count()).toBe(0);
  });
});

describe('conflicts and rejections', () => {
  it('records a merge when two devices change the same field; both end equal to the server', async () => {
    const a = await client('a');
    const b = await client('b');
    const action = await createRecord(a.db, 'followUpActions', actionData(workshopId));
    await sync(a.db);
    await sync(b.db);
    await updateRecord(a.db, 'followUpActions', action.id, { description: 'From A' });
    await updateRecord(b.db, 'followUpActions', action.id, { description: 'From B', audience: 'Commissioner' });
    await sync(a.db);
    const outcome = await sync(b.db);
    expect(outcome.conflicts).toBe(1);
    const logged = await b.db.conflicts.toArray();
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      collection: 'followUpActions',
      recordId: action.id,
      seen: false,
      conflicts: [{ field: 'description', replaced: 'From A', kept: 'From B' }],
    });
    await sync(a.db);
    const onServer = server.liveRecords('followUpActions')[0];
    expect(onServer).toMatchObject({ description: 'From B', audience: 'Commissioner' });
    expect(plain(await a.db.followUpActions.get(action.id))).toEqual(onServer);
    expect(plain(await b.db.followUpActions.get(action.id))).toEqual(onServer);
    expect((await a.db.followUpActions.get(action.id))?._version).toBe(server.get(action.id)?._seq);
    expect((await b.db.followUpActions.get(action.id))?._version).toBe(server.get(action.id)?._seq);
  });

  it('keeps queued edits on top of pulled changes, then merges them on the server', async () => {
    const a = await client('a');
    const b = await client('b');
    const action = await createRecord(a.db, 'followUpActions', actionData(workshopId));
    await sync(a.db);
    await sync(b.db);
    await updateRecord(b.db, 'followUpActions', action.id, { audience: 'From B', attendees: 12 });
    await sync(b.db);
    // A edits while its pull is in flight: the pulled change must not hide these edits.
    server.beforeRespond = async () => {
      server.beforeRespond = null;
      await updateRecord(a.db, 'followUpActions', action.id, { description: 'From A', audience: 'From A' });
    };
    await sync(a.db);
    const rebased = await a.db.followUpActions.get(action.id);
    expect(rebased).toMatchObject({ description: 'From A', audience: 'From A', attendees: 12 });
    expect((await a.db.serverCopies.get(`followUpActions/${action.id}`))?.record).toMatchObject({
      audience: 'From B',
      attendees: 12,
    });
    expect(await a.db.outbox.count()).toBe(1);

    await sync(a.db);
    await sync(b.db);
    const onServer = server.liveRecords('followUpActions')[0];
    expect(onServer).toMatchObject({ description: 'From A', audience: 'From A', attendees: 12 });
    expect(plain(await a.db.followUpActions.get(action.id))).toEqual(onServer);
    expect(plain(await b.db.followUpActions.get(action.id))).toEqual(onServer);
    // A based its edit on the version before B's change: audience collided, description did not.
    expect((await a.db.conflicts.toArray()).flatMap((c) => c.conflicts.map((n) => n.field))).toEqual(['audience']);
  });

  it('restores the server copy when a patch is rejected and keeps what was typed in the rejection log', async () => {
    const { db } = await client();
    const action = await createRecord(db, 'followUpActions', actionData(workshopId));
    await sync(db);
    await updateRecord(db, 'followUpActions', action.id, { description: 'Not accepted' });
    const keep = await createRecord(db, 'evaluations', evaluationData(workshopId));
    server.faults = [{ kind: 'reject-next', code: 'attachment_missing' }];
    const outcome = await sync(db);
    expect(outcome.rejected).toBe(1);
    expect((await db.followUpActions.get(action.id))?.description).toBe(action.description);
    expect(await db.rejections.toArray()).toEqual([
      expect.objectContaining({
        mid: 2,
        op: 'patch',
        recordId: action.id,
        code: 'attachment_missing',
        fields: { description: 'Not accepted' },
        seen: false,
      }),
    ]);
    expect(await db.outbox.count()).toBe(0);
    expect(await db.serverCopies.count()).toBe(0);
    expect(server.get(keep.id)).not.toBeNull(); // the queue moved on past the rejection
  });

  it('drops a rejected create from the list but not from the log', async () => {
    const { db } = await client();
    const foreign = await createRecord(db, 'evaluations', { ...evaluationData(workshopId), participantId: fakeUuid() });
    await sync(db);
    expect(await db.evaluations.get(foreign.id)).toBeUndefined();
    const [rejection] = await db.rejections.toArray();
    expect(rejection).toMatchObject({ op: 'create', code: 'forbidden', fields: { overall: 5 } });
  });

  it('lets a delete on another device win over an offline edit', async () => {
    const a = await client('a');
    const b = await client('b');
    const action = await createRecord(a.db, 'followUpActions', actionData(workshopId));
    await sync(a.db);
    await sync(b.db);
    await deleteRecord(b.db, 'followUpActions', action.id);
    await sync(b.db);
    await updateRecord(a.db, 'followUpActions', action.id, { description: 'Too late' });
    const outcome = await sync(a.db);
    expect(outcome.rejected).toBe(1);
    expect(await a.db.followUpActions.get(action.id)).toMatchObject({
      _deleted: true,
      description: action.description,
    });
    expect((await a.db.rejections.toArray())[0]).toMatchObject({ code: 'deleted' });
  });
});

describe('reset and gaps', () => {
  it('after a server restore: drops synced data, keeps queued records, renumbers past the gap and resends', async () => {
    const { db, device } = await client();
    const kept = await createRecord(
      db,
      'followUpActions',
      actionData(workshopId, { description: 'Synced before the backup' }),
    );
    await sync(db);
    const backup = server.snapshot();
    const lost = await createRecord(
      db,
      'followUpActions',
      actionData(workshopId, { description: 'Synced after the backup' }),
    );
    await sync(db);
    server.restore(backup);
    const restoredDevice = server.devices.get(device.token);
    expect(restoredDevice?.lastMid).toBe(1);

    await updateRecord(db, 'followUpActions', kept.id, { audience: 'Edited offline' });
    const fresh = await createRecord(db, 'evaluations', evaluationData(workshopId));
    expect((await db.outbox.toArray()).map((e) => e.mid)).toEqual([3, 4]);

    const outcome = await sync(db);
    expect(outcome.reset).toBe(true);
    expect(server.requests.at(-2)?.body.mutations.map((m) => m.mid)).toEqual([3, 4]);
    expect(server.requests.at(-1)?.body.mutations.map((m) => m.mid)).toEqual([2, 3]);
    expect(await db.outbox.count()).toBe(0);
    expect((await readSyncState(db)).nextMid).toBe(4);
    expect((await readSyncState(db)).epoch).toBe(server.epoch);
    // The record only the old epoch had is gone (the server lost it); queued ones survived and were sent.
    expect(await db.followUpActions.get(lost.id)).toBeUndefined();
    expect(server.get(kept.id)).toMatchObject({ audience: 'Edited offline' });
    expect(server.get(fresh.id)).not.toBeNull();
    expect(plain(await db.followUpActions.get(kept.id))).toEqual(server.liveRecords('followUpActions')[0]);
    expect(await db.workshops.count()).toBe(1);
    expect(await db.participants.count()).toBe(1);
  });
});

describe('failures', () => {
  it('maps a dropped connection to the offline error and changes nothing', async () => {
    const { db } = await client();
    await createRecord(db, 'evaluations', evaluationData(workshopId));
    const before = await readSyncState(db);
    server.faults = [{ kind: 'network' }];
    await expect(sync(db)).rejects.toMatchObject({ key: 'sync.error.offline', transient: true });
    const after = await readSyncState(db);
    expect(after).toMatchObject({
      cursors: before.cursors,
      epoch: before.epoch,
      nextMid: before.nextMid,
      lastError: 'sync.error.offline',
    });
    expect(await db.outbox.count()).toBe(1);
  });

  it('wipes the participant’s data on 401 revoked but keeps public content', async () => {
    const { db, device } = await client();
    const action = await createRecord(db, 'followUpActions', actionData(workshopId));
    await sync(db);
    await updateRecord(db, 'followUpActions', action.id, { description: 'Never sent' });
    await db.conflicts.add({ collection: 'followUpActions', recordId: action.id, conflicts: [], at: 'x', seen: false });
    expect(await db.materials.count()).toBe(2);
    server.revoke(device.token);

    const error = await sync(db).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SyncAuthError);
    expect((error as SyncAuthError).key).toBe('sync.error.revoked');
    for (const table of [
      db.followUpActions,
      db.surveyResponses,
      db.evaluations,
      db.participants,
      db.outbox,
      db.conflicts,
      db.rejections,
      db.serverCopies,
    ]) {
      expect(await table.count()).toBe(0);
    }
    expect(await readDeviceIdentity(db)).toBeNull();
    expect(await db.workshops.count()).toBe(1);
    expect((await db.materials.toArray()).map((m) => m.audience)).toEqual(['public']);
    const state = await readSyncState(db);
    expect(Object.keys(state.cursors).sort()).toEqual(['catalog', `w:${workshopId}`]);
    expect(state).toMatchObject({ authProblem: 'revoked', lastError: 'sync.error.revoked', nextMid: 1 });

    // Afterwards the phone still pulls public content, anonymously, and keeps the notice.
    server.adminWrite('workshops', workshopData());
    await sync(db);
    expect(server.requests.at(-1)?.token).toBeNull();
    expect(await db.workshops.count()).toBe(2);
    expect((await readSyncState(db)).authProblem).toBe('revoked');
  });

  it('keeps everything on 401 unauthorized (unknown token) and says so', async () => {
    const { db, device } = await client();
    await createRecord(db, 'evaluations', evaluationData(workshopId));
    server.devices.delete(device.token);
    await expect(sync(db)).rejects.toMatchObject({ reason: 'unauthorized', key: 'sync.error.unauthorized' });
    expect(await db.outbox.count()).toBe(1);
    expect(await db.evaluations.count()).toBe(1);
    expect(await readDeviceIdentity(db)).not.toBeNull();
    expect((await readSyncState(db)).authProblem).toBe('unauthorized');
  });

  it('stops with an outdated error on 426', async () => {
    const { db } = await client();
    server.faults = [{ kind: 'status', status: 426, body: { error: 'client_outdated', message: 'update' } }];
    await expect(sync(db)).rejects.toBeInstanceOf(SyncOutdatedError);
    expect((await readSyncState(db)).lastError).toBe('sync.error.outdated');
  });

  it('stops with a server-outdated error on 501 "server_outdated", keeping the outbox and nothing to retry', async () => {
    const { db } = await client();
    await createRecord(db, 'evaluations', evaluationData(workshopId));
    server.faults = [{ kind: 'status', status: 501, body: { error: 'server_outdated', message: 'update the server' } }];
    const before = server.requests.length;
    const failure = await sync(db).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(SyncServerOutdatedError);
    expect(failure).toMatchObject({ transient: false, key: 'sync.error.serverOutdated' });
    expect((await readSyncState(db)).lastError).toBe('sync.error.serverOutdated');
    expect(await db.outbox.count()).toBe(1);
    // One request, no retry inside the sync: the scheduler decides when to ask again.
    expect(server.requests).toHaveLength(before + 1);
  });

  it('treats a 501 without that code as a passing server failure', async () => {
    const { db } = await client();
    server.faults = [{ kind: 'status', status: 501, body: null }];
    await expect(sync(db)).rejects.toBeInstanceOf(SyncTransientError);
  });

  it('treats an unreadable 200 as a server error without touching the outbox', async () => {
    const { db } = await client();
    await createRecord(db, 'evaluations', evaluationData(workshopId));
    const broken = async () => ({ status: 200, headers: {}, body: { hello: 'world' } });
    await expect(syncOnce(db, broken, { lock: 'none' })).rejects.toMatchObject({
      key: 'sync.error.server',
      transient: false,
    });
    expect(await db.outbox.count()).toBe(1);
  });
});

describe('locking', () => {
  it('skips a second sync while one is running in the same context', async () => {
    const { db } = await client();
    const [first, second] = await Promise.all([
      syncOnce(db, server.transport, { locks: null }),
      syncOnce(db, server.transport, { locks: null }),
    ]);
    expect([first.skipped, second.skipped].sort()).toEqual([false, true]);
  });

  it('uses navigator-style locks with ifAvailable', async () => {
    const { db } = await client();
    const requests: { name: string; options: LockOptions }[] = [];
    const locks = {
      request: async (name: string, options: LockOptions, callback: (lock: Lock | null) => Promise<unknown>) => {
        requests.push({ name, options });
        return callback(null); // someone else holds it
      },
      query: async () => ({}),
    } as unknown as LockManager;
    const outcome = await syncOnce(db, server.transport, { locks });
    expect(outcome.skipped).toBe(true);
    expect(requests).toEqual([{ name: 'vaka-sync', options: { ifAvailable: true } }]);
    expect(server.requests).toHaveLength(0);
  });
});

describe('convergence', () => {
  it.each([20250101, 7, 424242, 99, 1234567])(
    'two devices with random edits, lost responses and failures end equal to the server (seed %i)',
    async (initialSeed) => {
      let seed = initialSeed;
      const random = () => {
        seed = (seed * 1664525 + 1013904223) % 4294967296;
        return seed / 4294967296;
      };
      const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(random() * items.length)];
      server.pageSize = 3;
      const devices = [await client('x'), await client('y')];
      const faults = [{ kind: 'lose-response' }, { kind: 'network' }, { kind: 'status', status: 503 }] as const;
      const seen = { conflicts: 0, rejected: 0, failures: 0 };

      for (let step = 0; step < 150; step++) {
        const { db } = pick(devices)!;
        const roll = random();
        const live = (await db.followUpActions.toArray()).filter((r) => !r._deleted);
        if (roll < 0.2 || live.length === 0) {
          await createRecord(db, 'followUpActions', actionData(workshopId, { description: `created ${step}` }));
        } else if (roll < 0.6) {
          const target = pick(live)!;
          const field = pick(['description', 'audience', 'attendees'] as const)!;
          const value = field === 'attendees' ? Math.floor(random() * 50) + 1 : `${field} ${step}`;
          await updateRecord(db, 'followUpActions', target.id, { [field]: value });
        } else if (roll < 0.66) {
          await deleteRecord(db, 'followUpActions', pick(live)!.id);
        } else {
          if (random() < 0.3) server.faults = [{ ...pick(faults)! }];
          try {
            const outcome = await sync(db, { batchSize: 4 });
            seen.conflicts += outcome.conflicts;
            seen.rejected += outcome.rejected;
          } catch (e) {
            if (!(e instanceof SyncTransientError)) throw e;
            seen.failures++;
          }
        }
      }
      server.faults = [];
      for (let pass = 0; pass < 2; pass++) for (const { db } of devices) await sync(db);

      expect(seen.failures).toBeGreaterThan(0);
      expect(seen.conflicts + seen.rejected).toBeGreaterThan(0);
      const byId = (p: Record<string, unknown> | undefined, q: Record<string, unknown> | undefined) =>
        String(p?.id).localeCompare(String(q?.id));
      const expected = server.liveRecords('followUpActions').sort(byId);
      expect(expected.length).toBeGreaterThan(3);
      for (const { db } of devices) {
        expect(await db.outbox.count()).toBe(0);
        expect(await db.serverCopies.count()).toBe(0);
        const local = (await db.followUpActions.toArray()).filter((r) => !r._deleted);
        expect(local.map(plain).sort(byId)).toEqual(expected);
        for (const record of local) expect(record._version).toBe(server.get(record.id)?._seq);
      }
    },
  );
});
