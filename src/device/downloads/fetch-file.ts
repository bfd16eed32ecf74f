/**
 * Downloads one content-addressed file (GET /api/v1/files/{sha256}) into
 * IndexedDB in chunks with HTTP Range requests, resuming from the last
 * stored byte after any cut, and marks it complete only once the whole
 * file's sha256 matches. A mismatch (a chunk corrupted on the way) throws
 * the bytes away and fetches the file again.
 *
 * No DOM: fetch, Blob, Web Crypto and Dexie only, so the unit tests run it
 * under Node against a fake server that can cut and corrupt.
 */
import type { VakaDatabase } from '../db/database';
import { sha256Hex } from './sha256';
import { appendChunk, assembleFile, ensureFile, markComplete, resetFile, type FileSpec } from './store';
import type { DownloadErrorKind } from './types';

export const FILES_PATH = '/api/v1/files';

/** 1 MiB: on a 30 KB/s link a chunk is about half a minute, and a cut keeps what arrived anyway. */
export const DEFAULT_CHUNK_BYTES = 1024 * 1024;

export class DownloadError extends Error {
  constructor(
    readonly kind: DownloadErrorKind,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'DownloadError';
  }

  /** Worth trying again later by itself (the link or the server), as opposed to needing the participant. */
  get transient(): boolean {
    return this.kind === 'offline' || this.kind === 'server';
  }
}

export interface DownloadFileOptions {
  /** Prefix of the API URL; '' for the page's own origin. */
  baseUrl?: string;
  /** Device token, for participants-only files. */
  token?: string | null;
  fetchImpl?: typeof fetch;
  chunkBytes?: number;
  signal?: AbortSignal;
  /** Bytes on the device so far, including those of the chunk still arriving. */
  onProgress?: (receivedBytes: number, byteSize: number) => void;
  /** How many times a file that fails its sha256 check is fetched again before giving up. */
  maxRefetches?: number;
  /** A request that receives nothing for this long is abandoned (satellite links stall rather than fail). */
  stallMs?: number;
  now?: () => Date;
}

export function isQuotaError(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error;) {
    if (e.name === 'QuotaExceededError') return true;
    const inner: unknown = (e as { inner?: unknown }).inner ?? e.cause;
    if (inner === e) break;
    e = inner;
  }
  return false;
}

function storageError(error: unknown): never {
  if (isQuotaError(error)) throw new DownloadError('quota', 'The device is out of storage space', { cause: error });
  throw error;
}

/** Parses `bytes 0-99/1234`. */
function contentRange(header: string | null): { start: number; end: number; size: number } | null {
  const m = header ? /^bytes (\d+)-(\d+)\/(\d+)$/.exec(header.trim()) : null;
  return m ? { start: Number(m[1]), end: Number(m[2]), size: Number(m[3]) } : null;
}

function statusError(status: number): DownloadError {
  if (status === 401 || status === 403)
    return new DownloadError('forbidden', `HTTP ${status}: this file is for the workshop's participants`);
  if (status === 404 || status === 410) return new DownloadError('notFound', `HTTP ${status}: the file is gone`);
  return new DownloadError('server', `HTTP ${status}`);
}

/**
 * Reads a response body, reporting bytes as they arrive. When the body is
 * cut, what did arrive is handed to `keep` before the error is thrown, so a
 * resume does not fetch those bytes again.
 */
async function readBody(
  response: Response,
  onBytes: (count: number) => void,
  keep: (partial: Blob) => Promise<void>,
  stall: () => void,
): Promise<Blob> {
  if (!response.body) return response.blob();
  const reader = response.body.getReader();
  const parts: Uint8Array<ArrayBuffer>[] = [];
  let count = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      stall();
      parts.push(value as Uint8Array<ArrayBuffer>);
      count += value.byteLength;
      onBytes(count);
    }
  } catch (error) {
    if (count > 0) await keep(new Blob(parts));
    throw new DownloadError('offline', 'The connection was cut during the download', { cause: error });
  }
  return new Blob(parts);
}

/**
 * Makes sure the file is complete and verified on the device, fetching only
 * the bytes it lacks. Throws DownloadError (kind offline, server, quota,
 * corrupt, forbidden or notFound); bytes stored before the error stay, so
 * calling again resumes.
 */
