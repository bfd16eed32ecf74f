/**
 * Admission control for sync: at most `limit` POST /api/v1/sync requests
 * are in the server at once; the next ones are answered 503 with
 * Retry-After at once, before their bodies are read, instead of waiting
 * seconds in a queue behind the database's single writer. A device treats
 * 503 as transient (src/device/sync/errors.ts) and comes back after the
 * pause with nothing lost: its outbox only empties on an acknowledgement.
 * So a flood costs each refused phone one short round trip, and the
 * requests inside keep their latency.
 */
import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';

export interface AdmissionOptions {
  /** Sync requests allowed in the server at once. */
  limit?: number;
  /** What Retry-After says, in seconds. */
  retryAfterSeconds?: number;
}

/** Enough to keep SQLite's writer and PostgreSQL's pool busy; the rest would only wait. */
export const DEFAULT_SYNC_LIMIT = 16;

export const syncAdmission = fp<AdmissionOptions>(async (app, opts) => {
  const limit = opts.limit ?? DEFAULT_SYNC_LIMIT;
  const retryAfter = String(opts.retryAfterSeconds ?? 2);
  let inFlight = 0;
  const isSync = (request: FastifyRequest) => request.method === 'POST' && request.routeOptions.url === '/api/v1/sync';

  app.addHook('onRequest', async (request, reply) => {
    if (!isSync(request)) return;
    if (inFlight >= limit) {
      return reply
        .code(503)
        .header('retry-after', retryAfter)
        .send({ error: 'unavailable', message: 'The server is busy; try again shortly.' });
    }
    inFlight += 1;
    // 'close' fires once whether the answer was sent or the phone went away mid-request.
    reply.raw.once('close', () => {
      inFlight -= 1;
    });
  });
});
