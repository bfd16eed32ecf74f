/**
 * Content-addressed file store on the local disk, the default FileStorage
 * (storage.ts): a file's name is its sha256, so a new version of a material
 * is a new file and an unchanged one is never fetched twice. Writes stream
 * to a temporary name while hashing and are renamed into place only after
 * the digest checks out. tus uploads are written under `.uploads/` in the
 * same directory, so adopting a finished one is a rename.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FileStore as TusFileStore } from '@tus/file-store';
import type { Db } from '../sync/store';
import { Sha256Mismatch, type ByteRange, type FileStorage, type StoredFile, type UploadArea } from './storage';

/** Passes bytes through while hashing and counting them. */
export function hashingStream(): Transform & { digest(): StoredFile } {
  const hash = createHash('sha256');
  let byteSize = 0;
  const t = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      byteSize += chunk.length;
      done(null, chunk);
    },
  });
  return Object.assign(t, { digest: () => ({ sha256: hash.digest('hex'), byteSize }) });
}

export async function digestOf(body: Readable): Promise<StoredFile> {
  const hash = createHash('sha256');
  let byteSize = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    hash.update(chunk);
    byteSize += chunk.length;
  }
  return { sha256: hash.digest('hex'), byteSize };
}

export class FileStore implements FileStorage {
  readonly kind = 'disk' as const;
  private uploadArea: UploadArea | undefined;

  constructor(readonly dir: string) {}

  /** Created on first use: the tus datastore makes its directory. */
  get uploads(): UploadArea {
    if (this.uploadArea) return this.uploadArea;
    const uploadDir = path.join(this.dir, '.uploads');
    this.uploadArea = {
      datastore: new TusFileStore({ directory: uploadDir }),
      head: async (uploadId, bytes) => {
        const handle = await fsp.open(path.join(uploadDir, uploadId), 'r');
        try {
          const buffer = Buffer.alloc(bytes);
          const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
          return buffer.subarray(0, bytesRead);
        } finally {
          await handle.close();
        }
      },
      adopt: async (uploadId, expectedSha256) => {
        const file = path.join(uploadDir, uploadId);
        const stored = await digestOf(fs.createReadStream(file));
        if (stored.sha256 !== expectedSha256) throw new Sha256Mismatch(expectedSha256, stored.sha256);
        await this.place(file, stored.sha256);
        return stored;
      },
      discard: async (uploadId) => {
        await fsp.rm(path.join(uploadDir, uploadId), { force: true });
        await fsp.rm(path.join(uploadDir, `${uploadId}.json`), { force: true });
      },
    };
    return this.uploadArea;
  }

  pathOf(sha256: string): string {
    return path.join(this.dir, sha256.slice(0, 2), sha256);
  }

  async has(sha256: string): Promise<boolean> {
    return (await this.size(sha256)) !== null;
  }

  async size(sha256: string): Promise<number | null> {
    return this.stat(sha256)?.size ?? null;
  }

  stat(sha256: string): fs.Stats | null {
    try {
      return fs.statSync(this.pathOf(sha256));
    } catch {
      return null;
    }
  }

  async read(sha256: string, range?: ByteRange): Promise<Readable> {
    const stream = fs.createReadStream(this.pathOf(sha256), range);
    // Surface a missing file as a rejection here rather than as a later stream error.
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', reject);
    });
    return stream;
  }

  async put(body: Readable, expectedSha256?: string): Promise<StoredFile> {
    await fsp.mkdir(this.dir, { recursive: true });
    const tmp = path.join(this.dir, `.${randomUUID()}.tmp`);
    const hashing = hashingStream();
    try {
      await pipeline(body, hashing, fs.createWriteStream(tmp));
      const stored = hashing.digest();
      if (expectedSha256 && stored.sha256 !== expectedSha256) throw new Sha256Mismatch(expectedSha256, stored.sha256);
      await this.place(tmp, stored.sha256);
      return stored;
    } finally {
      await fsp.rm(tmp, { force: true });
    }
  }

  /** Copies a file in, checking its digest; returns its sha256 and size. */
  async importFile(source: string, expectedSha256?: string): Promise<StoredFile> {
    try {
      return await this.put(fs.createReadStream(source), expectedSha256);
    } catch (err) {
      if (err instanceof Sha256Mismatch) throw new Error(`${source}: ${err.message}`);
      throw err;
    }
  }

  async check(): Promise<void> {
    await fsp.mkdir(this.dir, { recursive: true });
    await fsp.access(this.dir, fs.constants.R_OK | fs.constants.W_OK);
  }

  async close(): Promise<void> {}

  /** Moves a checked file to its content address, unless that file is already there. */
  private async place(file: string, sha256: string): Promise<void> {
    const target = this.pathOf(sha256);
    if (await this.has(sha256)) return;
    await fsp.mkdir(path.dirname(target), { recursive: true });
    await fsp.rename(file, target);
  }
}

export async function registerFile(
  db: Db,
  sha256: string,
  byteSize: number,
  mediaType: string,
  now: string,
): Promise<void> {
  await db
    .insertInto('files')
    .values({ sha256, byte_size: byteSize, media_type: mediaType, created_at: now })
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute();
}
