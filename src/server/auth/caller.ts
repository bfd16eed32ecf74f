/**
 * Sets `request.caller` on every API request from its Authorization header
 * (auth/identity.ts), before anything else looks at the request. A busy
 * database answers 503 with Retry-After rather than treating the caller as
 * anonymous.
 */
import fp from 'fastify-plugin';
import { isTransientDbError } from '../db/errors';
import { resolveCaller, type Caller } from './identity';

export const callerIdentity = fp(async (app) => {
  app.decorateRequest<Caller | null>('caller', null);
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/api/')) return;
    try {
      request.caller = await resolveCaller(
        app.vaka.db,
        request.headers.authorization,
        app.vaka.now().toISOString(),
        app.vaka.config.coordinatorIdleMinutes,
      );
    } catch (err) {
      if (isTransientDbError(err)) {
        return reply
          .code(503)
          .header('retry-after', '5')
          .send({ error: 'unavailable', message: 'The server is busy; try again shortly.' });
      }
      throw err;
    }
  });
});
