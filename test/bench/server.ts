/**
 * The real Vaka server for the benchmarks: a fresh database (SQLite file or
 * a new PostgreSQL database), the demo content and enrolled devices written
 * straight into it before the server starts (as test/server/crash.test.ts
 * does, so no coordinator login or rate limit is on the measured path), then
 * `src/server/main.ts` as its own process on 127.0.0.1, with its memory
 * sampled from /proc while it runs.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type DatabaseTarget } from '../../src/server/db/connection';
import { loadConfig } from '../../src/server/config';
import { seedDemo } from '../../src/server/content/seed';
import { putRecord } from '../../src/server/sync/publish';
import { sha256Hex } from '../../src/server/auth/tokens';
import { sleep } from './stats';

export const ROOT = path.resolve(import.meta.dirname, '../..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

const tempDirs: string[] = [];
const children = new Set<ChildProcess>();
const exitHooks: (() => void)[] = [];

/**
 * Servers, peers and the PostgreSQL cluster this run started must not
 * outlive it, even when the harness crashes or is interrupted.
 */
export function ownChild(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
}

export function onExit(hook: () => void): void {
  exitHooks.push(hook);
}

process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
  for (const hook of exitHooks.splice(0)) hook();
  removeTempDirs();
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

export function tempDir(label: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `vaka-bench-${label}-`));
  tempDirs.push(dir);
  return dir;
}

/** Removes every temp folder this run made (builds, databases, copies). */
export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

export type DbKind = 'sqlite' | 'postgres';

export interface BenchDatabase {
  kind: DbKind;
  target: DatabaseTarget;
  /** What the server process needs in its environment to open it. */
  env: Record<string, string>;
  drop(): Promise<void>;
}

/** A new empty database: a file under `dir`, or a fresh database in the given PostgreSQL cluster. */
export async function freshDatabase(kind: DbKind, dir: string, pgAdminUrl?: string): Promise<BenchDatabase> {
  if (kind === 'sqlite') {
    const file = path.join(dir, 'vaka.db');
    return { kind, target: { kind: 'sqlite', path: file }, env: { DATABASE_PATH: file }, drop: async () => {} };
  }
  if (!pgAdminUrl) throw new Error('no PostgreSQL cluster');
  const name = `vaka_bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: pgAdminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(pgAdminUrl);
  url.pathname = `/${name}`;
  return {
    kind,
    target: { kind: 'postgres', url: url.toString() },
    env: { DATABASE_URL: url.toString() },
    drop: async () => {
      const c = new pg.Client({ connectionString: pgAdminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export interface PostgresCluster {
  url: string;
  stop(): Promise<void>;
}

/**
 * TEST_DATABASE_URL when set; otherwise a throwaway cluster from
 * test/setup/postgres.sh. Returns a reason instead when PostgreSQL is not
 * installed: the script would install it with apt, which a benchmark must not do.
 */
export function startPostgres(): PostgresCluster | { skip: string } {
  const given = process.env.TEST_DATABASE_URL;
  if (given) return { url: given, stop: async () => {} };
  const bins = fs.existsSync('/usr/lib/postgresql') ? fs.readdirSync('/usr/lib/postgresql') : [];
  if (!bins.some((v) => fs.existsSync(path.join('/usr/lib/postgresql', v, 'bin', 'postgres')))) {
    return { skip: 'PostgreSQL is not installed (apt-get install -y postgresql) and TEST_DATABASE_URL is not set' };
  }
  const started = spawnSync('bash', [path.join(ROOT, 'test/setup/postgres.sh'), 'start'], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (started.status !== 0)
    return { skip: `test/setup/postgres.sh start failed: ${started.stderr.trim().split('\n').pop() ?? ''}` };
  const url = /TEST_DATABASE_URL=(\S+)/.exec(started.stdout)?.[1];
  const data = /VAKA_PGDATA=(\S+)/.exec(started.stdout)?.[1];
  if (!url || !data) return { skip: `unexpected output from postgres.sh: ${started.stdout.trim()}` };
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    spawnSync('bash', [path.join(ROOT, 'test/setup/postgres.sh'), 'stop', data], { timeout: 60_000 });
  };
  onExit(stop);
  return { url, stop: async () => stop() };
}

export interface BenchDevice {
  deviceId: string;
  token: string;
  participantId: string;
  workshopIds: string[];
}

export interface World {
  workshopId: string;
  /** participants[i] has devicesPerParticipant devices. */
  participants: { participantId: string; devices: BenchDevice[] }[];
}

export interface WorldOptions {
  /** The demo content pack (10 workshops, agendas, materials, tools): a realistic catalogue for pulls. */
  demo: boolean;
  participants: number;
  devicesPerParticipant: number;
  filesDir: string;
}

/** Writes content, participants on one workshop's roster and their devices, before the server starts. */
export async function prepareWorld(target: DatabaseTarget, opts: WorldOptions): Promise<World> {
  const handle = await openDatabase(target);
  try {
    const db = handle.db;
    if (opts.demo) {
      const config = { ...loadConfig({ LOG_LEVEL: 'silent' }), filesDir: opts.filesDir };
      await seedDemo(db, config, { demoAccounts: false });
    }
    const now = new Date().toISOString();
    const workshopId = randomUUID();
    await putRecord(
      db,
      'workshops',
      {
        id: workshopId,
        title: 'Benchmark workshop on post-clearance audit',
        kind: 'sub-regional',
        topic: 'PCA',
        startDate: '2022-06-14',
        endDate: '2022-06-16',
        timeZone: 'Pacific/Fiji',
        mode: 'in-person',
        venue: { city: 'Nadi', country: 'Fiji' },
        organisers: ['WCO', 'ROCB A/P'],
      },
      now,
    );
    const participants: World['participants'] = [];
    await db.transaction().execute(async (trx) => {
      for (let p = 0; p < opts.participants; p++) {
        const participantId = randomUUID();
        await putRecord(
          trx,
          'participants',
          { id: participantId, fullName: `Bench Participant ${p + 1}`, memberCode: 'FJ' },
          now,
        );
        await trx.insertInto('roster').values({ workshop_id: workshopId, participant_id: participantId }).execute();
        const devices: BenchDevice[] = [];
        for (let d = 0; d < opts.devicesPerParticipant; d++) {
          const token = `vd_${randomUUID()}${randomUUID()}`.replace(/-/g, '');
          const deviceId = randomUUID();
          await trx
            .insertInto('devices')
            .values({
              id: deviceId,
              participant_id: participantId,
              token_hash: sha256Hex(token),
              name: `bench ${p + 1}.${d + 1}`,
              last_mid: 0,
              created_at: now,
              last_seen_at: null,
              revoked_at: null,
            })
            .execute();
          devices.push({ deviceId, token, participantId, workshopIds: [workshopId] });
        }
        participants.push({ participantId, devices });
      }
    });
    return { workshopId, participants };
  } finally {
    await handle.close();
  }
}

export interface RunningServer {
  port: number;
  pid: number;
  url: string;
  /** Highest VmRSS sampled since the last reset, in KB. */
  peakRssKb(): number;
  resetPeak(): void;
  /** VmHWM: the kernel's own peak resident size of the process, in KB. */
  hwmKb(): number;
  stop(): Promise<void>;
  output(): string;
}

function procStatusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

async function waitForHealth(url: string, proc: ChildProcess, output: () => string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (proc.exitCode !== null) throw new Error(`server exited during start: ${output().slice(-800)}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
  throw new Error(`server did not answer /api/health within 30 s: ${output().slice(-800)}`);
}

