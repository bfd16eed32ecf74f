/**
 * The tus upload lock across server instances (src/server/files/pg-locker.ts)
 * on a real PostgreSQL: two lockers with their own connection pools stand
 * for two instances.
 */
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { ERRORS } from '@tus/server';
import { PgAdvisoryLocker, advisoryKey } from '../../src/server/files/pg-locker';
import { pgUrl } from './support';

if (!pgUrl) console.warn('TEST_DATABASE_URL not set: the PostgreSQL upload lock is not tested.');

const never = new AbortController().signal;

describe.skipIf(!pgUrl)('PostgreSQL advisory locker for tus uploads', () => {
  const opened: { pool: pg.Pool; locker: PgAdvisoryLocker }[] = [];
  const instance = (options = {}) => {
    const pool = new pg.Pool({ connectionString: pgUrl, max: 4 });
    const locker = new PgAdvisoryLocker(pool, { retryMs: 20, ...options });
    opened.push({ pool, locker });
    return locker;
  };
  afterEach(async () => {
    for (const { pool, locker } of opened.splice(0)) {
      await locker.close();
      await pool.end();
    }
  });

  it('makes the second instance wait until the first releases, after asking it to', async () => {
    const a = instance();
    const b = instance();
    const events: string[] = [];
    const lockA = a.newLock('upload-1');
    await lockA.lock(never, async () => {
      events.push('a asked to release');
      await new Promise((r) => setTimeout(r, 100));
      events.push('a unlocks');
      await lockA.unlock();
    });
    const lockB = b.newLock('upload-1');
    await lockB.lock(never, () => undefined);
    events.push('b holds');
    expect(events).toEqual(['a asked to release', 'a unlocks', 'b holds']);
    await lockB.unlock();
  });

  it('does not let the second instance in while the first holds, and times out', async () => {
    const a = instance();
    const b = instance({ acquireLockTimeoutMs: 300 });
    const lockA = a.newLock('upload-2');
    await lockA.lock(never, () => undefined);
    const started = Date.now();
    await expect(b.newLock('upload-2').lock(never, () => undefined)).rejects.toBe(ERRORS.ERR_LOCK_TIMEOUT);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    await lockA.unlock();
    const lockB = b.newLock('upload-2');
    await lockB.lock(never, () => undefined);
    await lockB.unlock();
  });

  it('gives up waiting when the request is aborted', async () => {
    const a = instance();
    const b = instance();
    const lockA = a.newLock('upload-3');
    await lockA.lock(never, () => undefined);
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 100);
    await expect(b.newLock('upload-3').lock(abort.signal, () => undefined)).rejects.toBe(ERRORS.ERR_LOCK_TIMEOUT);
    await lockA.unlock();
  });

  it('frees the lock when the holding connection dies (an instance killed mid-upload)', async () => {
    const a = instance();
    const b = instance({ acquireLockTimeoutMs: 10_000 });
    const lockA = a.newLock('upload-4');
    await lockA.lock(never, () => undefined);
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    const [hi, lo] = (() => {
      const k = BigInt.asUintN(64, BigInt(advisoryKey('upload-4')));
      return [Number(k >> 32n), Number(k & 0xffffffffn)];
    })();
    const { rows } = await admin.query<{ pid: number }>(
      `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid::bigint = $1 AND objid::bigint = $2`,
      [hi, lo],
    );
    expect(rows).toHaveLength(1);
    const lockB = b.newLock('upload-4');
    const waiting = lockB.lock(never, () => undefined);
    await admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
    await admin.end();
    await expect(waiting).resolves.toBeUndefined();
    await lockA.unlock();
    await lockB.unlock();
  });

  it('does not make different uploads wait for each other', async () => {
    const a = instance();
    const b = instance({ acquireLockTimeoutMs: 200 });
    const lockA = a.newLock('upload-5');
    await lockA.lock(never, () => undefined);
    const lockB = b.newLock('upload-6');
    await lockB.lock(never, () => undefined);
    await lockA.unlock();
    await lockB.unlock();
  });
});
