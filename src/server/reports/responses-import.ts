/**
 * Imports rows of the responses CSV format (historic survey responses) into
 * the record store, all or nothing: every row is resolved and checked
 * against the database first, and only a file without a single bad row is
 * written, in one transaction, through putRecord, so devices and reports
 * see the records like any other.
 *
 * Re-importing never duplicates. A row's participant is the one with its
 * participant_id; without one, the stored participant with the same e-mail
 * (or, without e-mail, the same name and administration), else a new one
 * whose id is derived from those values. A row's response is the one with
 * its response_id; without one, its id is derived from participant,
 * workshop and revision. A response already stored with the same answers is
 * skipped; one stored with different answers refuses the row, because a
 * submitted response is never edited (an amendment is a new revision).
 * Stored participants are reused as they are: an import never edits them.
 */
import { sql, type Kysely } from 'kysely';
import { v5 as uuidv5 } from 'uuid';
import { Workshop } from '../../shared/schemas/workshop';
import { Participant } from '../../shared/schemas/participant';
import { ACTION_KINDS, SurveyResponse } from '../../shared/schemas/followup';
import { fiscalYearOf } from '../../shared/domain/survey-report';
import { participantFromRow, surveyResponseFromRow } from '../../shared/domain/responses-csv/records';
import type { ResponsesCsvRow } from '../../shared/domain/responses-csv/row';
import type { RowError } from '../../shared/domain/responses-csv/parse';
import type { Database } from '../db/schema';
import type { Dialect } from '../db/dialect';
import { putRecord } from '../sync/publish';
import { live } from '../db/live-records';
import { addToRoster, rosterOf } from '../people/roster';
import type { Db } from '../sync/store';

/** Namespace of the ids derived for imported participants and responses (UUID v5). */
const IMPORT_NAMESPACE = '0b6f7e52-5d8e-4c1f-9a57-3f1d2c9e8a41';

export type ImportResult = { ok: true; imported: number; skipped: number } | { ok: false; errors: RowError[] };

/** What one row adds to the database; null where it is there already (a row adding nothing is skipped). */
interface PlannedRow {
  newParticipant: Participant | null;
  rosterEntry: { workshopId: string; participantId: string } | null;
  newResponse: SurveyResponse | null;
}

/** Which CSV columns a SurveyResponse field comes from, to say what differs from a stored response. */
const FIELD_COLUMNS: Record<string, string> = {
  participantId: 'participant',
  workshopId: 'workshop',
  revision: 'revision',
  status: 'status',
  actionsTaken: 'action columns',
  otherActions: 'other_actions',
  lessonsApplied: 'operational_improvement/strategic_empowerment',
  directEffects: 'direct_effects',
  workEfficiency: 'work_efficiency',
  newProjects: 'new_projects',
  submittedAt: 'submitted_at',
};

/** Fields where two responses differ, ignoring the id, the amendment link, action order and timestamp spelling. */
function differences(a: SurveyResponse, b: SurveyResponse): string[] {
  const norm = (r: SurveyResponse): Record<string, unknown> => ({
    ...r,
    actionsTaken: ACTION_KINDS.filter((k) => r.actionsTaken.includes(k)),
    submittedAt: r.submittedAt === null ? null : Date.parse(r.submittedAt),
  });
  const x = norm(a);
  const y = norm(b);
  return Object.keys(FIELD_COLUMNS).filter((k) => JSON.stringify(x[k]) !== JSON.stringify(y[k]));
}

const normalName = (name: string) => name.trim().replace(/\s+/g, ' ').toLowerCase();

/** How a row without participant_id finds its person: by e-mail, else by name and administration. */
function personKey(row: ResponsesCsvRow): string {
  return row.participant_email
    ? `email:${row.participant_email.toLowerCase()}`
    : `name:${row.administration}:${normalName(row.participant_name)}`;
}

function personKeyOf(p: Participant): string {
  return p.email ? `email:${p.email.toLowerCase()}` : `name:${p.memberCode}:${normalName(p.fullName)}`;
}

/** Which of these ids are taken by a record (any collection, deleted or not), and by which collection. */
async function existingIds(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('records')
      .select(['id', 'collection'])
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
    for (const r of rows) out.set(r.id, r.collection);
  }
  return out;
}

