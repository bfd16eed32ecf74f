/**
 * Two server instances on one PostgreSQL with files on radosgw, behind a
 * round-robin proxy (cluster.ts): the sync contract suite passes through
 * them as through one server, and the enrolment rate limit is counted
 * across both. Skipped with a message without PostgreSQL and S3; `npm test`
 * sets REQUIRE_POSTGRES and REQUIRE_S3, which make a missing one fail.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import pg from 'pg';
import { syncContractSuite } from '../contract/sync-contract-suite';
import type { SyncTarget } from '../contract/sync-targets';
import { addParticipant, addWorkshop, coordinatorToken, enrol, issueCode } from '../server/fixtures';
import { freshBucket } from '../s3/support';
import {
  freshBackends,
  freshDatabase,
  missing,
  roundRobinProxy,
  startInstance,
  throughProxy,
  type Instance,
} from './cluster';
import type { S3Settings } from '../../src/server/files/s3-store';

/** A fresh database, two instances on it and on `s3`, and the proxy in front: one SyncTarget. */
async function clusterTarget(s3: S3Settings): Promise<SyncTarget> {
  const { url, drop } = await freshDatabase();
  const clock = { now: new Date('2026-11-27T00:00:00Z') };
  const env = { AUTH_RATE_LIMIT_PER_MINUTE: '1000' };
  const instances = [await startInstance(url, s3, clock, env), await startInstance(url, s3, clock, env)];
  const proxy = await roundRobinProxy(instances.map((i) => i.port));
  const s = throughProxy(proxy.url, instances[0]!);
  let coordinator: string | null = null;
  const asCoordinator = async () => (coordinator ??= await coordinatorToken(s));
  return {
    addWorkshop: (overrides) => addWorkshop(s, overrides),
    addParticipant: async (workshopIds) => addParticipant(s, await asCoordinator(), workshopIds),
    enrol: async (participantId) => enrol(s, await issueCode(s, await asCoordinator(), participantId)),
    async revoke(device) {
      const res = await s.app.inject({
        method: 'POST',
        url: `/api/v1/devices/${device.deviceId}/revoke`,
        headers: { authorization: `Bearer ${await asCoordinator()}` },
      });
      if (res.statusCode !== 204) throw new Error(`revoke failed: ${res.body}`);
    },
    async post(token, payload) {
      const res = await s.app.inject({
        method: 'POST',
        url: '/api/v1/sync',
        headers: token ? { authorization: `Bearer ${token}` } : {},
        payload,
      });
      return { status: res.statusCode, raw: res.body };
    },
    setClock(at) {
      clock.now = at;
    },
    async conflictLog() {
      const rows = await s.database.db.selectFrom('conflict_log').selectAll().orderBy('id').execute();
      return rows.map((r) => ({ field: r.field, replaced: JSON.parse(r.replaced), kept: JSON.parse(r.kept) }));
    },
    async stateCounts() {
      const out: Record<string, number> = {};
      for (const t of ['records', 'mutation_results', 'devices', 'conflict_log'] as const) {
        const r = await sql<{ n: number }>`select count(*) as n from ${sql.table(t)}`.execute(s.database.db);
        out[t] = Number(r.rows[0]!.n);
      }
      // Both instances answered: the proxy really alternated.
      if (proxy.hits.some((n) => n === 0)) throw new Error(`one instance got no request: ${proxy.hits.join('/')}`);
      return out;
    },
    async close() {
      await proxy.close();
      for (const i of instances) await i.close();
      await drop();
    },
  };
}

describe.skipIf(missing)('two instances behind a round-robin proxy, PostgreSQL and radosgw', () => {
  let bucket: { settings: S3Settings; drop: () => Promise<void> };
  beforeAll(async () => {
    bucket = await freshBucket();
  });
  afterAll(async () => {
    await bucket?.drop();
  });

  syncContractSuite('two instances', () => clusterTarget(bucket.settings));

  describe('rate limits', () => {
    let instances: Instance[] = [];
    let close: () => Promise<void> = async () => {};
    afterEach(async () => close());

    it('counts enrolment attempts across both instances: the first 429 comes at attempt limit + 1', async () => {
      const { url, s3, drop } = await freshBackends();
      const clock = { now: new Date() };
      const env = { AUTH_RATE_LIMIT_PER_MINUTE: '5' };
      instances = [await startInstance(url, s3, clock, env), await startInstance(url, s3, clock, env)];
      const proxy = await roundRobinProxy(instances.map((i) => i.port));
      close = async () => {
        await proxy.close();
        for (const i of instances) await i.close();
        await drop();
      };
      const codes: number[] = [];
      for (let i = 0; i < 7; i++) {
        const res = await fetch(`${proxy.url}/api/v1/enroll`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ code: 'ABCD-EFGH-JKMN' }),
        });
        codes.push(res.status);
      }
      expect(proxy.hits).toEqual([4, 3]);
      expect(codes).toEqual([400, 400, 400, 400, 400, 429, 429]);
      // One counter row for the address on this route, shared by both.
      const pool = new pg.Pool({ connectionString: url });
      const rows = await pool.query<{ count: number }>('select count from rate_limits');
      await pool.end();
      expect(rows.rows.map((r) => Number(r.count))).toEqual([7]);
    });
  });
});
