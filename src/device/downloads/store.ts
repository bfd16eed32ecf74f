/**
 * Reads and writes of downloaded material files in IndexedDB. Each write is
 * one strict transaction, so a cut connection, a closed tab or a full disk
 * leaves either the chunk and its progress together or neither: a file's
 * chunks always cover exactly [0, receivedBytes) and a resume starts there.
 * No DOM: the engine and its tests use these directly.
 */
import type { VakaDatabase } from '../db/database';
import type { FileChunk, MaterialDownload, StoredFile } from './types';

export interface FileSpec {
  sha256: string;
  byteSize: number;
  mediaType: string;
}

/** The file's row, created empty the first time it is wanted. */
export async function ensureFile(db: VakaDatabase, spec: FileSpec, now: string): Promise<StoredFile> {
  return db.transaction('rw', db.files, async () => {
    const existing = await db.files.get(spec.sha256);
    if (existing) return existing;
    const row: StoredFile = {
      sha256: spec.sha256,
      byteSize: spec.byteSize,
      mediaType: spec.mediaType,
      receivedBytes: 0,
      state: 'partial',
      failedVerifications: 0,
      updatedAt: now,
    };
    await db.files.add(row);
    return row;
  });
}

/**
 * Appends bytes that start at `offset`. Returns where the file now stands:
 * if another tab already stored past `offset`, this piece is dropped and the
 * caller continues from that tab's progress instead.
 */
export async function appendChunk(
  db: VakaDatabase,
  sha256: string,
  offset: number,
  blob: Blob,
  now: string,
): Promise<number> {
  return db.transaction('rw', db.files, db.fileChunks, async () => {
    const row = await db.files.get(sha256);
    if (!row) throw new Error(`No file row for ${sha256}`);
    if (row.state === 'complete' || row.receivedBytes !== offset) return row.receivedBytes;
    const size = Math.min(blob.size, row.byteSize - offset);
    if (size <= 0) return row.receivedBytes;
    const chunk: FileChunk = { sha256, offset, size, blob: size === blob.size ? blob : blob.slice(0, size) };
    await db.fileChunks.put(chunk);
    await db.files.put({ ...row, receivedBytes: offset + size, updatedAt: now });
    return offset + size;
  });
}

/** The stored chunks in order, or null when they do not cover the file without gaps or overlaps. */
async function orderedChunks(db: VakaDatabase, file: StoredFile): Promise<FileChunk[] | null> {
  const chunks = await db.fileChunks.where('sha256').equals(file.sha256).sortBy('offset');
  let next = 0;
  for (const chunk of chunks) {
    if (chunk.offset !== next || chunk.blob.size !== chunk.size) return null;
    next += chunk.size;
  }
  return next === file.byteSize ? chunks : null;
}

/**
 * The assembled bytes of a file whose chunks are all in. Composing Blobs
 * copies nothing: the browser reads each chunk from disk when the Blob is read.
 */
export async function assembleFile(db: VakaDatabase, sha256: string): Promise<Blob | null> {
  const file = await db.files.get(sha256);
  if (!file) return null;
  const chunks = await orderedChunks(db, file);
  return chunks
    ? new Blob(
        chunks.map((c) => c.blob),
        { type: file.mediaType },
      )
    : null;
}

export async function markComplete(db: VakaDatabase, sha256: string, now: string): Promise<void> {
  await db.transaction('rw', db.files, async () => {
    const row = await db.files.get(sha256);
    if (row) await db.files.put({ ...row, state: 'complete', updatedAt: now });
  });
}

/** Throws the bytes away and starts the file again (after a failed sha256 check). */
export async function resetFile(db: VakaDatabase, sha256: string, now: string): Promise<StoredFile | null> {
  return db.transaction('rw', db.files, db.fileChunks, async () => {
    const row = await db.files.get(sha256);
    await db.fileChunks.where('sha256').equals(sha256).delete();
    if (!row) return null;
    const next: StoredFile = {
      ...row,
      receivedBytes: 0,
      state: 'partial',
      failedVerifications: row.failedVerifications + 1,
      updatedAt: now,
    };
    await db.files.put(next);
    return next;
  });
}

/** A verified file, ready to open; null when it is not (or not yet) on the device. */
export async function readCompleteFile(db: VakaDatabase, sha256: string): Promise<Blob | null> {
  const file = await db.files.get(sha256);
  if (file?.state !== 'complete') return null;
  return assembleFile(db, sha256);
}

/** Shas some material still needs: its current file or the one on its way. */
function referencedShas(downloads: MaterialDownload[]): Set<string> {
  const shas = new Set<string>();
  for (const d of downloads) {
    if (d.sha256) shas.add(d.sha256);
    if (d.pendingSha256) shas.add(d.pendingSha256);
  }
  return shas;
}

