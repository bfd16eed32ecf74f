/**
 * The follow-up survey report of a fiscal year (Tables 1–7, grouped
 * examples, Strategic Action Plan indicators), recomputed from the records
 * every time. The report routes and the operator CLI both call it, so
 * `npm run admin -- report --json` prints exactly what
 * `GET /api/v1/reports/follow-up` answers.
 */
import * as z from 'zod';
import { Workshop } from '../../shared/schemas/workshop';
import { Participant } from '../../shared/schemas/participant';
import { Evaluation, SurveyResponse } from '../../shared/schemas/followup';
import { surveyReport, workshopsInFiscalYear, type SurveyReport } from '../../shared/domain/survey-report';
import {
  planIndicators,
  surveyExamples,
  type PlanIndicators,
  type SurveyExamples,
} from '../../shared/domain/survey-examples';
import type { Db } from '../sync/store';
import { live } from '../db/live-records';
import { rosterOf } from '../people/roster';

const FISCAL_YEAR_HINT = 'Give the fiscal year as the year it starts: 2020 for July 2020 to June 2021.';

/** `?fiscalYear=2020` (and the CLI's --fiscal-year 2020): the fiscal year starting in July of that year, as '2020/21'. */
export const FiscalYearStart = z
  .string({ error: FISCAL_YEAR_HINT })
  .regex(/^\d{4}$/, { error: FISCAL_YEAR_HINT })
  .transform((start) => `${start}/${String((Number(start) + 1) % 100).padStart(2, '0')}`);

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