export async function downloadFile(db: VakaDatabase, spec: FileSpec, options: DownloadFileOptions = {}): Promise<void> {
  const fetchImpl = options.fetchImpl ?? globalThis.fetch.bind(globalThis);
  const chunkBytes = Math.max(1, options.chunkBytes ?? DEFAULT_CHUNK_BYTES);
  const maxRefetches = options.maxRefetches ?? 2;
  const stallMs = options.stallMs ?? 60_000;
  const now = () => (options.now ?? (() => new Date()))().toISOString();
  const url = `${options.baseUrl ?? ''}${FILES_PATH}/${spec.sha256}`;
  const { signal } = options;

  const file = await ensureFile(db, spec, now()).catch(storageError);
  if (file.state === 'complete') {
    options.onProgress?.(file.byteSize, file.byteSize);
    return;
  }
  let received = file.receivedBytes;
  // Counted per call, so a participant who taps "Try again" gets fresh attempts.
  let refetches = 0;
  const store = async (offset: number, blob: Blob): Promise<number> =>
    appendChunk(db, spec.sha256, offset, blob, now()).catch(storageError);

  for (;;) {
    while (received < spec.byteSize) {
      signal?.throwIfAborted();
      const start = received;
      const end = Math.min(start + chunkBytes, spec.byteSize) - 1;
      const headers: Record<string, string> = {
        range: `bytes=${start}-${end}`,
        // Content-addressed, so the ETag never changes; If-Range still guards
        // against a proxy answering with some other representation.
        'if-range': `"${spec.sha256}"`,
      };
      if (options.token) headers.authorization = `Bearer ${options.token}`;

      const controller = new AbortController();
      const onAbort = () => controller.abort(signal?.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      let timer: ReturnType<typeof setTimeout> | undefined;
      const stall = () => {
        clearTimeout(timer);
        timer = setTimeout(() => controller.abort(new Error('stalled')), stallMs);
      };
      try {
        stall();
        let response: Response;
        try {
          response = await fetchImpl(url, { headers, signal: controller.signal, credentials: 'omit' });
        } catch (error) {
          signal?.throwIfAborted();
          throw new DownloadError('offline', 'No connection to the server', { cause: error });
        }
        if (response.status === 206) {
          const range = contentRange(response.headers.get('content-range'));
          if (range && (range.start !== start || range.size !== spec.byteSize)) {
            throw new DownloadError('server', `Asked for bytes ${start}-${end}, got ${range.start}-${range.end}`);
          }
          const body = await readBody(
            response,
            (n) => options.onProgress?.(start + n, spec.byteSize),
            async (partial) => {
              received = await store(start, partial);
            },
            stall,
          );
          if (body.size === 0) throw new DownloadError('offline', 'The server sent no bytes');
          received = await store(start, body);
        } else if (response.status === 200) {
          // The whole file (a server or proxy that ignores Range): keep the part not yet stored.
          const body = await readBody(
            response,
            (n) => options.onProgress?.(Math.max(start, n), spec.byteSize),
            async () => undefined,
            stall,
          );
          if (body.size !== spec.byteSize) throw new DownloadError('offline', 'The file arrived incomplete');
          for (let offset = start; offset < spec.byteSize; offset = received) {
            received = await store(offset, body.slice(offset, Math.min(offset + chunkBytes, spec.byteSize)));
            if (received <= offset) break;
          }
        } else if (response.status === 416) {
          // The server's file is not the size we were told: start over, the check below decides.
          await response.body?.cancel();
          await resetFile(db, spec.sha256, now()).catch(storageError);
          received = 0;
          if (++refetches > maxRefetches)
            throw new DownloadError('corrupt', 'The server does not have the file as published');
        } else {
          await response.body?.cancel().catch(() => undefined);
          throw statusError(response.status);
        }
        options.onProgress?.(received, spec.byteSize);
      } catch (error) {
        // The participant's cancel is not a network problem.
        signal?.throwIfAborted();
        throw error;
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      }
    }

    const assembled = await assembleFile(db, spec.sha256);
    if (assembled && (await sha256Hex(assembled)) === spec.sha256) {
      await markComplete(db, spec.sha256, now()).catch(storageError);
      return;
    }
    // Some byte changed on the way (or a chunk is missing): nothing says
    // which, so the whole file is fetched again, a limited number of times.
    await resetFile(db, spec.sha256, now()).catch(storageError);
    received = 0;
    options.onProgress?.(0, spec.byteSize);
    if (++refetches > maxRefetches) {
      throw new DownloadError('corrupt', `The file did not match its sha256 after ${refetches} tries`);
    }
  }
}
