/**
 * The fiscal years a report can be asked for: those with regional or
 * sub-regional workshops (the ones the follow-up survey covers), newest
 * first, each with how many workshops and counted replies it has, so the
 * coordinator's report opens on the latest year with replies instead of an
 * empty current year.
 */
import { Workshop } from '../../shared/schemas/workshop';
import { SurveyResponse } from '../../shared/schemas/followup';
import { countedResponses, fiscalYearOf } from '../../shared/domain/survey-report';
import type { Db } from '../sync/store';
import { live } from '../db/live-records';

export interface FiscalYearSummary {
  /** '2020/21' */
  fiscalYear: string;
  /** The calendar year it starts in, as `?fiscalYear=` takes it. */
  start: number;
  workshops: number;
  replies: number;
}

export async function fiscalYears(db: Db): Promise<FiscalYearSummary[]> {
  const workshops = (await live(db, 'workshops', Workshop)).filter(
    (w) => w.kind === 'regional' || w.kind === 'sub-regional',
  );
  const yearOf = new Map(workshops.map((w) => [w.id, fiscalYearOf(w.startDate)]));
  const years = new Map<string, FiscalYearSummary>();
  for (const fy of yearOf.values()) {
    const year = years.get(fy) ?? { fiscalYear: fy, start: Number(fy.slice(0, 4)), workshops: 0, replies: 0 };
    year.workshops++;
    years.set(fy, year);
  }
  const responses = await live(db, 'surveyResponses', SurveyResponse, { workshopIds: [...yearOf.keys()] });
  for (const r of countedResponses(responses)) {
    const fy = yearOf.get(r.workshopId);
    if (fy) years.get(fy)!.replies++;
  }
  return [...years.values()].sort((a, b) => b.start - a.start);
}
