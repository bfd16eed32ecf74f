/**
 * The contract every place that keeps files' bytes fulfils: the local disk
 * (store.ts, the default) or an S3-compatible object store (s3-store.ts,
 * when S3_BUCKET is set), so several server instances can share the bytes.
 * Files are content-addressed: a file's key is its sha256, written only
 * after the digest of the streamed bytes checks out. Resumable tus uploads
 * land next to the files (uploads.datastore) and are adopted into the store
 * once their digest is checked. One contract suite (test/s3/) runs against
 * both implementations.
 */
import type { Readable } from 'node:stream';
import type { DataStore } from '@tus/server';

export type FileStorageKind = 'disk' | 's3';

/** Inclusive byte range, as in HTTP Range. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface StoredFile {
  sha256: string;
  byteSize: number;
}

/** The bytes did not hash to the digest they were declared with; nothing was stored. */
export class Sha256Mismatch extends Error {
  constructor(
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`sha256 is ${actual}, expected ${expected}.`);
    this.name = 'Sha256Mismatch';
  }
}

export interface FileStorage {
  readonly kind: FileStorageKind;
  has(sha256: string): Promise<boolean>;
  /** Size in bytes, or null when no file has this digest. */
  size(sha256: string): Promise<number | null>;
  /** The file's bytes, or the inclusive range of them; rejects when absent. */
  read(sha256: string, range?: ByteRange): Promise<Readable>;
  /** Streams bytes in while hashing them; stores them under their sha256 only when it matches `expectedSha256`. */
  put(body: Readable, expectedSha256?: string): Promise<StoredFile>;
  /** put() for a file on the local disk (content packs). */
  importFile(source: string, expectedSha256?: string): Promise<StoredFile>;
  /** Rejects when the store cannot be reached (for GET /api/health). */
  check(): Promise<void>;
  /** Lets go of connections (the S3 client's sockets); nothing for the disk. */
  close(): Promise<void>;
  readonly uploads: UploadArea;
}

/** Where tus uploads are written until they are complete. */
export interface UploadArea {
  readonly datastore: DataStore;
  /** The first bytes of an upload (content sniffing before it is adopted). */
  head(uploadId: string, bytes: number): Promise<Buffer>;
  /** Hashes a finished upload by streaming it and moves it into the store under that digest; throws Sha256Mismatch. */
  adopt(uploadId: string, expectedSha256: string): Promise<StoredFile>;
  /** Drops what is left of an upload (after adopt, or after a mismatch). */
  discard(uploadId: string): Promise<void>;
}
