/**
 * The real Vaka server as a child process for the fault harness: a fresh
 * SQLite file or PostgreSQL database, a workshop, participants and enrolled
 * devices written straight into it (as test/server/crash.test.ts does, so no
 * login or rate limit sits on the path), then `src/server/main.ts` on
 * 127.0.0.1, which the harness can SIGKILL and start again on the same port
 * and database.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type DatabaseHandle, type DatabaseTarget } from '../../src/server/db/connection';
import { putRecord } from '../../src/server/sync/publish';
import { sha256Hex } from '../../src/server/auth/tokens';

export type DbKind = 'sqlite' | 'postgres';

export interface SeededDevice {
  deviceId: string;
  token: string;
  participantId: string;
}

export interface World {
  workshopId: string;
  participants: string[];
  devices: SeededDevice[];
}

const ROOT = path.resolve(import.meta.dirname, '../..');

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

export class ServerProcess {
  private proc: ChildProcess | null = null;
  private stderr = '';
  readonly dir: string;
  kills = 0;
  starts = 0;

  private constructor(
    readonly kind: DbKind,
    readonly target: DatabaseTarget,
    private readonly env: Record<string, string>,
    readonly port: number,
    private readonly drop: () => Promise<void>,
    dir: string,
  ) {
    this.dir = dir;
  }

  /** A new empty database of the given kind; PostgreSQL needs an admin URL (TEST_DATABASE_URL). */
  static async create(kind: DbKind, pgAdminUrl = process.env.TEST_DATABASE_URL): Promise<ServerProcess> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vaka-fault-'));
    const port = await freePort();
    if (kind === 'sqlite') {
      const file = path.join(dir, 'vaka.db');
      return new ServerProcess(kind, { kind, path: file }, { DATABASE_PATH: file }, port, async () => {}, dir);
    }
    if (!pgAdminUrl) throw new Error('PostgreSQL run asked for, but no TEST_DATABASE_URL / pgAdminUrl was given');
    const name = `vaka_fault_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    const admin = new pg.Client({ connectionString: pgAdminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(pgAdminUrl);
    url.pathname = `/${name}`;
    const drop = async () => {
      const c = new pg.Client({ connectionString: pgAdminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
    return new ServerProcess(kind, { kind, url: url.toString() }, { DATABASE_URL: url.toString() }, port, drop, dir);
  }

  async open(): Promise<DatabaseHandle> {
    return openDatabase(this.target);
  }

  /** One workshop, and for each entry of `devicesPerParticipant` a participant on its roster with that many devices. */
  async seedWorld(devicesPerParticipant: number[]): Promise<World> {
    const h = await this.open();
    try {
      const now = new Date().toISOString();
      const workshopId = randomUUID();
      await putRecord(
        h.db,
        'workshops',
        {
          id: workshopId,
          title: 'Fault harness workshop',
          kind: 'regional',
          topic: 'Resilience',
          startDate: '2022-01-10',
          endDate: '2022-01-12',
          timeZone: 'Pacific/Fiji',
          mode: 'online',
          venue: null,
          organisers: ['ROCB A/P'],
        },
        now,
      );
      const world: World = { workshopId, participants: [], devices: [] };
      for (const [i, count] of devicesPerParticipant.entries()) {
        const participantId = randomUUID();
        world.participants.push(participantId);
        await putRecord(h.db, 'participants', { id: participantId, fullName: `Fault ${i}`, memberCode: 'FJ' }, now);
        await h.db.insertInto('roster').values({ workshop_id: workshopId, participant_id: participantId }).execute();
        for (let d = 0; d < count; d++) {
          const token = `vd_${randomBytes(32).toString('base64url')}`;
          const deviceId = randomUUID();
          await h.db
            .insertInto('devices')
            .values({
              id: deviceId,
              participant_id: participantId,
              token_hash: sha256Hex(token),
              name: `fault ${i}.${d}`,
              last_mid: 0,
              created_at: now,
              last_seen_at: null,
              revoked_at: null,
            })
            .execute();
          world.devices.push({ deviceId, token, participantId });
        }
      }
      return world;
    } finally {
      await h.close();
    }
  }

  get running(): boolean {
    return this.proc !== null && this.proc.exitCode === null && this.proc.signalCode === null;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.stderr = '';
    const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        ...this.env,
        PORT: String(this.port),
        HOST: '127.0.0.1',
        DEMO_CONTENT: '0',
        DEMO_COORDINATOR: '0',
        STATIC_DIR: path.join(this.dir, 'no-static'),
        FILES_DIR: path.join(this.dir, 'files'),
        LOG_LEVEL: 'silent',
        AUTH_RATE_LIMIT_PER_MINUTE: '100000',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    proc.stderr?.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-4000);
    });
    this.proc = proc;
    this.starts++;
    // A test runner that exits or times out must not leave a server behind on its port.
    const reap = () => proc.kill('SIGKILL');
    process.once('exit', reap);
    proc.once('exit', () => process.off('exit', reap));
    for (let i = 0; i < 400; i++) {
      if (proc.exitCode !== null) throw new Error(`server exited during start (${proc.exitCode}): ${this.stderr}`);
      try {
        const res = await fetch(`http://127.0.0.1:${this.port}/api/health`);
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`server did not start: ${this.stderr}`);
  }

  /** SIGKILL: no shutdown hook runs, whatever was not committed is gone. */
  async kill(): Promise<void> {
    const proc = this.proc;
    if (!proc || !this.running) return;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGKILL');
    this.kills++;
    await exited;
  }

  /** A graceful stop, so the database can be read whole at the end. */
  async stop(): Promise<void> {
    const proc = this.proc;
    if (!proc || !this.running) return;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  async dispose(): Promise<void> {
    await this.stop();
    await this.drop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
