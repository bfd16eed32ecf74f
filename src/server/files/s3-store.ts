/**
 * Content-addressed file store on an S3-compatible object store (selected by
 * S3_BUCKET), so every server instance behind a load balancer reads and
 * writes the same bytes. Files live at `files/<sha256>`; bytes stream to a
 * temporary key while being hashed and are copied to their content address
 * (server-side) only when the digest checks out. tus uploads are written by
 * @tus/s3-store as multipart uploads at the bucket's top level (their ids
 * never contain a slash, so they cannot collide with `files/` or `tmp/`).
 */
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload as MultipartUpload } from '@aws-sdk/lib-storage';
import { S3Store, type MetadataValue } from '@tus/s3-store';
import type { KvStore } from '@tus/server';
import { digestOf, hashingStream } from './store';
import { Sha256Mismatch, type ByteRange, type FileStorage, type StoredFile, type UploadArea } from './storage';

export interface S3Settings {
  bucket: string;
  /** For stores other than AWS (radosgw, MinIO…): path-style addressing is used then. */
  endpoint?: string;
  region: string;
}

/**
 * Client settings shared by the file store and the tus datastore. Credentials
 * come from the SDK's default chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY,
 * profiles, instance roles). Checksums only where the API requires them: the
 * SDK's default streamed (aws-chunked) checksums are refused by some
 * S3-compatible servers (radosgw answers 411).
 */
export function s3ClientConfig(settings: S3Settings): S3ClientConfig {
  return {
    region: settings.region,
    ...(settings.endpoint ? { endpoint: settings.endpoint, forcePathStyle: true } : {}),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
}

/**
 * @tus/s3-store caches each upload's metadata in memory by default. Another
 * instance may since have finished or removed the upload, so it is read from
 * the bucket (one small GET) on every request instead.
 */
const noMetadataCache: KvStore<MetadataValue> = {
  get: async () => undefined,
  set: async () => undefined,
  delete: async () => undefined,
};

function isNotFound(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NotFound' || e?.name === 'NoSuchKey' || e?.$metadata?.httpStatusCode === 404;
}

export class S3FileStore implements FileStorage {
  readonly kind = 's3' as const;
  readonly client: S3Client;
  readonly bucket: string;
  readonly uploads: UploadArea;

  constructor(settings: S3Settings) {
    const config = s3ClientConfig(settings);
    this.client = new S3Client(config);
    this.bucket = settings.bucket;
    const datastore = new S3Store({
      s3ClientConfig: { ...config, bucket: settings.bucket },
      cache: noMetadataCache,
    });
    this.uploads = {
      datastore,
      head: async (uploadId, bytes) => {
        const chunks: Buffer[] = [];
        for await (const chunk of await this.get(uploadId, { start: 0, end: bytes - 1 })) chunks.push(chunk as Buffer);
        return Buffer.concat(chunks);
      },
      adopt: async (uploadId, expectedSha256) => {
        // @tus/s3-store completes the multipart upload as the object named by the upload id.
        const stored = await digestOf(await this.get(uploadId));
        if (stored.sha256 !== expectedSha256) throw new Sha256Mismatch(expectedSha256, stored.sha256);
        await this.place(uploadId, stored.sha256);
        return stored;
      },
      discard: async (uploadId) => {
        // Aborts the multipart upload if it never finished; fails once it has, which is fine.
        await datastore.remove(uploadId).catch(() => undefined);
        for (const key of [uploadId, `${uploadId}.info`, `${uploadId}.part`])
          await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
      },
    };
  }

  keyOf(sha256: string): string {
    return `files/${sha256}`;
  }

  async has(sha256: string): Promise<boolean> {
    return (await this.size(sha256)) !== null;
  }

  async size(sha256: string): Promise<number | null> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.keyOf(sha256) }));
      return head.ContentLength ?? null;
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  read(sha256: string, range?: ByteRange): Promise<Readable> {
    return this.get(this.keyOf(sha256), range);
  }

  async put(body: Readable, expectedSha256?: string): Promise<StoredFile> {
    const tmp = `tmp/${randomUUID()}`;
    const hashing = hashingStream();
    // lib-storage sends the stream in parts (multipart for large files): nothing is held whole in memory.
    const upload = new MultipartUpload({
      client: this.client,
      params: { Bucket: this.bucket, Key: tmp, Body: body.pipe(hashing) },
    });
    body.once('error', (err) => hashing.destroy(err));
    try {
      await upload.done();
      const stored = hashing.digest();
      if (expectedSha256 && stored.sha256 !== expectedSha256) throw new Sha256Mismatch(expectedSha256, stored.sha256);
      await this.place(tmp, stored.sha256);
      return stored;
    } finally {
      // Best effort: a failure here must not hide the one that brought us here.
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: tmp })).catch(() => undefined);
    }
  }

  async importFile(source: string, expectedSha256?: string): Promise<StoredFile> {
    try {
      return await this.put(createReadStream(source), expectedSha256);
    } catch (err) {
      if (err instanceof Sha256Mismatch) throw new Error(`${source}: ${err.message}`);
      throw err;
    }
  }

  async check(): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
  }

  async close(): Promise<void> {
    this.client.destroy();
  }

  private async get(key: string, range?: ByteRange): Promise<Readable> {
    const res = await this.client.send(
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: key,
        ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}),
      }),
    );
    return res.Body as Readable;
  }

  /** Server-side copy of a checked object to its content address, unless the file is already there. */
  private async place(key: string, sha256: string): Promise<void> {
    if (await this.has(sha256)) return;
    await this.client.send(
      new CopyObjectCommand({
        Bucket: this.bucket,
        Key: this.keyOf(sha256),
        CopySource: `${this.bucket}/${key}`,
      }),
    );
  }
}
