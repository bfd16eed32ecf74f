/**
 * The download queue and the pack plan: "Download all" sizes before it
 * fetches, fetches only what changed (a new version is a new sha256; the
 * old file stays until the new one verifies, then goes), pauses offline and
 * resumes on 'online', refuses up front when the estimate says it cannot fit,
 * returns the space of a half-written file when the disk fills, and forgets
 * files of withdrawn materials.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeDeviceIdentity, type VakaDatabase } from '../db/database';
import { fakeUuid } from '../sync/testing/fake-sync-server';
import { freshDb } from '../sync/testing/fixtures';
import { DownloadManager, type ManagerEnv } from './manager';
import { planPack, type MaterialRef } from './plan';
import { readCompleteFile, removeDownloads, storedFileBytes } from './store';
import { FakeFileServer, sampleBytes } from './testing/fake-file-server';

let db: VakaDatabase;
let server: FakeFileServer;
const workshopId = fakeUuid();

beforeEach(() => {
  db = freshDb('manager');
  server = new FakeFileServer();
});

afterEach(() => db.close());

/** Publishes a material: its file on the server, its record in the device's database. */
async function publish(
  bytes: Uint8Array,
  extra: Partial<MaterialRef> & { version?: number } = {},
): Promise<MaterialRef> {
  const sha256 = await server.add(bytes, 'application/pdf', extra.audience === 'participants' ? 'tok' : undefined);
  const ref: MaterialRef = {
    id: extra.id ?? fakeUuid(),
    workshopId,
    sha256,
    byteSize: bytes.length,
    mediaType: 'application/pdf',
    audience: extra.audience ?? 'public',
  };
  await db.materials.put({
    ...ref,
    title: 'Slides',
    language: 'en',
    version: extra.version ?? 1,
    sample: false,
    sessionIds: [],
    _version: 1,
    _deleted: false,
    _updatedAt: '2025-01-01T00:00:00.000Z',
  });
  return ref;
}

function manager(extra: ManagerEnv = {}): DownloadManager {
  return new DownloadManager(db, {
    fetchImpl: server.fetch,
    chunkBytes: 700,
    locks: null,
    sleep: async () => undefined,
    retryDelaysMs: [1, 1],
    ...extra,
  });
}

async function plan(materials: MaterialRef[]) {
  return planPack(materials, await db.downloads.toArray(), await db.files.toArray());
}

describe('planPack', () => {
  it('counts the bytes to fetch before anything is downloaded, a shared file once', async () => {
    const a = await publish(sampleBytes(1000, 1));
    const b = await publish(sampleBytes(2000, 2));
    const twin = { ...a, id: fakeUuid() };
    const p = await plan([a, b, twin]);
    expect(p.totalBytes).toBe(3000);
    expect(p.bytesToFetch).toBe(3000);
    expect(p.toFetch.map((m) => m.id)).toEqual([a.id, b.id, twin.id]);
    expect([...p.items.values()].every((i) => i.state === 'none')).toBe(true);
  });
});

