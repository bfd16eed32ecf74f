/**
 * A TCP proxy that turns 127.0.0.1 into a satellite link for the benchmarks
 * (the kernel here has no netem). Between a client and one upstream server it
 * adds, per direction:
 *   - a one-way delay (RTT = 2 × delayMs);
 *   - a bandwidth limit shared by all connections of that direction (one
 *     link), as a token bucket that holds no more than one segment, so bytes
 *     leave at the link rate;
 *   - optionally TCP's costs that a loopback socket hides: one RTT of
 *     handshake before a new connection can carry data, and slow start
 *     (initial window of 10 segments, doubled each RTT, restarted after an
 *     idle period), so a large response pays extra round trips as it would
 *     on the real link;
 *   - "response lost after the server processed the request": for a seeded
 *     share of HTTP requests the request is forwarded in full, the server's
 *     answer is discarded and both sockets are closed (the client sees the
 *     connection die when the answer would have reached it).
 *
 * It parses HTTP/1.1 request framing (Content-Length and chunked) in the
 * client→server stream so it can count requests and attribute bytes to them.
 *
 * Counting definitions (reported by every section that uses the proxy):
 *   bytes       TCP payload bytes (HTTP head + body) each way; TCP/IP framing
 *               and TLS are not counted.
 *   exchanges   per connection, each client→server burst that follows a
 *               server→client burst (or opens the connection): one request
 *               and its answer on a keep-alive connection is one exchange.
 *   roundTrips  exchanges + one handshake per new connection. Connections
 *               used in parallel each count, so this is the number of round
 *               trips performed, not the length of the critical path (the
 *               tables also give wall time ÷ RTT for that).
 */
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { mulberry32 } from '../support/random';

export interface LinkProfile {
  /** One-way delay added in each direction, in ms. */
  delayMs: number;
  /** Client→server rate in bits per second; Infinity for no limit. */
  upBps: number;
  /** Server→client rate in bits per second; Infinity for no limit. */
  downBps: number;
  /** Model the TCP handshake and slow start (on for realistic runs). */
  tcp: boolean;
}

export const UNSHAPED: LinkProfile = { delayMs: 0, upBps: Infinity, downBps: Infinity, tcp: false };

export interface RequestRecord {
  connection: number;
  method: string;
  path: string;
  /** ms since the proxy's stats were reset. */
  at: number;
  requestBytes: number;
  responseBytes: number;
  dropped: boolean;
  /** HTTP heads as sent, kept so a report can show where header bytes go. */
  requestHead?: string;
  responseHead?: string;
}

export interface ProxyStats {
  connections: number;
  requests: number;
  exchanges: number;
  roundTrips: number;
  bytesUp: number;
  bytesDown: number;
  drops: number;
  log: RequestRecord[];
}

export interface ProxyOptions {
  targetPort: number;
  targetHost?: string;
  profile?: LinkProfile;
  /** Share of matching requests whose response is lost after processing (0..1). */
  dropRate?: number;
  seed?: number;
  /** Which requests may be dropped; default: every request. */
  dropMatch?: (method: string, path: string) => boolean;
}

const MSS = 1460;
const INITIAL_WINDOW = 10 * MSS;
const MAX_WINDOW = 64 * 1024 * 1024;

/** One direction of the shared link: where its serialisation queue stands. */
interface LinkDirection {
  freeAt: number;
}

/** One direction of one connection: slow-start state and the delivery queue. */
class Lane {
  private queue: { data: Buffer; at: number }[] = [];
  private timer: NodeJS.Timeout | null = null;
  private cwnd = INITIAL_WINDOW;
  private flightStart = -Infinity;
  private flightBytes = 0;
  private lastSendAt = -Infinity;
  lastDeliverAt = 0;
  /** Earliest moment this lane may send (the handshake holds the first request back). */
  gate = 0;

  constructor(
    private readonly link: LinkDirection,
    private readonly profile: () => LinkProfile,
    private readonly rate: () => number,
    private readonly sink: (data: Buffer) => void,
  ) {}

