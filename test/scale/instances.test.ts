/**
 * Two real server processes (`src/server/main.ts`) on one empty PostgreSQL
 * database with files on radosgw: started at once they seed the demo once,
 * and a tus upload whose instance is SIGKILLed in the middle of a PATCH
 * resumes on the other instance from the offset the bucket holds, and the
 * stored file's sha256 is the one declared. Skipped with a message without
 * PostgreSQL and S3 (REQUIRE_POSTGRES / REQUIRE_S3 make that a failure).
 */
import http from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetObjectCommand, ListMultipartUploadsCommand, ListPartsCommand, S3Client } from '@aws-sdk/client-s3';
import { openDatabase, type DatabaseHandle } from '../../src/server/db/connection';
import { s3ClientConfig, type S3Settings } from '../../src/server/files/s3-store';
import { freshBackends, InstanceProcess, missing, roundRobinProxy, seedDevice } from './cluster';

const MiB = 1024 * 1024;

function b64(v: string): string {
  return Buffer.from(v).toString('base64');
}

/** Parts @tus/s3-store has sent to the bucket for this upload so far. */
async function partsUploaded(client: S3Client, bucket: string, uploadId: string): Promise<number> {
  const uploads = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
  const upload = uploads.Uploads?.find((u) => u.Key === uploadId);
  if (!upload) return 0;
  const parts = await client.send(new ListPartsCommand({ Bucket: bucket, Key: uploadId, UploadId: upload.UploadId }));
  return parts.Parts?.length ?? 0;
}

describe.skipIf(missing)('two server processes on PostgreSQL and radosgw', () => {
  let backends: { url: string; s3: S3Settings; drop: () => Promise<void> };
  let a: InstanceProcess;
  let b: InstanceProcess;
  let db: DatabaseHandle;
  let client: S3Client;

  beforeAll(async () => {
    backends = await freshBackends();
    const env = { DEMO_CONTENT: '1', DEMO_COORDINATOR: '1' };
    a = await InstanceProcess.create(backends.url, backends.s3, env);
    b = await InstanceProcess.create(backends.url, backends.s3, env);
    // At once, on the empty database: both migrate and try to seed.
    await Promise.all([a.start(), b.start()]);
    db = await openDatabase({ kind: 'postgres', url: backends.url });
    client = new S3Client(s3ClientConfig(backends.s3));
  }, 240_000);

  afterAll(async () => {
    await a?.dispose();
    await b?.dispose();
    await db?.close();
    client?.destroy();
    await backends?.drop();
  }, 60_000);

  it('seeds the demo once when both start at once on an empty database', async () => {
    const log = a.log + b.log;
    expect(log.match(/Loaded demo content/g)).toHaveLength(1);
    expect(log.match(/Demo coordinator: /g)).toHaveLength(1);
    const coordinators = await db.db.selectFrom('coordinators').select('email').execute();
    expect(coordinators).toHaveLength(1);
    const health = await (await fetch(`http://127.0.0.1:${b.port}/api/health`)).json();
    expect(health).toEqual({ status: 'ok', database: 'postgres', files: 's3' });
  });

  it('resumes on the other instance a tus upload whose instance was SIGKILLed mid-PATCH; the sha256 holds', async () => {
    const device = await seedDevice(db.db);
    const bytes = randomBytes(12 * MiB);
    bytes.set([0xff, 0xd8, 0xff, 0xe0], 0); // a JPEG's first bytes, for the content check
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const auth = { authorization: `Bearer ${device.token}`, 'tus-resumable': '1.0.0' };

    const proxy = await roundRobinProxy([a.port, b.port]);
    try {
      const created = await fetch(`${proxy.url}/api/v1/uploads`, {
        method: 'POST',
        headers: {
          ...auth,
          'upload-length': String(bytes.length),
          'upload-metadata': `sha256 ${b64(sha256)},filetype ${b64('image/jpeg')},filename ${b64('evidence.jpg')}`,
        },
      });
      expect(created.status).toBe(201);
      const location = created.headers.get('location')!;
      const uploadId = location.split('/').pop()!;

      // One PATCH with the whole length announced, to instance A; 9 MiB sent, then A is killed.
      const patch = http.request({
        host: '127.0.0.1',
        port: a.port,
        method: 'PATCH',
        path: location,
        headers: {
          ...auth,
          'upload-offset': '0',
          'content-type': 'application/offset+octet-stream',
          'content-length': String(bytes.length),
        },
      });
      const ended = new Promise<void>((resolve) => {
        patch.on('error', () => resolve());
        patch.on('response', () => resolve());
      });
      for (let at = 0; at < 9 * MiB; at += MiB) patch.write(bytes.subarray(at, at + MiB));
      for (let i = 0; i < 600 && (await partsUploaded(client, backends.s3.bucket, uploadId)) === 0; i++)
        await new Promise((r) => setTimeout(r, 100));
      expect(await partsUploaded(client, backends.s3.bucket, uploadId)).toBeGreaterThan(0);
      await a.kill();
      await ended;

      // Instance B takes over: PostgreSQL freed A's lock with its session, the bucket has the parts.
      const head = await fetch(`http://127.0.0.1:${b.port}${location}`, { method: 'HEAD', headers: auth });
      expect(head.status).toBe(200);
      const offset = Number(head.headers.get('upload-offset'));
      expect(offset).toBeGreaterThan(0);
      expect(offset).toBeLessThanOrEqual(9 * MiB);

      const rest = await fetch(`http://127.0.0.1:${b.port}${location}`, {
        method: 'PATCH',
        headers: { ...auth, 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' },
        body: bytes.subarray(offset),
      });
      expect(rest.status).toBe(204);

      const row = await db.db.selectFrom('files').selectAll().where('sha256', '=', sha256).executeTakeFirst();
      expect(row?.byte_size).toBe(bytes.length);
      const stored = await client.send(new GetObjectCommand({ Bucket: backends.s3.bucket, Key: `files/${sha256}` }));
      const hash = createHash('sha256');
      for await (const chunk of stored.Body as AsyncIterable<Buffer>) hash.update(chunk);
      expect(hash.digest('hex')).toBe(sha256);
    } finally {
      await proxy.close();
    }
  }, 180_000);
});
