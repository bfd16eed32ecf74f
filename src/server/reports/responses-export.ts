/**
 * The raw survey responses of a fiscal year as rows of the responses CSV
 * format, for the export route and `npm run admin -- export-responses`;
 * responses-import.ts reads such rows back.
 */
import { Workshop, WorkshopKind } from '../../shared/schemas/workshop';
import { Participant } from '../../shared/schemas/participant';
import { SurveyResponse } from '../../shared/schemas/followup';
import { countedResponses, workshopsInFiscalYear } from '../../shared/domain/survey-report';
import { rowFromRecords } from '../../shared/domain/responses-csv/records';
import type { ResponsesCsvRow } from '../../shared/domain/responses-csv/row';
import type { Db } from '../sync/store';
import { live } from '../db/live-records';
import { rosterOf } from '../people/roster';

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
