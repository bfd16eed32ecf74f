/**
 * Row shapes of the device tables behind offline content: material files
 * kept as Blob chunks, which file each material currently has, and what the
 * participant last saw of agendas and materials (to highlight changes).
 * Declared here rather than in database.ts so the schema file stays small.
 */

/** Why a material download stopped; the UI turns each into a sentence. */
export type DownloadErrorKind = 'offline' | 'quota' | 'corrupt' | 'forbidden' | 'notFound' | 'server';

/**
 * A file's bytes on the device, keyed by sha256: one row per content, shared
 * by every material that points at it (a new version is a new row).
 */
export interface StoredFile {
  sha256: string;
  byteSize: number;
  mediaType: string;
  /** Bytes stored so far; the chunks cover [0, receivedBytes) with no gap, so a resume starts here. */
  receivedBytes: number;
  /** 'complete' only after the assembled file's sha256 matched. */
  state: 'partial' | 'complete';
  /** Times the assembled bytes failed the sha256 check and were fetched again. */
  failedVerifications: number;
  updatedAt: string;
}

/**
 * Part of a file. Blobs in IndexedDB, not the Cache API: the Cache API
 * refuses the 206 answers of ranged requests, and Blobs stay on disk until
 * read, so a composed file never has to fit in memory.
 */
export interface FileChunk {
  sha256: string;
  /** Byte offset of the chunk in the file. */
  offset: number;
  size: number;
  blob: Blob;
}

/** Which file a material has on the device, and which newer one is on its way. */
export interface MaterialDownload {
  materialId: string;
  workshopId: string;
  /** The verified file that opens; null until a first version verifies. Kept while a newer one downloads. */
  sha256: string | null;
  /** The version being fetched (the participant asked for it); null when nothing is pending. */
  pendingSha256: string | null;
  error: DownloadErrorKind | null;
  updatedAt: string;
}

/** An agenda session as the participant last saw it, to tell what moved, was cancelled or is new. */
export interface SeenSession {
  sessionId: string;
  workshopId: string;
  date: string;
  start: string;
  end: string;
  status: 'scheduled' | 'cancelled';
  title: string;
}

/** The version of a material the participant last saw, to mark it "updated" when a new one arrives. */
export interface SeenMaterial {
  materialId: string;
  workshopId: string;
  version: number;
}
