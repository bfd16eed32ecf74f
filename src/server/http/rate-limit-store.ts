/**
 * A store for @fastify/rate-limit that keeps its counters in the database
 * (the rate_limits table), so any number of server instances on one
 * PostgreSQL count a client's attempts together: with requests alternating
 * between two instances, the first 429 still comes at attempt limit + 1.
 * Each attempt is one atomic upsert that either starts a new window or adds
 * one to the current one. SQLite uses the same table (one instance, but the
 * counts then also survive a restart). Rows of ended windows are swept now
 * and then by whichever instance is counting.
 */
import type { FastifyRateLimitOptions, FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';

/** How often an instance deletes the rows of windows that have ended. */
const SWEEP_EVERY_MS = 60_000;

type Result = { current: number; ttl: number };

export async function countAttempt(
  db: Kysely<Database>,
  key: string,
  timeWindowMs: number,
  nowMs: number = Date.now(),
): Promise<Result> {
  const resetAt = nowMs + timeWindowMs;
  const row = await db
    .insertInto('rate_limits')
    .values({ key, count: 1, reset_at: resetAt })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        count: sql<number>`case when rate_limits.reset_at <= ${nowMs} then 1 else rate_limits.count + 1 end`,
        reset_at: sql<number>`case when rate_limits.reset_at <= ${nowMs} then ${resetAt} else rate_limits.reset_at end`,
      }),
    )
    .returning(['count', 'reset_at'])
    .executeTakeFirstOrThrow();
  return { current: Number(row.count), ttl: Math.max(0, Number(row.reset_at) - nowMs) };
}

/** The store class @fastify/rate-limit instantiates, bound to one database. */
export function databaseRateLimitStore(db: Kysely<Database>): FastifyRateLimitStoreCtor {
  let lastSweep = 0;
  const sweep = (nowMs: number) => {
    if (nowMs - lastSweep < SWEEP_EVERY_MS) return;
    lastSweep = nowMs;
    // Best effort: a missed sweep only leaves rows that the next attempt resets anyway.
    void db
      .deleteFrom('rate_limits')
      .where('reset_at', '<=', nowMs)
      .execute()
      .catch(() => undefined);
  };

  class DatabaseRateLimitStore implements FastifyRateLimitStore {
    constructor(
      _options: FastifyRateLimitOptions,
      private readonly prefix = '',
    ) {}

    incr(key: string, callback: (error: Error | null, result?: Result) => void, timeWindow: number): void {
      const nowMs = Date.now();
      sweep(nowMs);
      countAttempt(db, `${this.prefix}${key}`, timeWindow, nowMs).then(
        (result) => callback(null, result),
        (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
      );
    }

    /** Each rate-limited route counts on its own, as with the plugin's in-memory store. */
    child(routeOptions: Parameters<FastifyRateLimitStore['child']>[0]): FastifyRateLimitStore {
      // The plugin passes the route as `routeInfo` (its typings call the argument the route's options).
      const info = (routeOptions as { routeInfo?: { method?: string | string[]; url?: string } }).routeInfo;
      const { method = '', url = '' } = info ?? {};
      return new DatabaseRateLimitStore({}, `${String(method)} ${url} `);
    }
  }
  return DatabaseRateLimitStore;
}
