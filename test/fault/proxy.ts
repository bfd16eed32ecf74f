/**
 * A seeded TCP fault proxy for the fault harness (issue #9): it sits between
 * HTTP clients and the real server on 127.0.0.1 and, per HTTP request,
 *   - passes it untouched;
 *   - delays it (the request reaches the server late);
 *   - drops it mid-request: forwards only a prefix of the request bytes, then
 *     cuts both sides, so the server never sees a whole request;
 *   - drops it mid-response: forwards the whole request, waits until the
 *     server starts answering (so it has processed and committed it),
 *     delivers a prefix of the answer and cuts both sides;
 *   - duplicates it: forwards it and sends a byte-identical copy on a second
 *     connection, at once or later (a late copy arrives after newer
 *     requests), and throws the copy's answer away.
 * Decisions come from one mulberry32 stream in the order requests complete
 * at the proxy, so a seed replays the same plan for the same request order.
 *
 * Requests are framed (Content-Length or chunked) and held until complete
 * before anything is forwarded: clients here never pipeline, and whole
 * requests are what make "prefix of the request" and "copy" well defined.
 */
import net from 'node:net';
import { mulberry32 } from '../support/random';

export type FaultKind = 'delay' | 'dropRequest' | 'dropResponse' | 'duplicate';
export const FAULT_KINDS: readonly FaultKind[] = ['delay', 'dropRequest', 'dropResponse', 'duplicate'];

/** Probability of each fault per request; the rest pass. Their sum must stay ≤ 1. */
export type FaultPlan = Record<FaultKind, number>;

export const NO_FAULTS: FaultPlan = { delay: 0, dropRequest: 0, dropResponse: 0, duplicate: 0 };

export interface ProxiedRequest {
  /** 1-based, in the order requests were complete at the proxy. */
  id: number;
  method: string;
  path: string;
  /** Header names in lower case. */
  headers: Map<string, string>;
  fault: FaultKind | null;
}

export interface ProxyOptions {
  targetPort: number;
  seed: number;
  plan?: FaultPlan;
  /** Longest added delay, for delays and late duplicates (ms). */
  maxDelayMs?: number;
  /** Called once a request has been written to the server in full (faults that cut it first never call it). */
  onForwarded?: (request: ProxiedRequest) => void;
}

export interface ProxyCounts extends Record<FaultKind, number> {
  requests: number;
  passed: number;
  /** Connections the server refused or cut on its own (it was down or killed): consequences, not injected faults. */
  upstreamFailures: number;
}

interface Framed {
  raw: Buffer;
  method: string;
  path: string;
  headers: Map<string, string>;
}

/** Splits a client byte stream into whole HTTP/1.1 requests. */
class Framer {
  private buffer: Buffer = Buffer.alloc(0);
  private head: { method: string; path: string; headers: Map<string, string>; bodyStart: number } | null = null;
  private chunkPos = 0;

  /** Returns the requests completed by this chunk; throws on framing it cannot follow. */
  feed(chunk: Buffer): Framed[] {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    const done: Framed[] = [];
    for (let guard = 0; guard < 10_000; guard++) {
      const request = this.next();
      if (!request) break;
      done.push(request);
    }
    return done;
  }

  private next(): Framed | null {
    if (!this.head) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) {
        if (this.buffer.length > 64 * 1024) throw new Error('request head too large to frame');
        return null;
      }
      const lines = this.buffer.subarray(0, end).toString('latin1').split('\r\n');
      const [method = '?', path = '?'] = (lines[0] ?? '').split(' ');
      const headers = new Map<string, string>();
      for (const line of lines.slice(1)) {
        const colon = line.indexOf(':');
        if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
      }
      this.head = { method, path, headers, bodyStart: end + 4 };
      this.chunkPos = end + 4;
    }
    const { headers, bodyStart } = this.head;
    let total: number | null;
    if ((headers.get('transfer-encoding') ?? '').toLowerCase().includes('chunked')) total = this.chunkedEnd();
    else total = bodyStart + Number(headers.get('content-length') ?? 0);
    if (total === null || this.buffer.length < total) return null;
    const framed: Framed = {
      raw: Buffer.from(this.buffer.subarray(0, total)),
      method: this.head.method,
      path: this.head.path,
      headers,
    };
    this.buffer = this.buffer.subarray(total);
    this.head = null;
    return framed;
  }

  /** Where a chunked body ends (after its trailer), or null if not all of it is here yet. */
  private chunkedEnd(): number | null {
    for (;;) {
      const eol = this.buffer.indexOf('\r\n', this.chunkPos);
      if (eol < 0) return null;
      const size = parseInt(this.buffer.subarray(this.chunkPos, eol).toString('latin1').split(';')[0] ?? '', 16);
      if (!Number.isFinite(size)) throw new Error('bad chunk size');
      if (size === 0) {
        // Trailer section: header lines up to an empty line.
        let pos = eol + 2;
        for (;;) {
          const lineEnd = this.buffer.indexOf('\r\n', pos);
          if (lineEnd < 0) return null;
          if (lineEnd === pos) return lineEnd + 2;
          pos = lineEnd + 2;
        }
      }
      const next = eol + 2 + size + 2;
      if (this.buffer.length < next) return null;
      this.chunkPos = next;
    }
  }
}

interface Connection {
  client: net.Socket;
  upstream: net.Socket | null;
  /** The request whose answer is travelling back now. */
  current: { fault: FaultKind | null; cut: boolean; keep: number } | null;
  /** Requests are handled one at a time, in order, as they would be on the wire. */
  queue: Promise<void>;
  closed: boolean;
}

