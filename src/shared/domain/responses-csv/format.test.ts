/**
 * Writing the responses CSV format and mapping rows to records: every
 * column with yes/no flags, formulas kept from running, and export → import
 * gives back exactly what was exported.
 */
import { describe, expect, it } from 'vitest';
import { SurveyResponse } from '../../schemas/followup';
import { Participant } from '../../schemas/participant';
import { RESPONSES_CSV_COLUMNS } from './columns';
import { formatResponsesCsv } from './format';
import { parseResponsesCsv, type ParsedResponsesCsv } from './parse';
import { participantFromRow, rowFromRecords, surveyResponseFromRow } from './records';
import { ResponsesCsvRow } from './row';

const WORKSHOP = {
  id: '8e8796e4-755c-5361-8792-3a3ea9bd8281',
  title: 'WCO Sub-regional Workshop on PCA (Pacific)',
  startDate: '2020-11-10',
};

function rowsOf(result: ParsedResponsesCsv) {
  if (!result.ok) throw new Error(`expected rows, got ${JSON.stringify(result.errors)}`);
  return result.rows;
}

describe('formatResponsesCsv', () => {
  const participant = Participant.parse({
    id: '6090fff3-6eef-5f87-a034-7384fb5a54af',
    fullName: 'Sample Participant 1 (TO)',
    email: 'sample.participant.1@example.org',
    memberCode: 'TO',
  });
  const response = SurveyResponse.parse({
    id: '3644602b-d0b2-5ce5-adfe-214356f9eb73',
    participantId: participant.id,
    workshopId: WORKSHOP.id,
    revision: 2,
    status: 'submitted',
    actionsTaken: ['operational-manuals', 'share-materials', 'other'],
    otherActions: '=HYPERLINK("http://evil.example")',
    lessonsApplied: {
      operationalImprovement: '- faster release, "green lane"\n- fewer holds',
      strategicEmpowerment: 'Risk-based audit, per ISO 31000; adopted',
    },
    directEffects: { answer: 'not-yet', details: '' },
    workEfficiency: { answer: 'yes', details: '@mention, +10% throughput' },
    newProjects: { answer: 'yes', details: 'Launched the AEO project' },
    submittedAt: '2021-05-15T06:17:00Z',
  });
  const rows = [
    rowFromRecords(WORKSHOP, participant, response),
    rowFromRecords(WORKSHOP, { ...participant, id: '52ea17c7-d623-572e-8881-fde52e493c60', email: null }, null),
  ];

  it('writes every column with a header, yes/no flags and CRLF line ends', () => {
    const text = formatResponsesCsv(rows);
    const [header, first] = text.split('\r\n');
    expect(header).toBe(RESPONSES_CSV_COLUMNS.join(','));
    expect(first).toMatch(/^2020\/21,8e8796e4-755c-5361-8792-3a3ea9bd8281,WCO Sub-regional Workshop on PCA/);
    expect(first).toContain(',submitted,2,2021-05-15T06:17:00Z,yes,no,no,no,yes,yes,');
  });

  it('writes the third answer as `not yet`, the spelling of the report and the docs, and reads the old `not-yet`', () => {
    const text = formatResponsesCsv(rows);
    expect(rows[0]!.direct_effects).toBe('not yet');
    expect(text.split('\r\n')[1]).toMatch(/,not yet,,yes,/);
    expect(text).not.toContain('not-yet');
    const old = rowsOf(parseResponsesCsv(text.replace(',not yet,', ',not-yet,')));
    expect(old[0]!.direct_effects).toBe('not yet');
    expect(
      surveyResponseFromRow(old[0]!, {
        id: rows[0]!.response_id!,
        participantId: rows[0]!.participant_id!,
        workshopId: WORKSHOP.id,
      })?.directEffects.answer,
    ).toBe('not-yet');
  });

  it('keeps formulas from running in a spreadsheet', () => {
    const text = formatResponsesCsv(rows);
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
    expect(text).toContain(`"'@mention, +10% throughput"`);
    expect(text).toContain(`"'- faster release`);
  });

  it('round-trips: export → import gives back the same rows and the same text', () => {
    const text = formatResponsesCsv(rows);
    const parsed = parseResponsesCsv(text);
    expect(rowsOf(parsed)).toEqual(rows);
    expect(formatResponsesCsv(rowsOf(parsed))).toBe(text);
  });

  it('takes typed JSON rows (what GET /reports/responses answers) as well as CSV cells', () => {
    expect(ResponsesCsvRow.parse(JSON.parse(JSON.stringify(rows[0])))).toEqual(rows[0]);
  });

  it('turns a row back into the same participant and response', () => {
    const row = rows[0]!;
    expect(participantFromRow(row, participant.id)).toEqual(participant);
    const back = surveyResponseFromRow(row, {
      id: response.id,
      participantId: participant.id,
      workshopId: WORKSHOP.id,
    });
    // The CSV writes actions in the questionnaire's order.
    expect(back).toEqual({ ...response, actionsTaken: ['share-materials', 'operational-manuals', 'other'] });
    expect(
      surveyResponseFromRow(rows[1]!, { id: response.id, participantId: participant.id, workshopId: WORKSHOP.id }),
    ).toBeNull();
  });
});