/** Resolves every row against the database; returns what to write, or every bad row with its reasons. */
async function plan(
  db: Db,
  rows: readonly ResponsesCsvRow[],
  rowNumbers: readonly number[],
): Promise<{ ok: true; planned: PlannedRow[] } | { ok: false; errors: RowError[] }> {
  const workshops = await live(db, 'workshops', Workshop);
  const workshopById = new Map(workshops.map((w) => [w.id, w]));
  const workshopsByTitle = new Map<string, Workshop[]>();
  for (const w of workshops) {
    const key = `${fiscalYearOf(w.startDate)}|${normalName(w.title)}`;
    workshopsByTitle.set(key, [...(workshopsByTitle.get(key) ?? []), w]);
  }
  const participants = await live(db, 'participants', Participant);
  const participantById = new Map(participants.map((p) => [p.id, p]));
  const participantsByKey = new Map<string, Participant[]>();
  for (const p of participants)
    participantsByKey.set(personKeyOf(p), [...(participantsByKey.get(personKeyOf(p)) ?? []), p]);

  // First pass: the workshop, participant and response id of each row.
  const problems = rows.map((): string[] => []);
  const resolved = rows.map((row, i) => {
    const fail = (message: string) => problems[i]!.push(message);
    let workshop: Workshop | undefined;
    if (row.workshop_id) {
      workshop = workshopById.get(row.workshop_id);
      if (!workshop) fail(`No workshop has workshop_id ${row.workshop_id}.`);
      else if (fiscalYearOf(workshop.startDate) !== row.fiscal_year)
        fail(
          `Workshop "${workshop.title}" is in fiscal year ${fiscalYearOf(workshop.startDate)}, not ${row.fiscal_year}.`,
        );
    } else {
      const found = workshopsByTitle.get(`${row.fiscal_year}|${normalName(row.workshop_title)}`) ?? [];
      if (found.length === 1) workshop = found[0];
      else if (found.length === 0)
        fail(
          `No workshop titled "${row.workshop_title}" starts in fiscal year ${row.fiscal_year}; publish it first or give its workshop_id.`,
        );
      else
        fail(`${found.length} workshops are titled "${row.workshop_title}" in ${row.fiscal_year}; give workshop_id.`);
    }
    const matches = row.participant_id ? [] : (participantsByKey.get(personKey(row)) ?? []);
    if (matches.length > 1)
      fail(
        `${matches.length} participants match ${row.participant_email ?? row.participant_name}; give participant_id.`,
      );
    const participantId =
      row.participant_id ?? matches[0]?.id ?? uuidv5(`participant|${personKey(row)}`, IMPORT_NAMESPACE);
    const responseId =
      row.status === 'submitted' && workshop
        ? (row.response_id ?? uuidv5(`response|${participantId}|${workshop.id}|${row.revision ?? 1}`, IMPORT_NAMESPACE))
        : null;
    return { workshop, participantId, responseId };
  });

  const ids = [
    ...new Set(resolved.flatMap((r) => (r.responseId ? [r.participantId, r.responseId] : [r.participantId]))),
  ];
  const existing = await existingIds(db, ids);
  const workshopIds = [...new Set(resolved.flatMap((r) => (r.workshop ? [r.workshop.id] : [])))];
  const roster = new Set((await rosterOf(db, workshopIds)).map((x) => `${x.workshopId}|${x.participantId}`));
  const storedResponses = await live(db, 'surveyResponses', SurveyResponse, { workshopIds });
  const storedById = new Map(storedResponses.map((r) => [r.id, r]));
  const submittedByKey = new Map(
    storedResponses
      .filter((r) => r.status === 'submitted')
      .map((r) => [`${r.workshopId}|${r.participantId}|${r.revision}`, r]),
  );

  // Second pass: decide each row, and remember what earlier rows of the file already plan.
  const plannedParticipants = new Map<string, { row: number; participant: Participant }>();
  const seenPairs = new Map<string, number>();
  const seenResponses = new Map<string, number>();
  const planned: PlannedRow[] = [];
  rows.forEach((row, i) => {
    const fail = (message: string) => problems[i]!.push(message);
    const rowNumber = rowNumbers[i]!;
    const { workshop, participantId, responseId } = resolved[i]!;

    // A stored participant is reused as it is; otherwise the row creates one.
    let newParticipant: Participant | null = null;
    if (!participantById.has(participantId)) {
      const other = existing.get(participantId);
      const candidate = participantFromRow(row, participantId);
      const earlier = plannedParticipants.get(participantId);
      if (other) {
        fail(
          other === 'participants'
            ? `Participant ${participantId} was deleted; leave participant_id empty to create the person again.`
            : `participant_id ${participantId} names a record that is not a participant.`,
        );
      } else if (earlier && JSON.stringify(earlier.participant) !== JSON.stringify(candidate)) {
        fail(
          `Row ${earlier.row} describes participant ${participantId} differently (name, e-mail, position or administration).`,
        );
      } else if (!earlier) {
        plannedParticipants.set(participantId, { row: rowNumber, participant: candidate });
        newParticipant = candidate;
      }
    }
    if (!workshop) return;

    const pair = `${workshop.id}|${participantId}`;
    const earlierPair = seenPairs.get(pair);
    if (earlierPair !== undefined)
      fail(
        `Row ${earlierPair} is already about this participant and workshop; give one row per participant and workshop.`,
      );
    seenPairs.set(pair, rowNumber);
    const rosterEntry = roster.has(pair) ? null : { workshopId: workshop.id, participantId };
    roster.add(pair);

    let newResponse: SurveyResponse | null = null;
    if (responseId) {
      const candidate = surveyResponseFromRow(row, { id: responseId, participantId, workshopId: workshop.id })!;
      const earlierResponse = seenResponses.get(responseId);
      if (earlierResponse !== undefined) fail(`Row ${earlierResponse} has the same response_id.`);
      seenResponses.set(responseId, rowNumber);
      const stored = storedById.get(responseId);
      const elsewhere = existing.get(responseId);
      const sameSlot = submittedByKey.get(`${workshop.id}|${participantId}|${candidate.revision}`);
      if (stored) {
        const diff = differences(stored, candidate);
        if (diff.length)
          fail(
            `Response ${responseId} is already stored with different ${diff.map((k) => FIELD_COLUMNS[k]).join(', ')}; an import never changes a submitted response.`,
          );
      } else if (elsewhere) {
        fail(
          elsewhere === 'surveyResponses'
            ? `Response ${responseId} was deleted or belongs to another workshop; leave response_id empty or give a new one.`
            : `response_id ${responseId} names a record that is not a survey response.`,
        );
      } else if (sameSlot) {
        const diff = differences(sameSlot, candidate);
        if (diff.length)
          fail(
            `This participant already has a submitted response to this workshop (revision ${candidate.revision}, id ${sameSlot.id}) with different ${diff.map((k) => FIELD_COLUMNS[k]).join(', ')}.`,
          );
      } else {
        newResponse = candidate;
      }
    }
    planned.push({ newParticipant, rosterEntry, newResponse });
  });

  const errors = problems.flatMap((messages, i) =>
    messages.length ? [{ row: rowNumbers[i]!, message: messages.join(' ') }] : [],
  );
  return errors.length ? { ok: false, errors } : { ok: true, planned };
}

