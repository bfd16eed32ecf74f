/**
 * A stand-in for GET /api/v1/files/{sha256} as a fetch function, for the
 * download engine's unit tests: it honours Range and If-Range like the real
 * server, and can be told to cut the connection after some bytes, refuse
 * connections, flip a byte on the way or ignore Range. Test-only.
 */
import { sha256Hex } from '../sha256';

export interface FakeFile {
  bytes: Uint8Array;
  mediaType: string;
  /** Participants-only: needs `Authorization: Bearer <token>`. */
  token?: string;
}

export interface RecordedRequest {
  sha256: string;
  range: string | null;
  ifRange: string | null;
  authorization: string | null;
}

export async function sha256Of(bytes: Uint8Array): Promise<string> {
  return sha256Hex(bytes.slice().buffer);
}

/** Deterministic pseudo-random bytes, so a failure can be replayed. */
export function sampleBytes(size: number, seed = 1): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

export class FakeFileServer {
  readonly files = new Map<string, FakeFile>();
  readonly requests: RecordedRequest[] = [];
  /** Body bytes sent, across requests. */
  bytesServed = 0;
  /** When set, the connection breaks once this many more body bytes have been sent. */
  cutAfterBytes: number | null = null;
  /** Every request fails as if there were no network. */
  offline = false;
  /** File offsets whose byte is flipped in the next response that carries them (then forgotten). */
  corruptOnce = new Set<number>();
  /** Flip this offset in every response (a persistent fault). */
  corruptAlways: number | null = null;
  /** Answer 200 with the whole file, as a server without Range support would. */
  ignoreRange = false;
  /** Body bytes per stream piece, so cuts can land inside a chunk. */
  pieceBytes = 64;

  async add(bytes: Uint8Array, mediaType = 'application/pdf', token?: string): Promise<string> {
    const sha256 = await sha256Of(bytes);
    this.files.set(sha256, { bytes, mediaType, ...(token ? { token } : {}) });
    return sha256;
  }

  readonly fetch: typeof fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const headers = new Headers(init?.headers);
    const sha256 = url.split('/').pop() ?? '';
    this.requests.push({
      sha256,
      range: headers.get('range'),
      ifRange: headers.get('if-range'),
      authorization: headers.get('authorization'),
    });
    if (this.offline) throw new TypeError('Failed to fetch');
    init?.signal?.throwIfAborted();
    const file = this.files.get(sha256);
    if (!file) return new Response('{"error":"not_found"}', { status: 404 });
    if (file.token && headers.get('authorization') !== `Bearer ${file.token}`) {
      return new Response('{"error":"forbidden"}', { status: headers.get('authorization') ? 403 : 401 });
    }
    const size = file.bytes.length;
    const etag = `"${sha256}"`;
    const common = { etag, 'accept-ranges': 'bytes', 'content-type': file.mediaType };
    const range = /^bytes=(\d+)-(\d*)$/.exec(headers.get('range') ?? '');
    const ifRange = headers.get('if-range');
    if (range && !this.ignoreRange && (!ifRange || ifRange === etag)) {
      const start = Number(range[1]);
      const end = range[2] === '' ? size - 1 : Math.min(Number(range[2]), size - 1);
      if (start >= size || start > end) {
        return new Response(null, { status: 416, headers: { 'content-range': `bytes */${size}` } });
      }
      return new Response(this.body(file.bytes, start, end + 1, init?.signal ?? null), {
        status: 206,
        headers: {
          ...common,
          'content-range': `bytes ${start}-${end}/${size}`,
          'content-length': String(end - start + 1),
        },
      });
    }
    return new Response(this.body(file.bytes, 0, size, init?.signal ?? null), {
      status: 200,
      headers: { ...common, 'content-length': String(size) },
    });
  };

  private body(bytes: Uint8Array, from: number, to: number, signal: AbortSignal | null): ReadableStream<Uint8Array> {
    let position = from;
    return new ReadableStream<Uint8Array>({
      pull: (controller) => {
        if (signal?.aborted) {
          controller.error(signal.reason);
          return;
        }
        if (position >= to) {
          controller.close();
          return;
        }
        if (this.cutAfterBytes !== null && this.cutAfterBytes <= 0) {
          this.cutAfterBytes = null;
          controller.error(new TypeError('network error: connection reset'));
          return;
        }
        let take = Math.min(this.pieceBytes, to - position);
        if (this.cutAfterBytes !== null) take = Math.min(take, this.cutAfterBytes);
        const piece = bytes.slice(position, position + take);
        for (let i = 0; i < piece.length; i++) {
          const offset = position + i;
          if (this.corruptOnce.delete(offset) || this.corruptAlways === offset) piece[i] = (piece[i] ?? 0) ^ 0xff;
        }
        position += take;
        this.bytesServed += take;
        if (this.cutAfterBytes !== null) this.cutAfterBytes -= take;
        controller.enqueue(piece);
      },
    });
  }
}
