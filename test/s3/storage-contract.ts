/**
 * One contract for every FileStorage (src/server/files/storage.ts), run
 * against the local disk and against a real S3 server by
 * file-storage.test.ts: what the files route, the content import and the
 * tus upload path rely on.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Upload } from '@tus/server';
import { Sha256Mismatch, type FileStorage } from '../../src/server/files/storage';
import { digestOf } from '../../src/server/files/store';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** A stream that yields `total` bytes in 64 KiB chunks, never holding them all. */
function generated(seed: Buffer, total: number): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= total) return this.push(null);
      const n = Math.min(64 * 1024, total - sent);
      const chunk = Buffer.alloc(n);
      for (let i = 0; i < n; i++) chunk[i] = seed[(sent + i) % seed.length]!;
      sent += n;
      this.push(chunk);
    },
  });
}

export function fileStorageContract(
  name: string,
  open: () => Promise<{ store: FileStorage; close: () => Promise<void> }>,
  options: { skip?: boolean } = {},
): void {
  describe.skipIf(options.skip)(`FileStorage contract: ${name}`, () => {
    let store: FileStorage;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ store, close } = await open());
    });
    afterAll(async () => close?.());

    it('stores bytes under their sha256 and reads them back whole', async () => {
      const bytes = randomBytes(3000);
      const stored = await store.put(Readable.from([bytes]));
      expect(stored).toEqual({ sha256: sha(bytes), byteSize: 3000 });
      expect(await store.has(sha(bytes))).toBe(true);
      expect(await store.size(sha(bytes))).toBe(3000);
      expect((await bytesOf(await store.read(sha(bytes)))).equals(bytes)).toBe(true);
    });

    it('reads an inclusive byte range, as HTTP Range asks', async () => {
      const bytes = randomBytes(1000);
      await store.put(Readable.from([bytes]), sha(bytes));
      const part = await bytesOf(await store.read(sha(bytes), { start: 100, end: 199 }));
      expect(part.equals(bytes.subarray(100, 200))).toBe(true);
      const last = await bytesOf(await store.read(sha(bytes), { start: 999, end: 999 }));
      expect(last.equals(bytes.subarray(999))).toBe(true);
    });

    it('knows nothing of a digest it never stored', async () => {
      const absent = sha(randomBytes(8));
      expect(await store.has(absent)).toBe(false);
      expect(await store.size(absent)).toBeNull();
      await expect(store.read(absent)).rejects.toThrow();
    });

    it('refuses bytes that do not match the declared sha256 and keeps nothing', async () => {
      const bytes = randomBytes(500);
      const declared = sha(randomBytes(500));
      const err = await store.put(Readable.from([bytes]), declared).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Sha256Mismatch);
      expect(await store.has(sha(bytes))).toBe(false);
      expect(await store.has(declared)).toBe(false);
    });

    it('stores the same content once, whoever puts it again', async () => {
      const bytes = randomBytes(200);
      const a = await store.put(Readable.from([bytes]));
      const b = await store.put(Readable.from([Buffer.from(bytes)]), sha(bytes));
      expect(a).toEqual(b);
      expect(await store.size(sha(bytes))).toBe(200);
    });

    it('streams a file larger than one upload part (12 MiB) and hashes it on the way', async () => {
      const total = 12 * 1024 * 1024;
      const seed = randomBytes(4099);
      const expected = await digestOf(generated(seed, total));
      const stored = await store.put(generated(seed, total), expected.sha256);
      expect(stored).toEqual(expected);
      expect(await store.size(expected.sha256)).toBe(total);
      expect(await digestOf(await store.read(expected.sha256))).toEqual(expected);
    });

    it('adopts a finished tus upload after checking its sha256 by streaming it', async () => {
      const bytes = randomBytes(7000);
      const id = randomBytes(16).toString('hex');
      const { datastore } = store.uploads;
      await datastore.create(new Upload({ id, size: bytes.length, offset: 0, metadata: {} }));
      expect(await datastore.write(Readable.from([bytes]), id, 0)).toBe(bytes.length);
      expect((await store.uploads.head(id, 4100)).equals(bytes.subarray(0, 4100))).toBe(true);
      expect((await store.uploads.head(id, 10_000)).equals(bytes)).toBe(true);
      expect(await store.uploads.adopt(id, sha(bytes))).toEqual({ sha256: sha(bytes), byteSize: bytes.length });
      await store.uploads.discard(id);
      await expect(datastore.getUpload(id)).rejects.toBeDefined();
      expect((await bytesOf(await store.read(sha(bytes)))).equals(bytes)).toBe(true);
    });

    it('refuses to adopt an upload whose bytes do not match its declared sha256', async () => {
      const bytes = randomBytes(700);
      const id = randomBytes(16).toString('hex');
      const { datastore } = store.uploads;
      await datastore.create(new Upload({ id, size: bytes.length, offset: 0, metadata: {} }));
      await datastore.write(Readable.from([bytes]), id, 0);
      const declared = sha(randomBytes(700));
      await expect(store.uploads.adopt(id, declared)).rejects.toBeInstanceOf(Sha256Mismatch);
      await store.uploads.discard(id);
      expect(await store.has(sha(bytes))).toBe(false);
      expect(await store.has(declared)).toBe(false);
    });

    it('is reachable', async () => {
      await expect(store.check()).resolves.toBeUndefined();
    });
  });
}
