/**
 * Several Vaka server instances on one PostgreSQL database with their files
 * in one S3 bucket (radosgw, test/setup/radosgw.sh), behind a round-robin
 * HTTP proxy, as an operator runs them behind a load balancer. Instances are
 * either built in this process (separate Fastify apps, database pools, file
 * stores and lockers, sharing one test clock) or real `src/server/main.ts`
 * processes that a test can SIGKILL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/server/app';
import { loadConfig, type ServerConfig } from '../../src/server/config';
import { openDatabase, type DatabaseHandle } from '../../src/server/db/connection';
import type { S3Settings } from '../../src/server/files/s3-store';
import { putRecord } from '../../src/server/sync/publish';
import { sha256Hex } from '../../src/server/auth/tokens';
import { freshBucket, pgUrl, s3Endpoint } from '../s3/support';
import type { TestServer } from '../server/harness';
import { freePort } from '../fault/server-process';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Why the suites here are skipped, or null when PostgreSQL and S3 are both there. */
export const missing = !pgUrl ? 'TEST_DATABASE_URL' : !s3Endpoint ? 'S3_ENDPOINT' : null;
if (missing) console.warn(`${missing} not set: the two-instance suites (test/scale) are skipped.`);

/** A new empty PostgreSQL database on the test cluster. */
export async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `vaka_scale_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(pgUrl!);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: pgUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** A new empty PostgreSQL database and a new empty bucket. */
export async function freshBackends(): Promise<{ url: string; s3: S3Settings; drop: () => Promise<void> }> {
  const database = await freshDatabase();
  const bucket = await freshBucket();
  return {
    url: database.url,
    s3: bucket.settings,
    drop: async () => {
      await bucket.drop();
      await database.drop();
    },
  };
}

/** A round-robin HTTP proxy: each request goes to the next instance in turn. */
export async function roundRobinProxy(
  ports: number[],
): Promise<{ url: string; hits: number[]; close(): Promise<void> }> {
  let next = 0;
  const hits = ports.map(() => 0);
  const server = http.createServer((req, res) => {
    const i = next;
    next = (next + 1) % ports.length;
    hits[i]!++;
    const upstream = http.request(
      { host: '127.0.0.1', port: ports[i], method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface Instance extends TestServer {
  port: number;
}

/** One in-process instance on the shared database and bucket, listening on 127.0.0.1. */
export async function startInstance(
  url: string,
  s3: S3Settings,
  clock: { now: Date },
  env: Record<string, string> = {},
): Promise<Instance> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vaka-scale-'));
  const config: ServerConfig = {
    ...loadConfig({ STATIC_DIR: path.join(dir, 'no-static'), LOG_LEVEL: 'silent', ...env }),
    database: { kind: 'postgres', url },
    // Nothing may land here: the files are in the bucket.
    filesDir: path.join(dir, 'files'),
    s3,
  };
  const database = await openDatabase(config.database);
  const app = await buildApp({ database, config, now: () => clock.now });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    app,
    database,
    config,
    clock,
    port: (app.server.address() as AddressInfo).port,
    async close() {
      await app.close();
      await database.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A TestServer whose `app.inject` goes over HTTP through the proxy, so the
 * test fixtures (test/server/fixtures.ts) set up their world through
 * whichever instance the proxy picks; its database is the shared one.
 */
export function throughProxy(proxyUrl: string, on: Instance): TestServer {
  const inject = async (opts: {
    method: string;
    url: string;
    headers?: Record<string, string>;
    payload?: unknown;
  }): Promise<Pick<LightMyRequestResponse, 'statusCode' | 'body' | 'headers'> & { json(): unknown }> => {
    const body =
      opts.payload === undefined
        ? undefined
        : typeof opts.payload === 'string'
          ? opts.payload
          : JSON.stringify(opts.payload);
    const res = await fetch(`${proxyUrl}${opts.url}`, {
      method: opts.method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...opts.headers },
      body,
    });
    const text = await res.text();
    return {
      statusCode: res.status,
      body: text,
      headers: Object.fromEntries(res.headers),
      json: () => JSON.parse(text),
    };
  };
  return { ...on, app: { inject } as unknown as FastifyInstance };
}

/** A participant with one enrolled device, written straight into the database. */
export async function seedDevice(db: DatabaseHandle['db']): Promise<{ participantId: string; token: string }> {
  const now = new Date().toISOString();
  const participantId = randomUUID();
  await putRecord(db, 'participants', { id: participantId, fullName: 'Scale participant', memberCode: 'FJ' }, now);
  const token = `vd_${randomBytes(32).toString('base64url')}`;
  await db
    .insertInto('devices')
    .values({
      id: randomUUID(),
      participant_id: participantId,
      token_hash: sha256Hex(token),
      name: 'scale device',
      last_mid: 0,
      created_at: now,
      last_seen_at: null,
      revoked_at: null,
    })
    .execute();
  return { participantId, token };
}

/** `src/server/main.ts` as a child process on the shared database and bucket, with its JSON log kept. */
export class InstanceProcess {
  private proc: ChildProcess | null = null;
  log = '';

  private constructor(
    readonly port: number,
    private readonly env: Record<string, string>,
    private readonly dir: string,
  ) {}

  static async create(url: string, s3: S3Settings, env: Record<string, string> = {}): Promise<InstanceProcess> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vaka-scale-'));
    return new InstanceProcess(
      await freePort(),
      {
        DATABASE_URL: url,
        S3_BUCKET: s3.bucket,
        S3_ENDPOINT: s3.endpoint ?? '',
        S3_REGION: s3.region,
        STATIC_DIR: path.join(dir, 'no-static'),
        FILES_DIR: path.join(dir, 'files'),
        LOG_LEVEL: 'info',
        ...env,
      },
      dir,
    );
  }

  get running(): boolean {
    return this.proc !== null && this.proc.exitCode === null && this.proc.signalCode === null;
  }

  /** Starts the process and resolves once it answers its health check. */
  async start(): Promise<void> {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, ...this.env, PORT: String(this.port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    proc.stdout?.on('data', (d: Buffer) => (this.log += d.toString()));
    proc.stderr?.on('data', (d: Buffer) => (this.log += d.toString()));
    this.proc = proc;
    const reap = () => proc.kill('SIGKILL');
    process.once('exit', reap);
    proc.once('exit', () => process.off('exit', reap));
    for (let i = 0; i < 1200; i++) {
      if (proc.exitCode !== null) throw new Error(`server exited during start (${proc.exitCode}): ${this.log}`);
      try {
        if ((await fetch(`http://127.0.0.1:${this.port}/api/health`)).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`server did not start: ${this.log}`);
  }

  /** SIGKILL: no shutdown hook runs; PostgreSQL frees the locks of its sessions. */
  async kill(): Promise<void> {
    const proc = this.proc;
    if (!proc || !this.running) return;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGKILL');
    await exited;
  }

  async dispose(): Promise<void> {
    const proc = this.proc;
    if (proc && this.running) {
      const exited = new Promise((resolve) => proc.once('exit', resolve));
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