describe('DownloadManager', () => {
  it('downloads a whole pack, then finds nothing left to fetch', async () => {
    const a = await publish(sampleBytes(1500, 1));
    const b = await publish(sampleBytes(900, 2));
    const m = manager();
    await m.enqueue([a, b], (await plan([a, b])).bytesToFetch);
    const after = await plan([a, b]);
    expect(after.bytesToFetch).toBe(0);
    expect(after.items.get(a.id)?.state).toBe('current');
    expect(m.getSnapshot().items.get(b.id)).toMatchObject({ status: 'done', receivedBytes: 900 });
    const served = server.bytesServed;
    await m.enqueue(after.toFetch);
    expect(server.bytesServed).toBe(served);
  });

  it('fetches only the changed material, keeping its old file until the new one verifies', async () => {
    const a = await publish(sampleBytes(1500, 1));
    const b = await publish(sampleBytes(900, 2));
    await manager().enqueue([a, b]);
    const v1 = a.sha256;

    // The coordinator replaces a's file: a new sha256 and version.
    const a2 = await publish(sampleBytes(1600, 3), { id: a.id, version: 2 });
    let p = await plan([a2, b]);
    expect(p.items.get(a.id)?.state).toBe('outdated');
    expect(p.bytesToFetch).toBe(1600);
    expect(p.toFetch.map((m) => m.id)).toEqual([a.id]);

    // Cut on the way: the old version still opens.
    server.cutAfterBytes = 800;
    server.offline = false;
    const m = manager({ retryDelaysMs: [], isOnline: () => false });
    await m.enqueue(p.toFetch);
    expect(m.getSnapshot().stoppedBy).toBe('offline');
    expect(await readCompleteFile(db, v1)).not.toBeNull();
    expect((await db.downloads.get(a.id))?.sha256).toBe(v1);
    p = await plan([a2, b]);
    expect(p.items.get(a.id)).toMatchObject({ state: 'outdated', receivedBytes: 800 });
    expect(p.bytesToFetch).toBe(800);

    const before = server.bytesServed;
    await m.resume();
    expect(server.bytesServed - before).toBe(800);
    expect((await db.downloads.get(a.id))?.sha256).toBe(a2.sha256);
    expect(await db.files.get(v1)).toBeUndefined();
    expect(await db.fileChunks.where('sha256').equals(v1).count()).toBe(0);
    expect(await storedFileBytes(db)).toBe(1600 + 900);
  });

  it('pauses while offline and resumes by itself when the phone is back online', async () => {
    const a = await publish(sampleBytes(3000, 4));
    const b = await publish(sampleBytes(500, 5));
    let online = true;
    let fireOnline: (() => void) | null = null;
    const m = manager({
      isOnline: () => online,
      onOnline: (listener) => {
        fireOnline = listener;
        return () => {
          fireOnline = null;
        };
      },
    });
    server.cutAfterBytes = 1000;
    const done = m.enqueue([a, b]);
    // The cut comes with the phone going offline: no quick retries.
    online = false;
    server.offline = true;
    await done;
    expect(m.getSnapshot()).toMatchObject({ running: false, stoppedBy: 'offline' });
    expect(m.getSnapshot().items.get(a.id)).toMatchObject({ status: 'queued', error: 'offline' });
    expect((await db.downloads.get(a.id))?.error).toBe('offline');

    online = true;
    server.offline = false;
    expect(fireOnline).not.toBeNull();
    fireOnline!();
    await new Promise((resolve) => setTimeout(resolve, 0));
    await m.enqueue([]);
    await waitFor(() => m.getSnapshot().items.get(b.id)?.status === 'done');
    expect((await plan([a, b])).bytesToFetch).toBe(0);
    expect(server.bytesServed).toBe(3500);
  });

  it('retries a flickering link a few times before pausing', async () => {
    const a = await publish(sampleBytes(2000, 6));
    let failures = 2;
    const flaky: typeof fetch = async (input, init) => {
      if (failures-- > 0) throw new TypeError('Failed to fetch');
      return server.fetch(input, init);
    };
    const m = manager({ fetchImpl: flaky, retryDelaysMs: [1, 1, 1] });
    await m.enqueue([a]);
    expect(m.getSnapshot().items.get(a.id)?.status).toBe('done');
  });

  it('refuses up front, writing nothing, when the storage estimate says the pack cannot fit', async () => {
    const a = await publish(sampleBytes(4000, 7));
    const m = manager({ estimate: async () => ({ usage: 1_000_000, quota: 1_000_000 + 4_000 }) });
    await m.enqueue([a], 4000);
    expect(m.getSnapshot().stoppedBy).toBe('quota');
    expect(m.getSnapshot().items.get(a.id)).toMatchObject({ status: 'failed', error: 'quota' });
    expect(server.requests.length).toBe(0);
    expect(await db.files.count()).toBe(0);
    expect(await db.fileChunks.count()).toBe(0);
  });

  it('stops on a full disk, returning the half-written file and queueing nothing more', async () => {
    const a = await publish(sampleBytes(3000, 8));
    const b = await publish(sampleBytes(1000, 9));
    const realPut = db.fileChunks.put.bind(db.fileChunks);
    let puts = 0;
    db.fileChunks.put = ((...args: Parameters<typeof realPut>) => {
      if (++puts === 3) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return realPut(...args);
    }) as typeof realPut;
    const m = manager();
    await m.enqueue([a, b]);
    expect(m.getSnapshot().stoppedBy).toBe('quota');
    expect(m.getSnapshot().items.get(a.id)).toMatchObject({ status: 'failed', error: 'quota', receivedBytes: 0 });
    expect(m.getSnapshot().items.get(b.id)).toMatchObject({ status: 'failed', error: 'quota' });
    expect(await db.fileChunks.count()).toBe(0);
    expect(await storedFileBytes(db)).toBe(0);
    expect(await readCompleteFile(db, a.sha256)).toBeNull();
    expect((await db.downloads.get(a.id))?.error).toBe('quota');
    expect(server.requests.filter((r) => r.sha256 === b.sha256)).toEqual([]);

    // Space freed: trying again completes both.
    db.fileChunks.put = realPut;
    await m.resume();
    expect((await plan([a, b])).bytesToFetch).toBe(0);
  });

  it('sends the device token for participants-only materials', async () => {
    await writeDeviceIdentity(db, {
      key: 'device',
      deviceId: fakeUuid(),
      deviceToken: 'tok',
      participantId: fakeUuid(),
      workshopIds: [workshopId],
      enrolledAt: '2025-01-01T00:00:00.000Z',
    });
    const a = await publish(sampleBytes(800, 10), { audience: 'participants' });
    const m = manager();
    await m.enqueue([a]);
    expect(m.getSnapshot().items.get(a.id)?.status).toBe('done');
    expect(server.requests[0]?.authorization).toBe('Bearer tok');
  });

  it('reports a refused file without stopping the rest of the pack', async () => {
    const a = await publish(sampleBytes(800, 11), { audience: 'participants' });
    const b = await publish(sampleBytes(600, 12));
    const m = manager();
    await m.enqueue([a, b]);
    expect(m.getSnapshot().items.get(a.id)).toMatchObject({ status: 'failed', error: 'forbidden' });
    expect(m.getSnapshot().items.get(b.id)?.status).toBe('done');
  });

  it('frees the files of withdrawn materials and of removed downloads', async () => {
    const a = await publish(sampleBytes(1000, 13));
    const b = await publish(sampleBytes(1200, 14));
    const m = manager();
    await m.enqueue([a, b]);
    expect(await storedFileBytes(db)).toBe(2200);
    expect(await removeDownloads(db, [b.id])).toBe(1200);
    expect(await storedFileBytes(db)).toBe(1000);

    await db.materials.update(a.id, { _deleted: true });
    const c = await publish(sampleBytes(300, 15));
    await m.enqueue([c]);
    expect(await db.files.get(a.sha256)).toBeUndefined();
    expect(await storedFileBytes(db)).toBe(300);
  });
});

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(check()).toBe(true);
}
