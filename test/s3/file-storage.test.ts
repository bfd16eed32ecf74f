/**
 * The FileStorage contract on the local disk and on a real S3 server
 * (radosgw from test/setup/radosgw.sh), plus what only a real server shows:
 * a wrong secret is refused, and an unreachable store fails its health check.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FileStore } from '../../src/server/files/store';
import { S3FileStore } from '../../src/server/files/s3-store';
import { fileStorageContract } from './storage-contract';
import { freshBucket, s3Endpoint } from './support';

fileStorageContract('local disk', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vaka-files-'));
  return { store: new FileStore(dir), close: async () => fs.rmSync(dir, { recursive: true, force: true }) };
});

fileStorageContract(
  'S3 (radosgw)',
  async () => {
    const bucket = await freshBucket();
    const store = new S3FileStore(bucket.settings);
    return {
      store,
      close: async () => {
        await bucket.drop();
        store.client.destroy();
      },
    };
  },
  { skip: !s3Endpoint },
);

describe.skipIf(!s3Endpoint)('S3 store against a real server', () => {
  it('is refused with a wrong secret key', async () => {
    const bucket = await freshBucket();
    const saved = process.env.AWS_SECRET_ACCESS_KEY;
    process.env.AWS_SECRET_ACCESS_KEY = `${saved}x`;
    const store = new S3FileStore(bucket.settings);
    try {
      await expect(store.check()).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
      await expect(store.put(Readable.from([Buffer.from('x')]))).rejects.toThrow();
    } finally {
      process.env.AWS_SECRET_ACCESS_KEY = saved;
      store.client.destroy();
      await bucket.drop();
    }
  });

  it('fails its reachability check for a bucket that does not exist', async () => {
    const bucket = await freshBucket();
    await bucket.drop();
    const store = new S3FileStore(bucket.settings);
    await expect(store.check()).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
    store.client.destroy();
  });

  it('fails its reachability check when nothing listens at the endpoint', async () => {
    const store = new S3FileStore({ bucket: 'vaka', endpoint: 'http://127.0.0.1:9', region: 'us-east-1' });
    await expect(store.check()).rejects.toThrow();
    store.client.destroy();
  });
});