  push(chunk: Buffer): void {
    const p = this.profile();
    const rtt = 2 * p.delayMs;
    const rate = this.rate();
    for (let offset = 0; offset < chunk.length; offset += MSS) {
      const piece = chunk.subarray(offset, Math.min(chunk.length, offset + MSS));
      const now = performance.now();
      let t = Math.max(now, this.gate);
      if (p.tcp && rtt > 0) {
        // Linux restarts slow start after an idle period of about one RTO.
        if (t - this.lastSendAt > Math.max(1000, 1.5 * rtt)) {
          this.cwnd = INITIAL_WINDOW;
          this.flightStart = t;
          this.flightBytes = 0;
        } else if (this.flightBytes + piece.length > this.cwnd) {
          // The window is full: the next flight leaves when the first one's ACKs are back.
          this.flightStart = Math.max(t, this.flightStart + rtt);
          this.cwnd = Math.min(this.cwnd * 2, MAX_WINDOW);
          this.flightBytes = 0;
        }
        t = Math.max(t, this.flightStart);
        this.flightBytes += piece.length;
      }
      let sent = t;
      if (Number.isFinite(rate) && rate > 0) {
        const start = Math.max(t, this.link.freeAt);
        sent = start + (piece.length * 8 * 1000) / rate;
        this.link.freeAt = sent;
      }
      this.lastSendAt = sent;
      const at = Math.max(sent + p.delayMs, this.lastDeliverAt);
      this.lastDeliverAt = at;
      this.queue.push({ data: Buffer.from(piece), at });
    }
    this.arm();
  }

  private arm(): void {
    if (this.timer || this.queue.length === 0) return;
    const wait = Math.max(0, this.queue[0]!.at - performance.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, wait);
  }

  private flush(): void {
    const now = performance.now();
    const ready: Buffer[] = [];
    while (this.queue.length > 0 && this.queue[0]!.at <= now + 0.5) ready.push(this.queue.shift()!.data);
    if (ready.length > 0) this.sink(Buffer.concat(ready));
    this.arm();
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.queue = [];
  }
}

/** Incremental HTTP/1.1 request framing: finds where each request starts and ends. */
class RequestFramer {
  private buffer: Buffer = Buffer.alloc(0);
  private state: 'head' | 'body' | 'chunk-size' | 'chunk-data' | 'trailer' = 'head';
  private remaining = 0;
  constructor(private readonly onRequest: (method: string, path: string, head: string) => void) {}

