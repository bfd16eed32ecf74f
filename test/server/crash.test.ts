/**
 * [I1] A mutation's effect and the device's lastMid commit together: the
 * real server process is killed with SIGKILL at random moments while a
 * device pushes batches, then restarted; after every kill the database must
 * hold exactly lastMid records and lastMid stored results, and at the end
 * every mutation is applied exactly once. Seeded; the seed is printed.
 */
import { describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { DB_KINDS } from './harness';
import { openDatabase, type DatabaseTarget } from '../../src/server/db/connection';
import { putRecord } from '../../src/server/sync/publish';
import { sha256Hex } from '../../src/server/auth/tokens';
import { PROTOCOL_VERSION, type Mutation, type SyncResponse } from '../../src/shared/sync/protocol';
import { mulberry32 } from '../support/random';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Waits until the server answers its health check, or fails as soon as the
 * process exits. The ceiling only catches a server that never comes up: a
 * start takes well over 10 s when the machine is busy with other jobs.
 */
async function waitForHealth(port: number, proc: ChildProcess, ceilingMs = 120_000): Promise<void> {
  const deadline = Date.now() + ceilingMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null || proc.signalCode !== null) throw new Error('server exited during start');
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not answer its health check within ${ceilingMs / 1000} s`);
}

describe.each(DB_KINDS)('crash safety on %s', (kind) => {
  // Ten or more restarts, each a slow start on a loaded machine: the ceiling only catches a hang.
  it('[I1] keeps effect and acknowledgement together across SIGKILLs', async () => {
    const seed = Number(process.env.CRASH_SEED ?? Date.now() % 100000);
    console.log(`crash test seed (${kind}): ${seed}  (rerun with CRASH_SEED=${seed})`);
    const rand = mulberry32(seed);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vaka-crash-'));
    let target: DatabaseTarget;
    let env: Record<string, string>;
    let dropPg = async () => {};
    if (kind === 'sqlite') {
      target = { kind: 'sqlite', path: path.join(dir, 'vaka.db') };
      env = { DATABASE_PATH: target.path };
    } else {
      const name = `vaka_crash_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
      const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      const url = new URL(process.env.TEST_DATABASE_URL!);
      url.pathname = `/${name}`;
      target = { kind: 'postgres', url: url.toString() };
      env = { DATABASE_URL: url.toString() };
      dropPg = async () => {
        const c = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      };
    }

    const token = `vd_${randomUUID()}`;
    const deviceId = randomUUID();
    const participantId = randomUUID();
    const workshopId = randomUUID();
    {
      const h = await openDatabase(target);
      const now = new Date().toISOString();
      await putRecord(
        h.db,
        'workshops',
        {
          id: workshopId,
          title: 'Crash workshop',
          kind: 'regional',
          topic: 'Testing',
          startDate: '2022-01-01',
          endDate: '2022-01-02',
          timeZone: 'Asia/Bangkok',
          mode: 'online',
          venue: null,
          organisers: ['ROCB A/P'],
        },
        now,
      );
      await putRecord(h.db, 'participants', { id: participantId, fullName: 'Crash Tester', memberCode: 'FJ' }, now);
      await h.db.insertInto('roster').values({ workshop_id: workshopId, participant_id: participantId }).execute();
      await h.db
        .insertInto('devices')
        .values({
          id: deviceId,
          participant_id: participantId,
          token_hash: sha256Hex(token),
          name: 'crash',
          last_mid: 0,
          created_at: now,
          last_seen_at: null,
          revoked_at: null,
        })
        .execute();
      await h.close();
    }

    const check = async (): Promise<number> => {
      const h = await openDatabase(target);
      const device = await h.db
        .selectFrom('devices')
        .select('last_mid')
        .where('id', '=', deviceId)
        .executeTakeFirstOrThrow();
      const records = await h.db
        .selectFrom('records')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('collection', '=', 'followUpActions')
        .executeTakeFirstOrThrow();
      const results = await h.db
        .selectFrom('mutation_results')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('device_id', '=', deviceId)
        .executeTakeFirstOrThrow();
      await h.close();
      const lastMid = Number(device.last_mid);
      expect(Number(records.n), 'records equal lastMid: never an effect without its acknowledgement').toBe(lastMid);
      expect(Number(results.n)).toBe(lastMid);
      return lastMid;
    };

    const port = await freePort();
    const start = async () => {
      const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
        env: {
          ...process.env,
          ...env,
          PORT: String(port),
          HOST: '127.0.0.1',
          DEMO_CONTENT: '0',
          DEMO_COORDINATOR: '0',
          STATIC_DIR: path.join(dir, 'none'),
          LOG_LEVEL: 'silent',
        },
        stdio: 'ignore',
      });
      await waitForHealth(port, proc);
      return proc;
    };

    const total = 400;
    const mutations: Mutation[] = Array.from({ length: total }, (_, i) => ({
      mid: i + 1,
      op: 'create',
      collection: 'followUpActions',
      recordId: randomUUID(),
      fields: {
        participantId,
        workshopId,
        kind: 'share-materials',
        date: '2022-03-01',
        description: `Action ${i + 1}`,
      },
    }));
    let acked = 0;
    let kills = 0;
    try {
      while (acked < total) {
        const proc = await start();
        const batch = mutations.slice(acked, acked + 40 + Math.floor(rand() * 60));
        const killAfter = rand() < 0.7 ? Math.floor(rand() * 15) : null;
        const request = fetch(`http://127.0.0.1:${port}/api/v1/sync`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ protocol: PROTOCOL_VERSION, epoch: null, cursors: {}, mutations: batch }),
        })
          .then(async (r) => (r.ok ? ((await r.json()) as SyncResponse) : null))
          .catch(() => null);
        if (killAfter !== null) {
          await new Promise((r) => setTimeout(r, killAfter));
          proc.kill('SIGKILL');
          kills++;
        }
        const response = await request;
        if (response) acked = Math.max(acked, response.lastMid);
        if (killAfter === null) proc.kill('SIGKILL');
        await new Promise((resolve) =>
          proc.exitCode !== null || proc.signalCode !== null ? resolve(null) : proc.once('exit', resolve),
        );
        const lastMid = await check();
        // A response lost to the kill leaves the device behind the server; it resends from its own last ack and gets replays.
        expect(lastMid).toBeGreaterThanOrEqual(acked);
      }
      expect(kills).toBeGreaterThan(3);
      expect(await check()).toBe(total);
    } finally {
      await dropPg();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 900_000);
});