/**
 * Deletes files no material points at any more: the old version once a new
 * one verified, files of withdrawn materials, participants-only files after
 * the device was handed on. Must run inside a transaction over downloads,
 * files and fileChunks.
 */
async function dropUnreferenced(db: VakaDatabase, candidates: Iterable<string>): Promise<number> {
  const keep = referencedShas(await db.downloads.toArray());
  let freed = 0;
  for (const sha of new Set(candidates)) {
    if (keep.has(sha)) continue;
    const file = await db.files.get(sha);
    freed += file?.receivedBytes ?? 0;
    await db.fileChunks.where('sha256').equals(sha).delete();
    await db.files.delete(sha);
  }
  return freed;
}

/** Records that the material now opens as `sha256` and frees the version it replaces. */
export async function switchMaterialTo(
  db: VakaDatabase,
  materialId: string,
  workshopId: string,
  sha256: string,
  now: string,
): Promise<void> {
  await db.transaction('rw', db.downloads, db.files, db.fileChunks, async () => {
    const previous = await db.downloads.get(materialId);
    await db.downloads.put({ materialId, workshopId, sha256, pendingSha256: null, error: null, updatedAt: now });
    const stale = [previous?.sha256, previous?.pendingSha256].filter((s): s is string => !!s && s !== sha256);
    await dropUnreferenced(db, stale);
  });
}

/** Notes that a material's file is wanted (the old version stays until the new one verifies). */
export async function markPending(
  db: VakaDatabase,
  materialId: string,
  workshopId: string,
  sha256: string,
  now: string,
): Promise<void> {
  await db.transaction('rw', db.downloads, db.files, db.fileChunks, async () => {
    const previous = await db.downloads.get(materialId);
    await db.downloads.put({
      materialId,
      workshopId,
      sha256: previous?.sha256 ?? null,
      pendingSha256: sha256,
      error: null,
      updatedAt: now,
    });
    // A version that was pending before this one will never be opened.
    const abandoned = previous?.pendingSha256;
    if (abandoned && abandoned !== sha256) await dropUnreferenced(db, [abandoned]);
  });
}

export async function markFailed(
  db: VakaDatabase,
  materialId: string,
  error: MaterialDownload['error'],
  now: string,
): Promise<void> {
  await db.transaction('rw', db.downloads, async () => {
    const row = await db.downloads.get(materialId);
    if (row) await db.downloads.put({ ...row, error, updatedAt: now });
  });
}

/**
 * Removes a half-downloaded file that no material opens yet, returning its
 * space (after a full disk the participant's own records need it more).
 */
export async function dropPartial(db: VakaDatabase, sha256: string): Promise<void> {
  await db.transaction('rw', db.downloads, db.files, db.fileChunks, async () => {
    const file = await db.files.get(sha256);
    if (!file || file.state === 'complete') return;
    const opened = (await db.downloads.toArray()).some((d) => d.sha256 === sha256);
    if (opened) return;
    await db.fileChunks.where('sha256').equals(sha256).delete();
    await db.files.put({ ...file, receivedBytes: 0 });
  });
}

/** Deletes the downloaded files of these materials; returns the bytes freed. */
export async function removeDownloads(db: VakaDatabase, materialIds: string[]): Promise<number> {
  return db.transaction('rw', db.downloads, db.files, db.fileChunks, async () => {
    const rows = (await db.downloads.bulkGet(materialIds)).filter((r): r is MaterialDownload => !!r);
    await db.downloads.bulkDelete(materialIds);
    return dropUnreferenced(
      db,
      rows.flatMap((r) => [r.sha256, r.pendingSha256]).filter((s): s is string => !!s),
    );
  });
}

/**
 * Forgets downloads of materials that are gone from the device (withdrawn,
 * or participants-only ones removed when another participant enrolled) and
 * deletes files nothing points at. Returns the bytes freed.
 */
export async function pruneDownloads(db: VakaDatabase): Promise<number> {
  return db.transaction('rw', [db.materials, db.downloads, db.files, db.fileChunks], async () => {
    const rows = await db.downloads.toArray();
    const materials = await db.materials.bulkGet(rows.map((r) => r.materialId));
    const gone = rows.filter((_, i) => {
      const m = materials[i];
      return !m || m._deleted;
    });
    await db.downloads.bulkDelete(gone.map((r) => r.materialId));
    const files = await db.files.toCollection().primaryKeys();
    return dropUnreferenced(db, files);
  });
}

/** Bytes of material files stored on the device (complete and partial). */
export async function storedFileBytes(db: VakaDatabase): Promise<number> {
  const files = await db.files.toArray();
  return files.reduce((sum, f) => sum + f.receivedBytes, 0);
}