/** Starts `src/server/main.ts` in its own Node process (no npx in between, so the pid is the server's). */
export async function startServer(env: Record<string, string>, nodeArgs: string[] = []): Promise<RunningServer> {
  const port = await freePort();
  // BENCH_SERVER_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the server while a section runs.
  const extra = [...nodeArgs, ...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [])];
  const proc = spawn(process.execPath, [...extra, '--import', 'tsx', 'src/server/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DEMO_CONTENT: '0',
      DEMO_COORDINATOR: '0',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  ownChild(proc);
  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString('utf8')).slice(-20_000);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(url, proc, () => log);
  } catch (err) {
    proc.kill('SIGKILL');
    throw err;
  }
  const pid = proc.pid!;
  let peak = procStatusKb(pid, 'VmRSS');
  const sampler = setInterval(() => {
    peak = Math.max(peak, procStatusKb(pid, 'VmRSS'));
  }, 100);
  return {
    port,
    pid,
    url,
    peakRssKb: () => Math.max(peak, procStatusKb(pid, 'VmRSS')),
    resetPeak: () => {
      peak = procStatusKb(pid, 'VmRSS');
    },
    hwmKb: () => procStatusKb(pid, 'VmHWM'),
    output: () => log,
    stop: async () => {
      clearInterval(sampler);
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise((resolve) => proc.once('exit', resolve));
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Counts follow-up action rows and their distinct ids after a run, reading the database directly. */
export async function countActions(
  target: DatabaseTarget,
  participantId?: string,
): Promise<{ rows: number; distinct: number }> {
  const handle = await openDatabase(target);
  try {
    let q = handle.db
      .selectFrom('records')
      .select((eb) => [eb.fn.countAll<number>().as('rows'), eb.fn.count<number>('id').distinct().as('distinct')])
      .where('collection', '=', 'followUpActions');
    if (participantId) q = q.where('owner_participant_id', '=', participantId);
    const r = await q.executeTakeFirstOrThrow();
    return { rows: Number(r.rows), distinct: Number(r.distinct) };
  } finally {
    await handle.close();
  }
}
