/**
 * A tus Locker that holds across server instances: each upload's lock is a
 * PostgreSQL session-level advisory lock, keyed by a 64-bit hash of the
 * upload id, held on its own pooled connection from lock() to unlock(). A
 * lock whose connection dies (the instance crashed or was killed) is freed
 * by PostgreSQL itself. Like tus's in-memory locker, a request that wants a
 * lock asks the holder to let go: it sends NOTIFY, and the instance holding
 * it calls the holder's release callback (tus then ends that request).
 * On SQLite there is one instance, and tus's MemoryLocker does the job.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { ERRORS, type Lock, type Locker, type RequestRelease } from '@tus/server';

const CHANNEL = 'vaka_tus_lock_release';

export interface PgLockerOptions {
  /** How long lock() waits for the holder before failing the request (tus's own default is 30 s). */
  acquireLockTimeoutMs?: number;
  /** How often a waiting lock() tries again. */
  retryMs?: number;
}

/** A signed 64-bit key, as text for pg's bigint parameters. */
export function advisoryKey(uploadId: string): string {
  return createHash('sha256').update(`tus-upload:${uploadId}`).digest().readBigInt64BE(0).toString();
}

export class PgAdvisoryLocker implements Locker {
  readonly acquireLockTimeoutMs: number;
  readonly retryMs: number;
  /** Release callbacks of the locks this instance holds, by advisory key. */
  readonly held = new Map<string, RequestRelease>();
  private listener: Promise<pg.PoolClient> | null = null;

  constructor(
    readonly pool: pg.Pool,
    options: PgLockerOptions = {},
  ) {
    this.acquireLockTimeoutMs = options.acquireLockTimeoutMs ?? 30_000;
    this.retryMs = options.retryMs ?? 50;
  }

  newLock(id: string): Lock {
    return new PgAdvisoryLock(this, advisoryKey(id));
  }

  /** Listens for other instances' release requests (once, on first use). */
  listen(): Promise<pg.PoolClient> {
    this.listener ??= (async () => {
      const client = await this.pool.connect();
      client.on('error', () => {
        // The listening connection died: listen again on the next lock.
        this.listener = null;
        client.release(true);
      });
      client.on('notification', (msg) => {
        if (msg.channel === CHANNEL && msg.payload) void this.held.get(msg.payload)?.();
      });
      await client.query(`LISTEN ${CHANNEL}`);
      return client;
    })();
    return this.listener;
  }

  async askRelease(key: string, client: pg.PoolClient): Promise<void> {
    await client.query('SELECT pg_notify($1, $2)', [CHANNEL, key]);
  }

  async close(): Promise<void> {
    const listener = await this.listener?.catch(() => null);
    this.listener = null;
    if (listener) {
      await listener.query(`UNLISTEN ${CHANNEL}`).catch(() => undefined);
      listener.release();
    }
  }
}

class PgAdvisoryLock implements Lock {
  private client: pg.PoolClient | null = null;
  private lost = false;

  constructor(
    private readonly locker: PgAdvisoryLocker,
    private readonly key: string,
  ) {}

  async lock(signal: AbortSignal, requestRelease: RequestRelease): Promise<void> {
    await this.locker.listen();
    const client = await this.locker.pool.connect();
    const onError = () => {
      // The session is gone, and PostgreSQL freed its lock with it.
      this.lost = true;
    };
    client.on('error', onError);
    const deadline = Date.now() + this.locker.acquireLockTimeoutMs;
    let asked = false;
    try {
      for (;;) {
        const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS ok', [
          this.key,
        ]);
        if (rows[0]?.ok) {
          this.client = client;
          this.locker.held.set(this.key, requestRelease);
          return;
        }
        if (!asked) {
          await this.locker.askRelease(this.key, client);
          asked = true;
        }
        if (signal.aborted || Date.now() >= deadline) throw ERRORS.ERR_LOCK_TIMEOUT;
        await new Promise((resolve) => setTimeout(resolve, this.locker.retryMs));
      }
    } catch (err) {
      client.off('error', onError);
      client.release(this.lost);
      throw err;
    }
  }

  async unlock(): Promise<void> {
    const client = this.client;
    if (!client) return;
    this.client = null;
    this.locker.held.delete(this.key);
    if (this.lost) {
      client.release(true);
      return;
    }
    try {
      await client.query('SELECT pg_advisory_unlock($1::bigint)', [this.key]);
      client.release();
    } catch {
      // A connection that cannot unlock is dropped, and its session's locks with it.
      client.release(true);
    }
  }
}
