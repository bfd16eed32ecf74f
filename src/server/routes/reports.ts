/**
 * Coordinator views computed live from the records: who replied to a
 * workshop's survey (three states, rates by administration and sub-region)
 * and the follow-up survey report of a fiscal year (Tables 1–7, grouped
 * examples, Strategic Action Plan indicators). Nothing is stored or typed
 * in: every figure is recomputed from the rows it summarises. The raw
 * responses (export and CSV import) live in reports-responses.ts.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as z from 'zod';
import { Id } from '../../shared/schemas/common';
import { Workshop } from '../../shared/schemas/workshop';
import { Participant } from '../../shared/schemas/participant';
import { SurveyResponse } from '../../shared/schemas/followup';
import { replySummary } from '../../shared/domain/replies';
import { errorResponses, requireCoordinator, sendError } from './errors';
import { FiscalYearStart, followUpReport, live } from './reports-data';
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
      if (!requireCoordinator(reply, request.caller)) return reply;
      const db = app.vaka.db;
      const workshopId = request.params.id;
      const workshop = (await live(db, 'workshops', Workshop)).find((w) => w.id === workshopId);
      if (!workshop) return sendError(reply, 404, 'not_found', 'No workshop with this id.');
      const rosterIds = (
        await db.selectFrom('roster').select('participant_id').where('workshop_id', '=', workshopId).execute()
      ).map((x) => x.participant_id);
      const participants = rosterIds.length
        ? (
            await db
              .selectFrom('records')
              .select('data')
              .where('collection', '=', 'participants')
              .where('id', 'in', rosterIds)
              .execute()
          ).map((x) => Participant.parse(JSON.parse(x.data)))
        : [];
      const responses = await live(db, 'surveyResponses', SurveyResponse, { workshopIds: [workshopId] });
      const contacts = rosterIds.length
        ? await db
            .selectFrom('devices')
            .select(['participant_id', (eb) => eb.fn.max('last_seen_at').as('last')])
            .where('participant_id', 'in', rosterIds)
            .groupBy('participant_id')
            .execute()
        : [];
      const lastContact = new Map(contacts.filter((c) => c.last).map((c) => [c.participant_id, String(c.last)]));
      return { workshop, ...replySummary(workshopId, participants, responses, lastContact) };
    },
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
    async (request, reply) => {
      if (!requireCoordinator(reply, request.caller)) return reply;
      return followUpReport(app.vaka.db, request.query.fiscalYear);
    },
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
    async (request, reply) => {
      if (!requireCoordinator(reply, request.caller)) return reply;
      return followUpReport(app.vaka.db, request.query.fiscalYear);
    },
  );

  await app.register(responsesRoutes);
};
