/**
 * GET /api/health: is the server up, which database and file store does it
 * run on, and can it reach both. A load balancer takes an instance out of
 * rotation on the 503, which names what could not be reached.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import * as z from 'zod';

/** A store that does not answer within this long counts as unreachable. */
const CHECK_TIMEOUT_MS = 5_000;

const Database = z.enum(['sqlite', 'postgres']);
const Files = z.enum(['disk', 's3']);

async function reachable(check: () => Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([check(), timeout]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

export const healthRoutes: FastifyPluginAsync = async (app) => {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/health',
    {
      schema: {
        summary: 'Health check',
        description:
          'Checks the database (`select 1`) and the file store (the disk folder or the S3 bucket) together. ' +
          '503 when either cannot be reached; `failed` names which.',
        response: {
          200: z.object({ status: z.literal('ok'), database: Database, files: Files }),
          503: z.object({
            status: z.literal('unavailable'),
            database: Database,
            files: Files,
            failed: z.array(z.enum(['database', 'files'])).min(1),
          }),
        },
      },
    },
    async (_request, reply) => {
      const [databaseUp, filesUp] = await Promise.all([
        reachable(() => sql`select 1`.execute(app.vaka.db)),
        reachable(() => app.vaka.files.check()),
      ]);
      const answer = { database: app.vaka.dialect, files: app.vaka.files.kind };
      if (databaseUp && filesUp) return { status: 'ok' as const, ...answer };
      const failed = [...(databaseUp ? [] : ['database' as const]), ...(filesUp ? [] : ['files' as const])];
      return reply.code(503).send({ status: 'unavailable' as const, ...answer, failed });
    },
  );
};
