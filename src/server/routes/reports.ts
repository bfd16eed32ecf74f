/**
 * Coordinator views computed live from the records: who replied to a
 * workshop's survey (three states, rates by administration and sub-region)
 * and the follow-up survey report of a fiscal year (Tables 1–7, grouped
 * examples, Strategic Action Plan indicators). Nothing is stored or typed
 * in: every figure is recomputed from the rows it summarises.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as z from 'zod';
import { Id } from '../../shared/schemas/common';
import { Workshop } from '../../shared/schemas/workshop';
import { Participant } from '../../shared/schemas/participant';
import { Evaluation, SurveyResponse } from '../../shared/schemas/followup';
import { replySummary } from '../../shared/domain/replies';
import { surveyReport, workshopsInFiscalYear } from '../../shared/domain/survey-report';
import { planIndicators, surveyExamples } from '../../shared/domain/survey-examples';
import type { Db } from '../sync/store';
import { errorResponses, requireCoordinator, sendError } from './errors';

const FiscalYear = z.string().regex(/^\d{4}\/\d{2}$/, { error: 'Write the fiscal year as 2020/21 (July to June).' });
/** Computed tables travel as plain JSON; their shapes are the TypeScript types in shared/domain. */
const Computed = z.record(z.string(), z.unknown());

async function live<T>(
  db: Db,
  collection: string,
  schema: z.ZodType<T>,
  filter?: { workshopIds?: string[] },
): Promise<T[]> {
  let q = db.selectFrom('records').select('data').where('collection', '=', collection).where('deleted', '=', 0);
  if (filter?.workshopIds) {
    if (filter.workshopIds.length === 0) return [];
    q = q.where('workshop_id', 'in', filter.workshopIds);
  }
  const rows = await q.execute();
  return rows.map((r) => schema.parse(JSON.parse(r.data)));
}

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
    '/reports/survey',
    {
      schema: {
        summary: 'The follow-up survey report of a fiscal year, computed from the records',
        security: [{ bearer: [] }],
        querystring: z.object({ fiscalYear: FiscalYear }),
        response: { 200: Computed, ...errorResponses },
      },
    },
    async (request, reply) => {
      if (!requireCoordinator(reply, request.caller)) return reply;
      const db = app.vaka.db;
      const workshops = workshopsInFiscalYear(await live(db, 'workshops', Workshop), request.query.fiscalYear);
      const ids = workshops.map((w) => w.id);
      const roster = ids.length
        ? await db
            .selectFrom('roster')
            .select(['workshop_id', 'participant_id'])
            .where('workshop_id', 'in', ids)
            .execute()
        : [];
      const participants = await live(db, 'participants', Participant);
      const responses = await live(db, 'surveyResponses', SurveyResponse, { workshopIds: ids });
      const evaluations = await live(db, 'evaluations', Evaluation, { workshopIds: ids });
      const input = {
        workshops,
        roster: roster.map((x) => ({ workshopId: x.workshop_id, participantId: x.participant_id })),
        participants,
        responses,
      };
      return {
        fiscalYear: request.query.fiscalYear,
        workshops: workshops.map((w) => ({
          id: w.id,
          title: w.title,
          kind: w.kind,
          startDate: w.startDate,
          endDate: w.endDate,
        })),
        tables: surveyReport(input),
        examples: surveyExamples(workshops, participants, responses),
        indicators: planIndicators(workshops, participants, responses, evaluations),
      };
    },
  );
};
