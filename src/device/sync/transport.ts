/**
 * How a sync request reaches the server. The engine takes any function of
 * this shape, so tests pass a scripted fake and the page and the service
 * worker pass the fetch transport below. Request bodies are gzip-compressed
 * when the runtime has CompressionStream: on a satellite link every byte over
 * TCP's first window costs another round trip.
 */
import type { SyncRequest } from '../../shared/sync/protocol';

export interface SyncTransportRequest {
  url: string;
  body: SyncRequest;
  /** Device token; null before enrolment (public content only). */
  token: string | null;
}

export interface SyncTransportResponse {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** Parsed JSON, or null when the body was empty or not JSON. */
  body: unknown;
}

/** Resolves with any HTTP answer; rejects only when no answer arrived (offline, timeout, connection cut). */
export type SyncTransport = (request: SyncTransportRequest) => Promise<SyncTransportResponse>;

export interface FetchTransportOptions {
  fetchImpl?: typeof fetch;
  /** Generous: a 4 MB page at 30 KB/s takes over two minutes. */
  timeoutMs?: number;
  /** Smaller bodies go uncompressed: below about 200 bytes gzip and its header cost more than they save. */
  compressAboveBytes?: number;
}

export async function gzip(text: string): Promise<ArrayBuffer> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Response(stream).arrayBuffer();
}

export function createFetchTransport(options: FetchTransportOptions = {}): SyncTransport {
  const timeoutMs = options.timeoutMs ?? 180_000;
  const compressAbove = options.compressAboveBytes ?? 200;
  return async ({ url, body, token }) => {
    // Looked up per call so a replaced global is seen; bound because some browsers refuse a detached fetch.
    const fetchImpl = options.fetchImpl ?? globalThis.fetch.bind(globalThis);
    // An empty outbox is left out (the server reads it as none): an idle sync is mostly headers already.
    const json = JSON.stringify(body.mutations.length > 0 ? body : { ...body, mutations: undefined });
    // Every header byte travels on every sync: no Accept (the answer is always JSON) and no cache
    // directives (a POST answer is never reused from the HTTP cache).
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    let payload: string | ArrayBuffer = json;
    if (json.length > compressAbove && typeof CompressionStream === 'function') {
      payload = await gzip(json);
      headers['content-encoding'] = 'gzip';
    }
    const init: RequestInit = { method: 'POST', headers, body: payload, credentials: 'omit' };
    if (typeof AbortSignal !== 'undefined' && 'timeout' in AbortSignal) init.signal = AbortSignal.timeout(timeoutMs);
    const response = await fetchImpl(url, init);
    const responseHeaders: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      responseHeaders[name.toLowerCase()] = value;
    });
    const text = await response.text();
    let parsed: unknown = null;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = null;
      }
    }
    return { status: response.status, headers: responseHeaders, body: parsed };
  };
}

/** The transport the app uses: same-origin fetch. */
export const fetchTransport: SyncTransport = createFetchTransport();
