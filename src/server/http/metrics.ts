/**
 * Prometheus metrics at GET /api/metrics (prom-client), for operators: the
 * request rate and latency by route, and what the deployment holds, read
 * from the database at each scrape so every instance behind a load balancer
 * reports the same totals (mutations applied, conflicts logged, follow-up
 * messages waiting to go, bytes of uploaded files). The route exists only
 * when METRICS_TOKEN is set and answers only that bearer token: without it
 * the path answers 404 like any unknown one.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import fp from 'fastify-plugin';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import * as z from 'zod';

const digest = (text: string) => createHash('sha256').update(text).digest();

export const metrics = fp(async (app) => {
  const token = app.vaka.config.metricsToken;
  if (!token) return;
  const register = new Registry();
  collectDefaultMetrics({ register, prefix: 'vaka_' });
  const requests = new Histogram({
    name: 'vaka_http_request_duration_seconds',
    help: 'HTTP requests by method, route and status: their count (the rate) and how long they took.',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [register],
  });
  const db = app.vaka.db;
  const fromDatabase = (name: string, help: string, read: () => Promise<number>) =>
    new Gauge({
      name,
      help,
      registers: [register],
      async collect() {
        this.set(await read());
      },
    });
  const count = async (table: 'mutation_results' | 'conflict_log') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  fromDatabase('vaka_mutations_applied', 'Device mutations the server has applied (all instances).', () =>
    count('mutation_results'),
  );
  fromDatabase('vaka_conflicts_logged', 'Field values replaced by a concurrent edit (all instances).', () =>
    count('conflict_log'),
  );
  fromDatabase(
    'vaka_message_jobs_queued',
    'Follow-up messages scheduled or being sent: the job queue depth.',
    async () =>
      Number(
        (
          await db
            .selectFrom('message_jobs')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('state', 'in', ['scheduled', 'sending'])
            .executeTakeFirstOrThrow()
        ).n,
      ),
  );
  fromDatabase('vaka_upload_bytes', 'Bytes of files participants and coordinators have uploaded.', async () =>
    Number(
      (
        await db
          .selectFrom('upload_usage')
          .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('byte_size'), eb.lit(0)).as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    ),
  );

  app.addHook('onResponse', async (request, reply) => {
    // Unmatched paths share one label, so a scan of random URLs cannot grow the series without bound.
    const route = request.routeOptions.url ?? 'unmatched';
    requests.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  const expected = digest(`Bearer ${token}`);
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/metrics',
    {
      schema: {
        summary: 'Prometheus metrics (only with METRICS_TOKEN; bearer that token)',
        tags: ['health'],
        security: [{ bearer: [] }],
        produces: ['text/plain'],
        response: {
          200: z.string().describe('The Prometheus text exposition format.'),
          401: z.string().describe('No token, or not the metrics token.'),
        },
      },
    },
    async (request, reply) => {
      // A text route: the refusal is text as well, for the scraper's log.
      reply.serializer((payload: unknown) => String(payload));
      if (!timingSafeEqual(digest(request.headers.authorization ?? ''), expected))
        return reply.code(401).type('text/plain; charset=utf-8').send('Send the metrics token as a bearer token.\n');
      return reply.type(register.contentType).send(await register.metrics());
    },
  );
});