export class FaultProxy {
  private server: net.Server | null = null;
  private readonly connections = new Set<Connection>();
  private readonly sideSockets = new Set<net.Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly rand: () => number;
  private plan: FaultPlan;
  private nextId = 1;
  readonly counts: ProxyCounts = {
    requests: 0,
    passed: 0,
    upstreamFailures: 0,
    delay: 0,
    dropRequest: 0,
    dropResponse: 0,
    duplicate: 0,
  };
  port = 0;

  constructor(private readonly options: ProxyOptions) {
    this.rand = mulberry32(options.seed);
    this.plan = options.plan ?? NO_FAULTS;
    const sum = FAULT_KINDS.reduce((s, k) => s + this.plan[k], 0);
    if (sum > 1) throw new Error(`fault probabilities add up to ${sum} > 1`);
  }

  /** Faults injected so far (every kind). */
  get injected(): number {
    return FAULT_KINDS.reduce((s, k) => s + this.counts[k], 0);
  }

  /** Changes the plan for requests from now on (NO_FAULTS to let the network heal). */
  setPlan(plan: FaultPlan): void {
    this.plan = plan;
  }

  async start(): Promise<number> {
    this.server = net.createServer((client) => this.accept(client));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this.port;
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const c of this.connections) this.closeConnection(c);
    for (const s of this.sideSockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.later(ms, resolve));
  }

  private decide(): FaultKind | null {
    let roll = this.rand();
    for (const kind of FAULT_KINDS) {
      if (roll < this.plan[kind]) return kind;
      roll -= this.plan[kind];
    }
    return null;
  }

  private closeConnection(c: Connection): void {
    if (c.closed) return;
    c.closed = true;
    c.client.destroy();
    c.upstream?.destroy();
    this.connections.delete(c);
  }

  private accept(client: net.Socket): void {
    client.setNoDelay(true);
    const c: Connection = { client, upstream: null, current: null, queue: Promise.resolve(), closed: false };
    this.connections.add(c);
    const framer = new Framer();
    client.on('data', (chunk: Buffer) => {
      let requests: Framed[];
      try {
        requests = framer.feed(chunk);
      } catch {
        this.closeConnection(c);
        return;
      }
      for (const request of requests) {
        // The decision is drawn now, in arrival order, so it does not depend on how long earlier requests took.
        const fault = this.decide();
        const randoms = [this.rand(), this.rand()];
        const id = this.nextId++;
        this.counts.requests++;
        if (fault) this.counts[fault]++;
        else this.counts.passed++;
        const info: ProxiedRequest = {
          id,
          method: request.method,
          path: request.path,
          headers: request.headers,
          fault,
        };
        c.queue = c.queue.then(() => this.handle(c, request, info, randoms)).catch(() => this.closeConnection(c));
      }
    });
    client.on('error', () => this.closeConnection(c));
    client.on('close', () => this.closeConnection(c));
  }

  private upstreamOf(c: Connection): Promise<net.Socket> {
    if (c.upstream && !c.upstream.destroyed) return Promise.resolve(c.upstream);
    return new Promise((resolve, reject) => {
      const upstream = net.connect({ port: this.options.targetPort, host: '127.0.0.1' });
      upstream.setNoDelay(true);
      c.upstream = upstream;
      upstream.once('connect', () => resolve(upstream));
      upstream.on('error', (err) => {
        this.counts.upstreamFailures++;
        this.closeConnection(c);
        reject(err);
      });
      upstream.on('close', () => this.closeConnection(c));
      upstream.on('data', (chunk: Buffer) => this.fromServer(c, chunk));
    });
  }

  private fromServer(c: Connection, chunk: Buffer): void {
    if (c.closed) return;
    const current = c.current;
    if (current?.fault === 'dropResponse' && !current.cut) {
      // The server is answering, so it has committed: the client gets part of the answer, then nothing.
      current.cut = true;
      const keep = Math.floor(current.keep * chunk.length);
      if (keep > 0) c.client.write(chunk.subarray(0, keep));
      this.later(1, () => this.closeConnection(c));
      return;
    }
    c.client.write(chunk);
  }

  private async handle(c: Connection, request: Framed, info: ProxiedRequest, randoms: number[]): Promise<void> {
    if (c.closed) return;
    const maxDelay = this.options.maxDelayMs ?? 200;
    const [r1 = 0, r2 = 0] = randoms;
    if (info.fault === 'delay') await this.sleep(Math.floor(r1 * maxDelay));
    if (c.closed) return;
    const upstream = await this.upstreamOf(c);
    c.current = { fault: info.fault, cut: false, keep: r1 };
    if (info.fault === 'dropRequest') {
      // Somewhere in the head or the body: the server must never act on a request it did not get whole.
      const keep = Math.floor(r1 * request.raw.length);
      if (keep > 0) upstream.write(request.raw.subarray(0, keep));
      this.later(1, () => this.closeConnection(c));
      return;
    }
    upstream.write(request.raw);
    this.options.onForwarded?.(info);
    if (info.fault === 'duplicate') {
      // Half the copies race the original; the others arrive after later requests.
      const delay = r2 < 0.5 ? 0 : Math.floor(r1 * maxDelay * 3);
      this.later(delay, () => this.sendCopy(request.raw));
    }
  }

  private sendCopy(raw: Buffer): void {
    const side = net.connect({ port: this.options.targetPort, host: '127.0.0.1' });
    this.sideSockets.add(side);
    const done = () => {
      side.destroy();
      this.sideSockets.delete(side);
    };
    side.once('connect', () => side.write(raw));
    // The copy's answer is thrown away; once it starts, the server has handled the copy.
    side.once('data', () => this.later(5, done));
    side.on('error', () => {
      this.counts.upstreamFailures++;
      done();
    });
    side.on('close', done);
    this.later(15_000, done);
  }
}
