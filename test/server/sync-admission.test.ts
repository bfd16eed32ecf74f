/**
 * Admission control: a flood of sync requests beyond the limit is answered
 * 503 + Retry-After at once (not after the admitted ones finish), the
 * device's sync engine reads that answer as transient, and the slots free up
 * again when requests end, answered or abandoned.
 */
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { errorFromResponse, SyncTransientError } from '../../src/device/sync/errors';
import { syncAdmission } from '../../src/server/http/admission';

/** A sync route that holds every request until the test lets it go. */
async function appWithSlowSync(limit: number) {
  const app = Fastify();
  await app.register(syncAdmission, { limit, retryAfterSeconds: 3 });
  const waiting: (() => void)[] = [];
  app.post('/api/v1/sync', async () => {
    await new Promise<void>((resolve) => waiting.push(resolve));
    return { ok: true };
  });
  app.post('/api/v1/other', async () => ({ ok: true }));
  await app.ready();
  const release = () => {
    for (const resolve of waiting.splice(0)) resolve();
  };
  return { app, waiting, release };
}

const flushUntil = async (predicate: () => boolean) => {
  for (let i = 0; i < 100 && !predicate(); i++) await new Promise((r) => setTimeout(r, 5));
};

describe('sync admission control', () => {
  it('answers a flood beyond the limit with quick 503s and Retry-After, which devices treat as transient', async () => {
    const { app, waiting, release } = await appWithSlowSync(2);
    const admitted = [1, 2].map(() => app.inject({ method: 'POST', url: '/api/v1/sync', payload: {} }));
    await flushUntil(() => waiting.length === 2);
    expect(waiting).toHaveLength(2);

    const started = performance.now();
    const flood = await Promise.all(
      Array.from({ length: 20 }, () => app.inject({ method: 'POST', url: '/api/v1/sync', payload: {} })),
    );
    // Answered while the admitted two are still held: nobody queued behind them.
    expect(performance.now() - started).toBeLessThan(1000);
    expect(waiting).toHaveLength(2);
    for (const response of flood) {
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('3');
      const failure = errorFromResponse(
        {
          status: response.statusCode,
          headers: { 'retry-after': String(response.headers['retry-after']) },
          body: response.json(),
        },
        true,
      );
      expect(failure).toBeInstanceOf(SyncTransientError);
      expect((failure as SyncTransientError).retryAfterMs).toBe(3000);
    }

    // Other routes are not limited.
    expect((await app.inject({ method: 'POST', url: '/api/v1/other', payload: {} })).statusCode).toBe(200);

    release();
    expect((await Promise.all(admitted)).map((r) => r.statusCode)).toEqual([200, 200]);
    // The slots are free again.
    const next = app.inject({ method: 'POST', url: '/api/v1/sync', payload: {} });
    await flushUntil(() => waiting.length === 1);
    release();
    expect((await next).statusCode).toBe(200);
    await app.close();
  });
});
