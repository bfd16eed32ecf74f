/**
 * What the report routes and the operator CLI both read from the records:
 * the follow-up survey report of a fiscal year and its raw responses as rows
 * of the responses CSV format. Shared so `npm run admin -- report --json`
 * prints exactly what `GET /api/v1/reports/follow-up` answers.
 */
import * as z from 'zod';
import { Workshop, WorkshopKind } from '../../shared/schemas/workshop';
import { Participant } from '../../shared/schemas/participant';
import { Evaluation, SurveyResponse } from '../../shared/schemas/followup';
import {
  countedResponses,
  surveyReport,
  workshopsInFiscalYear,
  type SurveyReport,
} from '../../shared/domain/survey-report';
import {
  planIndicators,
  surveyExamples,
  type PlanIndicators,
  type SurveyExamples,
} from '../../shared/domain/survey-examples';
import { rowFromRecords, type ResponsesCsvRow } from '../../shared/domain/responses-csv';
import type { Db } from '../sync/store';

const FISCAL_YEAR_HINT = 'Give the fiscal year as the year it starts: 2020 for July 2020 to June 2021.';

/** `?fiscalYear=2020` (and the CLI's --fiscal-year 2020): the fiscal year starting in July of that year, as '2020/21'. */
export const FiscalYearStart = z
  .string({ error: FISCAL_YEAR_HINT })
  .regex(/^\d{4}$/, { error: FISCAL_YEAR_HINT })
  .transform((start) => `${start}/${String((Number(start) + 1) % 100).padStart(2, '0')}`);

/** Live (not deleted) records of a collection, read through their schema, optionally only for some workshops. */
export async function live<T>(
  db: Db,
  collection: string,
  schema: z.ZodType<T>,
  filter?: { workshopIds?: readonly string[] },
): Promise<T[]> {
  let q = db.selectFrom('records').select('data').where('collection', '=', collection).where('deleted', '=', 0);
  if (filter?.workshopIds) {
    if (filter.workshopIds.length === 0) return [];
    q = q.where('workshop_id', 'in', filter.workshopIds);
  }
  const rows = await q.execute();
  return rows.map((r) => schema.parse(JSON.parse(r.data)));
}

export async function rosterOf(
  db: Db,
  workshopIds: readonly string[],
): Promise<{ workshopId: string; participantId: string }[]> {
  if (workshopIds.length === 0) return [];
  const rows = await db
    .selectFrom('roster')
    .select(['workshop_id', 'participant_id'])
    .where('workshop_id', 'in', workshopIds)
    .execute();
  return rows.map((x) => ({ workshopId: x.workshop_id, participantId: x.participant_id }));
}

export type FollowUpReport = {
  fiscalYear: string;
  workshops: Pick<Workshop, 'id' | 'title' | 'kind' | 'startDate' | 'endDate'>[];
  tables: SurveyReport;
  examples: SurveyExamples;
  indicators: PlanIndicators;
};

/** The follow-up survey report of a fiscal year written as '2020/21', computed from the records. */
export async function followUpReport(db: Db, fiscalYear: string): Promise<FollowUpReport> {
  const workshops = workshopsInFiscalYear(await live(db, 'workshops', Workshop), fiscalYear);
  const ids = workshops.map((w) => w.id);
  const participants = await live(db, 'participants', Participant);
  const responses = await live(db, 'surveyResponses', SurveyResponse, { workshopIds: ids });
  const evaluations = await live(db, 'evaluations', Evaluation, { workshopIds: ids });
  return {
    fiscalYear,
    workshops: workshops.map((w) => ({
      id: w.id,
      title: w.title,
      kind: w.kind,
      startDate: w.startDate,
      endDate: w.endDate,
    })),
    tables: surveyReport({ workshops, roster: await rosterOf(db, ids), participants, responses }),
    examples: surveyExamples(workshops, participants, responses),
    indicators: planIndicators(workshops, participants, responses, evaluations),
  };
}

/**
 * The raw responses of a fiscal year, one row per participant and workshop
 * (every kind of workshop whose first day falls in the year): the response
 * the report counts (submitted, latest revision) or `not-answered`. Drafts
 * and superseded revisions are left out, so importing the export elsewhere
 * reproduces the same report. Rows follow the report's workshop order, then
 * the participant's name.
 */
export async function responseRows(db: Db, fiscalYear: string): Promise<ResponsesCsvRow[]> {
  const workshops = workshopsInFiscalYear(await live(db, 'workshops', Workshop), fiscalYear, WorkshopKind.options);
  const ids = workshops.map((w) => w.id);
  const participants = new Map((await live(db, 'participants', Participant)).map((p) => [p.id, p]));
  const counted = new Map(
    countedResponses(await live(db, 'surveyResponses', SurveyResponse, { workshopIds: ids })).map((r) => [
      `${r.workshopId}|${r.participantId}`,
      r,
    ]),
  );
  const roster = await rosterOf(db, ids);
  const rows: ResponsesCsvRow[] = [];
  for (const w of workshops) {
    const people = new Set(roster.filter((x) => x.workshopId === w.id).map((x) => x.participantId));
    for (const r of counted.values()) if (r.workshopId === w.id) people.add(r.participantId);
    const ordered = [...people]
      .map((id) => participants.get(id))
      .filter((p): p is Participant => p !== undefined)
      .sort((a, b) => a.fullName.localeCompare(b.fullName) || (a.id < b.id ? -1 : 1));
    for (const p of ordered) rows.push(rowFromRecords(w, p, counted.get(`${w.id}|${p.id}`) ?? null));
  }
  return rows;
}
