/**
 * The chunked file download against a fake file server: Range requests in
 * order, resume after cuts at random points (inside chunks too) to the right
 * sha256 without fetching stored bytes again, a corrupted byte detected and
 * the file fetched again, servers that ignore Range, participants-only
 * files, a full disk leaving consistent state, and two tabs at once.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VakaDatabase } from '../db/database';
import { freshDb } from '../sync/testing/fixtures';
import { mulberry32 } from '../../../test/support/random';
import { DownloadError, downloadFile, type DownloadFileOptions } from './fetch-file';
import { readCompleteFile } from './store';
import { FakeFileServer, sampleBytes } from './testing/fake-file-server';

let db: VakaDatabase;
let server: FakeFileServer;

beforeEach(() => {
  db = freshDb('download');
  server = new FakeFileServer();
});

afterEach(() => db.close());

const spec = (bytes: Uint8Array, sha256: string) => ({
  sha256,
  byteSize: bytes.length,
  mediaType: 'application/pdf',
});

const options = (extra: DownloadFileOptions = {}): DownloadFileOptions => ({
  fetchImpl: server.fetch,
  chunkBytes: 1000,
  ...extra,
});

async function expectStoredFile(sha256: string, bytes: Uint8Array): Promise<void> {
  const blob = await readCompleteFile(db, sha256);
  expect(blob, 'file is complete').not.toBeNull();
  expect(new Uint8Array(await blob!.arrayBuffer())).toEqual(bytes);
  expect(blob!.type).toBe('application/pdf');
}

/** Chunks and progress agree: the chunks cover exactly [0, receivedBytes). */
async function expectConsistent(sha256: string): Promise<number> {
  const file = await db.files.get(sha256);
  const chunks = await db.fileChunks.where('sha256').equals(sha256).sortBy('offset');
  let next = 0;
  for (const c of chunks) {
    expect(c.offset).toBe(next);
    expect(c.blob.size).toBe(c.size);
    next += c.size;
  }
  expect(next).toBe(file?.receivedBytes ?? 0);
  return next;
}

