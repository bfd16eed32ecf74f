/**
 * Coordinator reports computed live from the records (services in
 * reports/): who replied to a workshop's survey, the fiscal years with
 * their reply counts, and the follow-up survey report of a fiscal year. The raw responses (export and CSV import) are
 * served by reports-responses.ts.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as z from 'zod';
import { Id } from '../../shared/schemas/common';
import { FiscalYearStart, followUpReport } from '../reports/follow-up';
import { workshopReplies } from '../reports/replies';
import { fiscalYears } from '../reports/fiscal-years';
import { errorResponses, sendError } from './errors';
import { responsesRoutes } from './reports-responses';

const FiscalYear = z.string().regex(/^\d{4}\/\d{2}$/, { error: 'Write the fiscal year as 2020/21 (July to June).' });
/** Computed tables travel as plain JSON; their shapes are the TypeScript types in shared/domain. */
const Computed = z.record(z.string(), z.unknown());

export const reportRoutes: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/workshops/:id/replies',
    {
      schema: {
        summary: 'Survey replies for a workshop: submitted, started on a device, not started',
        security: [{ bearer: [] }],
        params: z.object({ id: Id }),
        response: { 200: Computed, ...errorResponses },
      },
    },
    async (request, reply) => {
      const replies = await workshopReplies(app.vaka.db, request.params.id);
      if (!replies) return sendError(reply, 404, 'not_found', 'No workshop with this id.');
      return replies;
    },
  );

  r.get(
    '/reports/fiscal-years',
    {
      schema: {
        summary: 'The fiscal years with regional or sub-regional workshops, newest first, with their reply counts',
        description:
          'A report opens on the newest year whose `replies` is above 0. `start` is what `/reports/follow-up` ' +
          'takes as `fiscalYear`. Coordinators only.',
        security: [{ bearer: [] }],
        response: {
          200: z.object({
            fiscalYears: z.array(
              z.object({
                fiscalYear: FiscalYear,
                start: z.number().int(),
                workshops: z.number().int(),
                replies: z.number().int(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async () => ({ fiscalYears: await fiscalYears(app.vaka.db) }),
  );

  r.get(
    '/reports/follow-up',
    {
      schema: {
        summary:
          'The follow-up survey report of the fiscal year starting in July of `fiscalYear`, computed from the records',
        description:
          'Tables 1–7, the quoted examples and the Strategic Action Plan indicators of the fiscal year that starts on ' +
          '1 July of `fiscalYear` (2020 means 2020/21). Coordinators only: a participant device gets 403.',
        security: [{ bearer: [] }],
        querystring: z.object({ fiscalYear: FiscalYearStart }),
        response: { 200: Computed, ...errorResponses },
      },
    },
    async (request) => followUpReport(app.vaka.db, request.query.fiscalYear),
  );

  r.get(
    '/reports/survey',
    {
      schema: {
        summary: 'The follow-up survey report of a fiscal year written as 2020/21 (alias of /reports/follow-up)',
        security: [{ bearer: [] }],
        querystring: z.object({ fiscalYear: FiscalYear }),
        response: { 200: Computed, ...errorResponses },
      },
    },
    async (request) => followUpReport(app.vaka.db, request.query.fiscalYear),
  );

  await app.register(responsesRoutes);
};
