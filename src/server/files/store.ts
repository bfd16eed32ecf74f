/**
 * Content-addressed file store on disk: a file's name is its sha256, so a
 * new version of a material is a new file and an unchanged one is never
 * fetched twice. Writes go to a temporary name and are renamed into place
 * only after the digest checks out.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import type { Db } from '../sync/store';

export class FileStore {
  constructor(readonly dir: string) {}

  pathOf(sha256: string): string {
    return path.join(this.dir, sha256.slice(0, 2), sha256);
  }

  async has(sha256: string): Promise<boolean> {
    try {
      await fsp.access(this.pathOf(sha256));
      return true;
    } catch {
      return false;
    }
  }

  /** Copies a file in, checking its digest; returns its sha256 and size. */
  async importFile(source: string, expectedSha?: string): Promise<{ sha256: string; byteSize: number }> {
    const bytes = await fsp.readFile(source);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (expectedSha && expectedSha !== sha256)
      throw new Error(`${source}: sha256 is ${sha256}, expected ${expectedSha}.`);
    const target = this.pathOf(sha256);
    if (!(await this.has(sha256))) {
      await fsp.mkdir(path.dirname(target), { recursive: true });
      const tmp = `${target}.${randomUUID()}.tmp`;
      await fsp.writeFile(tmp, bytes);
      await fsp.rename(tmp, target);
    }
    return { sha256, byteSize: bytes.length };
  }

  stat(sha256: string): fs.Stats | null {
    try {
      return fs.statSync(this.pathOf(sha256));
    } catch {
      return null;
    }
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
