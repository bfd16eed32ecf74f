/**
 * A tus upload through @tus/s3-store on a real S3 server, started on one
 * server instance and finished on another: each instance has its own tus
 * server, S3 client and advisory locker (on PostgreSQL when the suite has it,
 * else tus's in-memory locker per instance), and only the bucket and the
 * database are shared. The finished upload is adopted into the content-
 * addressed store only after its sha256 is checked by streaming it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryLocker, Server, type Locker } from '@tus/server';
import { S3FileStore } from '../../src/server/files/s3-store';
import { PgAdvisoryLocker } from '../../src/server/files/pg-locker';
import { digestOf } from '../../src/server/files/store';
import { Sha256Mismatch } from '../../src/server/files/storage';
import { freshBucket, pgUrl, s3Endpoint } from './support';

interface Instance {
  url: string;
  store: S3FileStore;
  close(): Promise<void>;
}

async function startInstance(bucket: Awaited<ReturnType<typeof freshBucket>>): Promise<Instance> {
  const store = new S3FileStore(bucket.settings);
  const pool = pgUrl ? new pg.Pool({ connectionString: pgUrl, max: 4 }) : null;
  const locker: Locker = pool ? new PgAdvisoryLocker(pool) : new MemoryLocker();
  const tus = new Server({
    path: '/uploads',
    datastore: store.uploads.datastore,
    locker,
    async onUploadFinish(_req, upload) {
      try {
        await store.uploads.adopt(upload.id, upload.metadata?.sha256 ?? '');
      } catch (err) {
        if (err instanceof Sha256Mismatch) throw { status_code: 460, body: err.message };
        throw err;
      } finally {
        await store.uploads.discard(upload.id);
      }
      return {};
    },
  });
  const server = http.createServer((req, res) => void tus.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    store,
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      if (locker instanceof PgAdvisoryLocker) await locker.close();
      await pool?.end();
      store.client.destroy();
    },
  };
}

const tusHeaders = { 'Tus-Resumable': '1.0.0' };
const b64 = (s: string) => Buffer.from(s).toString('base64');

async function create(instance: Instance, size: number, sha256: string): Promise<string> {
  const res = await fetch(`${instance.url}/uploads`, {
    method: 'POST',
    headers: { ...tusHeaders, 'Upload-Length': String(size), 'Upload-Metadata': `sha256 ${b64(sha256)}` },
  });
  expect(res.status).toBe(201);
  return new URL(res.headers.get('location')!, instance.url).pathname;
}

async function offsetOn(instance: Instance, path: string): Promise<number> {
  const res = await fetch(`${instance.url}${path}`, { method: 'HEAD', headers: tusHeaders });
  expect(res.status).toBe(200);
  return Number(res.headers.get('upload-offset'));
}

async function patch(instance: Instance, path: string, offset: number, chunk: Buffer): Promise<Response> {
  return fetch(`${instance.url}${path}`, {
    method: 'PATCH',
    headers: {
      ...tusHeaders,
      'Upload-Offset': String(offset),
      'Content-Type': 'application/offset+octet-stream',
    },
    body: new Uint8Array(chunk),
  });
}

describe.skipIf(!s3Endpoint)('tus uploads on S3 across two server instances', () => {
  let bucket: Awaited<ReturnType<typeof freshBucket>>;
  let a: Instance;
  let b: Instance;
  beforeAll(async () => {
    bucket = await freshBucket();
    a = await startInstance(bucket);
    b = await startInstance(bucket);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await bucket?.drop();
  });

  it('resumes on instance B an upload started on A, and stores it under its checked sha256', async () => {
    // 9 MiB: a first chunk smaller than an S3 part (kept as an incomplete part), then whole parts.
    const bytes = randomBytes(9 * 1024 * 1024);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const path = await create(a, bytes.length, sha256);

    expect((await patch(a, path, 0, bytes.subarray(0, 1024 * 1024))).status).toBe(204);
    expect(await offsetOn(b, path)).toBe(1024 * 1024);
    expect((await patch(b, path, 1024 * 1024, bytes.subarray(1024 * 1024, 7 * 1024 * 1024))).status).toBe(204);
    expect(await offsetOn(a, path)).toBe(7 * 1024 * 1024);
    const last = await patch(a, path, 7 * 1024 * 1024, bytes.subarray(7 * 1024 * 1024));
    expect(last.status).toBe(204);

    // Either instance serves it from the shared bucket.
    expect(await b.store.size(sha256)).toBe(bytes.length);
    expect(await digestOf(await b.store.read(sha256))).toEqual({ sha256, byteSize: bytes.length });
  });

  it('refuses an upload whose bytes do not hash to the declared sha256, and keeps nothing', async () => {
    const bytes = randomBytes(100_000);
    const declared = createHash('sha256').update(randomBytes(10)).digest('hex');
    const path = await create(b, bytes.length, declared);
    const res = await patch(a, path, 0, bytes);
    expect(res.status).toBe(460);
    const actual = createHash('sha256').update(bytes).digest('hex');
    expect(await a.store.has(actual)).toBe(false);
    expect(await a.store.has(declared)).toBe(false);
  });
});