describe('downloadFile', () => {
  it('fetches the file in Range chunks with If-Range and stores it verified', async () => {
    const bytes = sampleBytes(3500);
    const sha256 = await server.add(bytes);
    const progress: number[] = [];
    await downloadFile(db, spec(bytes, sha256), options({ onProgress: (n) => progress.push(n) }));
    await expectStoredFile(sha256, bytes);
    expect(server.requests.map((r) => r.range)).toEqual([
      'bytes=0-999',
      'bytes=1000-1999',
      'bytes=2000-2999',
      'bytes=3000-3499',
    ]);
    expect(server.requests.every((r) => r.ifRange === `"${sha256}"` && r.authorization === null)).toBe(true);
    expect(await db.fileChunks.where('sha256').equals(sha256).count()).toBe(4);
    expect(progress.at(-1)).toBe(3500);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it('does nothing for a file already complete', async () => {
    const bytes = sampleBytes(1200);
    const sha256 = await server.add(bytes);
    await downloadFile(db, spec(bytes, sha256), options());
    const before = server.requests.length;
    await downloadFile(db, spec(bytes, sha256), options());
    expect(server.requests.length).toBe(before);
  });

  it('resumes after a cut inside a chunk, keeping the bytes that arrived', async () => {
    const bytes = sampleBytes(5000, 7);
    const sha256 = await server.add(bytes);
    server.cutAfterBytes = 2500;
    const error = await downloadFile(db, spec(bytes, sha256), options()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownloadError);
    expect((error as DownloadError).kind).toBe('offline');
    expect((error as DownloadError).transient).toBe(true);
    expect(await expectConsistent(sha256)).toBe(2500);
    expect(await readCompleteFile(db, sha256)).toBeNull();

    server.requests.length = 0;
    await downloadFile(db, spec(bytes, sha256), options());
    expect(server.requests[0]?.range).toBe('bytes=2500-3499');
    await expectStoredFile(sha256, bytes);
    expect(server.bytesServed).toBe(5000);
  });

  it('resumes to the right sha256 after cuts at random points, never fetching a byte twice', async () => {
    const random = mulberry32(20240611);
    for (let run = 0; run < 25; run++) {
      const size = 1 + Math.floor(random() * 9000);
      const bytes = sampleBytes(size, run + 1);
      const file = new FakeFileServer();
      const sha256 = await file.add(bytes);
      file.pieceBytes = 1 + Math.floor(random() * 300);
      const chunkBytes = 1 + Math.floor(random() * 2500);
      let attempts = 0;
      for (;;) {
        attempts++;
        file.cutAfterBytes = random() < 0.8 ? Math.floor(random() * size) : null;
        file.offline = random() < 0.1;
        try {
          await downloadFile(db, spec(bytes, sha256), { fetchImpl: file.fetch, chunkBytes });
          break;
        } catch (error) {
          expect(error, `run ${run}`).toBeInstanceOf(DownloadError);
          expect((error as DownloadError).kind).toBe('offline');
          await expectConsistent(sha256);
        }
        expect(attempts, `run ${run} makes progress`).toBeLessThan(200);
      }
      await expectStoredFile(sha256, bytes);
      expect(file.bytesServed, `run ${run}: bytes served`).toBe(size);
    }
  });

  it('detects a corrupted chunk by the sha256 of the whole file and fetches it again', async () => {
    const bytes = sampleBytes(3000, 3);
    const sha256 = await server.add(bytes);
    server.corruptOnce.add(1500);
    await downloadFile(db, spec(bytes, sha256), options());
    await expectStoredFile(sha256, bytes);
    expect(server.bytesServed).toBe(6000);
    expect((await db.files.get(sha256))?.failedVerifications).toBe(1);
  });

  it('gives up with "corrupt" when the bytes never match, leaving nothing half-written', async () => {
    const bytes = sampleBytes(2000, 4);
    const sha256 = await server.add(bytes);
    server.corruptAlways = 10;
    const error = await downloadFile(db, spec(bytes, sha256), options({ maxRefetches: 2 })).catch((e: unknown) => e);
    expect((error as DownloadError).kind).toBe('corrupt');
    expect(server.bytesServed).toBe(6000);
    expect(await readCompleteFile(db, sha256)).toBeNull();
    expect(await expectConsistent(sha256)).toBe(0);
  });

  it('never marks complete bytes that do not match the sha256 it was asked for', async () => {
    const bytes = sampleBytes(1500, 5);
    const realSha = await server.add(bytes);
    // The material record names another hash than the file the server holds under that name.
    const claimed = 'f'.repeat(64);
    server.files.set(claimed, server.files.get(realSha)!);
    const error = await downloadFile(db, spec(bytes, claimed), options()).catch((e: unknown) => e);
    expect((error as DownloadError).kind).toBe('corrupt');
    expect(await readCompleteFile(db, claimed)).toBeNull();
  });

  it('works with a server that ignores Range, keeping what it already had', async () => {
    const bytes = sampleBytes(2600, 6);
    const sha256 = await server.add(bytes);
    server.cutAfterBytes = 1200;
    await downloadFile(db, spec(bytes, sha256), options()).catch(() => undefined);
    expect(await expectConsistent(sha256)).toBe(1200);
    server.ignoreRange = true;
    await downloadFile(db, spec(bytes, sha256), options());
    await expectStoredFile(sha256, bytes);
  });

  it('sends the device token for participants-only files and reports a refusal', async () => {
    const bytes = sampleBytes(800, 8);
    const sha256 = await server.add(bytes, 'application/pdf', 'device-token');
    const refused = await downloadFile(db, spec(bytes, sha256), options()).catch((e: unknown) => e);
    expect((refused as DownloadError).kind).toBe('forbidden');
    expect((refused as DownloadError).transient).toBe(false);
    await downloadFile(db, spec(bytes, sha256), options({ token: 'device-token' }));
    expect(server.requests.at(-1)?.authorization).toBe('Bearer device-token');
    await expectStoredFile(sha256, bytes);
  });

  it('reports a file the server does not have', async () => {
    const bytes = sampleBytes(100, 9);
    const error = await downloadFile(db, spec(bytes, 'e'.repeat(64)), options()).catch((e: unknown) => e);
    expect((error as DownloadError).kind).toBe('notFound');
  });

  it('reports offline when no connection can be made, storing nothing', async () => {
    const bytes = sampleBytes(1000, 10);
    const sha256 = await server.add(bytes);
    server.offline = true;
    const error = await downloadFile(db, spec(bytes, sha256), options()).catch((e: unknown) => e);
    expect((error as DownloadError).kind).toBe('offline');
    expect(await expectConsistent(sha256)).toBe(0);
  });

  it('reports a full disk as "quota", with chunks and progress still in step', async () => {
    const bytes = sampleBytes(4000, 11);
    const sha256 = await server.add(bytes);
    const realPut = db.fileChunks.put.bind(db.fileChunks);
    let puts = 0;
    db.fileChunks.put = ((...args: Parameters<typeof realPut>) => {
      if (++puts === 3) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return realPut(...args);
    }) as typeof realPut;
    const error = await downloadFile(db, spec(bytes, sha256), options()).catch((e: unknown) => e);
    expect((error as DownloadError).kind).toBe('quota');
    expect(await expectConsistent(sha256)).toBe(2000);
    expect(await readCompleteFile(db, sha256)).toBeNull();
  });

  it('stops when the participant cancels, keeping what arrived', async () => {
    const bytes = sampleBytes(3000, 12);
    const sha256 = await server.add(bytes);
    const controller = new AbortController();
    const error = await downloadFile(
      db,
      spec(bytes, sha256),
      options({
        signal: controller.signal,
        onProgress: (n) => {
          if (n >= 1000) controller.abort(new Error('cancelled'));
        },
      }),
    ).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(DownloadError);
    expect(await expectConsistent(sha256)).toBeGreaterThanOrEqual(1000);
    await downloadFile(db, spec(bytes, sha256), options());
    await expectStoredFile(sha256, bytes);
  });

  it('lets two tabs download the same file at once without corrupting it', async () => {
    const bytes = sampleBytes(6000, 13);
    const sha256 = await server.add(bytes);
    server.pieceBytes = 50;
    await Promise.all([
      downloadFile(db, spec(bytes, sha256), options()),
      downloadFile(db, spec(bytes, sha256), options()),
    ]);
    await expectStoredFile(sha256, bytes);
    await expectConsistent(sha256);
  });
});