  feed(chunk: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    for (let guard = 0; guard < 100_000 && this.buffer.length > 0; guard++) {
      if (this.state === 'head') {
        const end = this.buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = this.buffer.subarray(0, end).toString('latin1');
        const rest = this.buffer.subarray(end + 4);
        const [requestLine = '', ...headerLines] = head.split('\r\n');
        const [method = '?', path = '?'] = requestLine.split(' ');
        const headers = new Map(
          headerLines.map((l) => [l.slice(0, l.indexOf(':')).trim().toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
        );
        this.onRequest(method, path, head);
        this.buffer = rest;
        if ((headers.get('transfer-encoding') ?? '').toLowerCase().includes('chunked')) this.state = 'chunk-size';
        else {
          this.remaining = Number(headers.get('content-length') ?? 0);
          this.state = this.remaining > 0 ? 'body' : 'head';
        }
      } else if (this.state === 'body' || this.state === 'chunk-data') {
        const take = Math.min(this.remaining, this.buffer.length);
        this.buffer = this.buffer.subarray(take);
        this.remaining -= take;
        if (this.remaining > 0) return;
        this.state = this.state === 'body' ? 'head' : 'chunk-size';
      } else if (this.state === 'chunk-size') {
        const end = this.buffer.indexOf('\r\n');
        if (end < 0) return;
        const size = parseInt(this.buffer.subarray(0, end).toString('latin1'), 16);
        this.buffer = this.buffer.subarray(end + 2);
        if (!Number.isFinite(size) || size === 0) this.state = 'trailer';
        else {
          this.remaining = size + 2;
          this.state = 'chunk-data';
        }
      } else {
        const end = this.buffer.indexOf('\r\n');
        if (end < 0) return;
        this.buffer = this.buffer.subarray(end + 2);
        if (end === 0) this.state = 'head';
      }
    }
  }
}

interface Connection {
  id: number;
  client: net.Socket;
  upstream: net.Socket;
  up: Lane;
  down: Lane;
  lastDir: 'none' | 'up' | 'down';
  request: RequestRecord | null;
  dropping: boolean;
}

export class DelayProxy {
  private server: net.Server | null = null;
  private readonly connections = new Set<Connection>();
  private profile: LinkProfile;
  private readonly upLink: LinkDirection = { freeAt: 0 };
  private readonly downLink: LinkDirection = { freeAt: 0 };
  private rng: () => number;
  private dropRate: number;
  private counters: ProxyStats = DelayProxy.emptyStats();
  private epoch = performance.now();
  private nextId = 1;
  port = 0;

  constructor(private readonly options: ProxyOptions) {
    this.profile = options.profile ?? UNSHAPED;
    this.dropRate = options.dropRate ?? 0;
    this.rng = mulberry32(options.seed ?? 1);
  }

  private static emptyStats(): ProxyStats {
    return { connections: 0, requests: 0, exchanges: 0, roundTrips: 0, bytesUp: 0, bytesDown: 0, drops: 0, log: [] };
  }

  async start(): Promise<number> {
    this.server = net.createServer((client) => this.accept(client));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this.port;
  }

  /** Changes the link for new bytes; the warm-up of a scenario runs unshaped through the same address. */
  setProfile(profile: LinkProfile, dropRate = 0, seed?: number): void {
    this.profile = profile;
    this.dropRate = dropRate;
    if (seed !== undefined) this.rng = mulberry32(seed);
  }

  resetStats(): void {
    this.counters = DelayProxy.emptyStats();
    this.epoch = performance.now();
  }

  stats(): ProxyStats {
    return {
      ...this.counters,
      roundTrips: this.counters.exchanges + this.counters.connections,
      log: [...this.counters.log],
    };
  }

  /** Closes every open connection, so the next measured phase starts cold as after an app restart. */
  dropConnections(): void {
    for (const c of this.connections) this.closeConnection(c);
  }

  async close(): Promise<void> {
    this.dropConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private closeConnection(c: Connection): void {
    c.up.clear();
    c.down.clear();
    c.client.destroy();
    c.upstream.destroy();
    this.connections.delete(c);
  }

  private accept(client: net.Socket): void {
    client.setNoDelay(true);
    const upstream = net.connect({ port: this.options.targetPort, host: this.options.targetHost ?? '127.0.0.1' });
    upstream.setNoDelay(true);
    const profile = () => this.profile;
    const c: Connection = {
      id: this.nextId++,
      client,
      upstream,
      lastDir: 'none',
      request: null,
      dropping: false,
      up: new Lane(
        this.upLink,
        profile,
        () => this.profile.upBps,
        (data) => {
          if (!upstream.destroyed) upstream.write(data);
        },
      ),
      down: new Lane(
        this.downLink,
        profile,
        () => this.profile.downBps,
        (data) => {
          if (!client.destroyed) client.write(data);
        },
      ),
    };
    this.connections.add(c);
    this.counters.connections++;
    // SYN, SYN-ACK: the client's first bytes can leave only one RTT after it connected.
    if (this.profile.tcp) c.up.gate = performance.now() + 2 * this.profile.delayMs;

    const framer = new RequestFramer((method, path, head) => {
      const record: RequestRecord = {
        connection: c.id,
        method,
        path,
        requestHead: head,
        at: Math.round(performance.now() - this.epoch),
        requestBytes: 0,
        responseBytes: 0,
        dropped: false,
      };
      if (this.dropRate > 0 && (this.options.dropMatch?.(method, path) ?? true) && this.rng() < this.dropRate)
        record.dropped = true;
      c.request = record;
      this.counters.requests++;
      this.counters.log.push(record);
    });

    client.on('data', (chunk: Buffer) => {
      if (c.dropping) return;
      this.counters.bytesUp += chunk.length;
      if (c.lastDir !== 'up') this.counters.exchanges++;
      c.lastDir = 'up';
      framer.feed(chunk);
      // Clients do not pipeline, so a chunk belongs to the request that began last.
      if (c.request) c.request.requestBytes += chunk.length;
      c.up.push(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (c.dropping) return;
      if (c.request?.dropped) {
        // The server has answered, so it has processed the request: lose the answer on the way back.
        c.dropping = true;
        this.counters.drops++;
        upstream.destroy();
        const p = this.profile;
        const dieAt = Math.max(performance.now() + p.delayMs, c.down.lastDeliverAt);
        setTimeout(() => this.closeConnection(c), Math.max(0, dieAt - performance.now()));
        return;
      }
      this.counters.bytesDown += chunk.length;
      c.lastDir = 'down';
      if (c.request) {
        if (c.request.responseBytes === 0) {
          const end = chunk.indexOf('\r\n\r\n');
          c.request.responseHead = chunk.subarray(0, end < 0 ? chunk.length : end).toString('latin1');
        }
        c.request.responseBytes += chunk.length;
      }
      c.down.push(chunk);
    });
    const finish = () => {
      // Let bytes already on the wire arrive before the close does.
      const at = Math.max(c.down.lastDeliverAt, c.up.lastDeliverAt) - performance.now();
      setTimeout(() => this.closeConnection(c), Math.max(0, at + 1));
    };
    client.on('end', finish);
    upstream.on('end', finish);
    client.on('error', () => this.closeConnection(c));
    upstream.on('error', () => this.closeConnection(c));
  }
}