/** Any number of PostgreSQL's transaction-scoped advisory locks; this one belongs to response imports. */
const IMPORT_LOCK = 7_302_611;

/** Validates every row against the database and writes all of them in one transaction, or none. */
export async function importResponseRows(
  db: Kysely<Database>,
  dialect: Dialect,
  rows: readonly ResponsesCsvRow[],
  rowNumbers: readonly number[],
  now: string,
): Promise<ImportResult> {
  return db.transaction().execute(async (trx): Promise<ImportResult> => {
    // Imports run one at a time, so a row checked as new is still new when written and two imports
    // of one file cannot both write it. SQLite already runs one transaction at a time.
    if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(${IMPORT_LOCK})`.execute(trx);
    const result = await plan(trx, rows, rowNumbers);
    if (!result.ok) return result;
    let imported = 0;
    for (const p of result.planned) {
      if (p.newParticipant) await putRecord(trx, 'participants', p.newParticipant, now);
      if (p.rosterEntry) await addToRoster(trx, p.rosterEntry);
      if (p.newResponse) await putRecord(trx, 'surveyResponses', p.newResponse, now);
      if (p.newParticipant || p.rosterEntry || p.newResponse) imported += 1;
    }
    return { ok: true, imported, skipped: result.planned.length - imported };
  });
}
