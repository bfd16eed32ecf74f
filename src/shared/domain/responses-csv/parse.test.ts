/**
 * Reading the responses CSV format: a valid file reads into typed rows, and
 * each kind of bad row is named with its spreadsheet row number.
 */
import { describe, expect, it } from 'vitest';
import { MAX_CSV_ROWS } from './columns';
import { parseResponsesCsv, type ParsedResponsesCsv } from './parse';

const WORKSHOP = {
  id: '8e8796e4-755c-5361-8792-3a3ea9bd8281',
  title: 'WCO Sub-regional Workshop on PCA (Pacific)',
  startDate: '2020-11-10',
};

/** A hand-made file: the required columns only, header words as people type them. */
const HAND_MADE_HEADER =
  'Fiscal year,Workshop title,Participant name,Administration,Status,Submitted at,' +
  'Action share materials,Action submit report,Action make recommendations,Action in-house workshop,' +
  'Action operational manuals,Action other,Direct effects,Work efficiency,New projects';

function lines(...rows: string[]): string {
  return [HAND_MADE_HEADER, ...rows].join('\r\n') + '\r\n';
}

const GOOD = `2020/21,${WORKSHOP.title},Mele Tupou,TO,submitted,2021-05-15,yes,no,yes,yes,no,no,yes,yes,no`;
const NOT_ANSWERED = `2020,${WORKSHOP.title},Ana Lopes,TL,not-answered,,,,,,,,,,`;

function errorsOf(result: ParsedResponsesCsv) {
  if (result.ok) throw new Error('expected the file to be refused');
  return result.errors;
}

function rowsOf(result: ParsedResponsesCsv) {
  if (!result.ok) throw new Error(`expected rows, got ${JSON.stringify(result.errors)}`);
  return result.rows;
}

describe('parseResponsesCsv', () => {
  it('reads a hand-made file with only the required columns', () => {
    const result = parseResponsesCsv(lines(GOOD, NOT_ANSWERED));
    const rows = rowsOf(result);
    expect(result.ok && result.rowNumbers).toEqual([2, 3]);
    expect(rows[0]).toMatchObject({
      fiscal_year: '2020/21',
      workshop_id: null,
      workshop_title: WORKSHOP.title,
      participant_id: null,
      participant_name: 'Mele Tupou',
      participant_email: null,
      participant_position: '',
      administration: 'TO',
      response_id: null,
      status: 'submitted',
      revision: null,
      submitted_at: '2021-05-15T00:00:00.000Z',
      action_share_materials: true,
      action_submit_report: false,
      action_in_house_workshop: true,
      action_other: false,
      direct_effects: 'yes',
      work_efficiency: 'yes',
      new_projects: 'no',
      new_projects_details: '',
    });
    expect(rows[1]).toMatchObject({
      fiscal_year: '2020/21',
      status: 'not-answered',
      action_share_materials: null,
      direct_effects: null,
      submitted_at: null,
    });
  });

  it('reads spreadsheet spellings: a BOM, semicolons, TRUE/FALSE, "Not yet", lower-case codes, spaced times', () => {
    const text =
      '\uFEFF' +
      HAND_MADE_HEADER.replace(/,/g, ';') +
      '\n' +
      `2020/21;${WORKSHOP.title};Mele Tupou;to;Submitted;2021-05-15 06:17;TRUE;FALSE;y;n;No;no;Not yet;YES;no\n`;
    const [row] = rowsOf(parseResponsesCsv(text));
    expect(row).toMatchObject({
      administration: 'TO',
      status: 'submitted',
      submitted_at: '2021-05-15T06:17:00.000Z',
      action_share_materials: true,
      action_submit_report: false,
      action_make_recommendations: true,
      action_in_house_workshop: false,
      direct_effects: 'not yet',
      work_efficiency: 'yes',
    });
  });

  it('numbers rows as a spreadsheet does: header 1, blank rows counted, a multi-line cell is one row', () => {
    const header = `${HAND_MADE_HEADER},New projects details`;
    const text = [
      header,
      `${GOOD},`,
      '',
      `2020/21,${WORKSHOP.title},Sione,TO,submitted,2021-05-15,yes,no,no,no,no,no,yes,yes,yes,"Launched
the AEO project"`,
      `2020/21,${WORKSHOP.title},Sione,TO,submitted,2021-05-15,yes,no,no,no,no,no,maybe,yes,no,`,
    ].join('\n');
    expect(errorsOf(parseResponsesCsv(text))).toEqual([
      { row: 5, message: 'direct_effects: Write yes, no or not yet.' },
    ]);
  });

  it('names every bad row with its reason and keeps none of the file', () => {
    const text = lines(
      GOOD,
      GOOD.replace('2020/21', '2020/22'),
      GOOD.replace(',TO,', ',Tonga,'),
      GOOD.replace('2021-05-15', '15/05/2021'),
      GOOD.replace(',yes,no,yes,yes,no,no,', ',yes,no,maybe,yes,no,no,'),
      GOOD.replace(/,yes,yes,no$/, ',,yes,no'),
      GOOD.replace(/,no$/, ',yes'),
      GOOD.replace(/,no,no,yes,yes,no$/, ',no,yes,yes,yes,no'),
      GOOD.replace(',submitted,2021-05-15,', ',submitted,,'),
      NOT_ANSWERED.replace(/,$/, ',no'),
      GOOD.replace(',submitted,', ',draft,'),
      GOOD.replace('Mele Tupou', ''),
      `${GOOD},extra`,
      GOOD,
    );
    expect(errorsOf(parseResponsesCsv(text))).toEqual([
      { row: 3, message: 'fiscal_year: Write the fiscal year as 2020/21 (July 2020 to June 2021).' },
      {
        row: 4,
        message: 'administration: Write the two-letter code of an Asia/Pacific member administration, such as FJ.',
      },
      {
        row: 5,
        message: 'submitted_at: Write the date as YYYY-MM-DD or an ISO 8601 UTC time such as 2021-05-15T06:17:00Z.',
      },
      { row: 6, message: 'action_make_recommendations: Write yes or no.' },
      { row: 7, message: 'direct_effects: A submitted response answers this question.' },
      { row: 8, message: 'new_projects_details: Describe the new project.' },
      { row: 9, message: 'other_actions: Describe the other actions taken.' },
      { row: 10, message: 'submitted_at: A submitted response needs its submission date.' },
      { row: 11, message: 'status: The participant did not answer, so leave new_projects empty.' },
      { row: 12, message: 'status: Write submitted or not-answered (drafts are neither exported nor imported).' },
      { row: 13, message: 'participant_name: This field is required.' },
      { row: 14, message: 'The row has 16 cells; the header has 15 columns.' },
    ]);
  });

  it('checks ids, e-mail addresses and text lengths', () => {
    const header = `${HAND_MADE_HEADER},Workshop id,Participant email,Response id,Revision,Other actions`;
    const good = `${GOOD},${WORKSHOP.id},mele@example.org,3644602b-d0b2-5ce5-adfe-214356f9eb73,1,`;
    const text = [
      header,
      good,
      good.replace(WORKSHOP.id, 'workshop-1'),
      good.replace('mele@example.org', 'mele at example'),
      good.replace(/,1,$/, ',0,'),
      good.replace(/,$/, `,${'x'.repeat(2001)}`),
    ].join('\n');
    expect(errorsOf(parseResponsesCsv(text))).toEqual([
      { row: 3, message: 'workshop_id: Must be a UUID.' },
      { row: 4, message: 'participant_email: Must be an e-mail address.' },
      { row: 5, message: 'revision: Write a whole number, 1 for a first answer.' },
      { row: 6, message: 'other_actions: At most 2000 characters.' },
    ]);
  });

  it('refuses a header that is not the format, naming the columns', () => {
    const [missing] = errorsOf(parseResponsesCsv('fiscal_year,workshop_title,notes\n2020/21,x,y\n'));
    expect(missing!.row).toBe(1);
    expect(missing!.message).toMatch(/unknown column "notes"/);
    expect(missing!.message).toMatch(/missing column participant_name, administration, status/);
    const [twice] = errorsOf(parseResponsesCsv(`${HAND_MADE_HEADER},status\n`));
    expect(twice!.message).toMatch(/column status appears twice/);
    expect(errorsOf(parseResponsesCsv(' \n'))).toEqual([{ row: 1, message: 'The file is empty.' }]);
  });

  it('refuses broken quoting and files over the row limit', () => {
    const broken = errorsOf(parseResponsesCsv(lines(GOOD, `2020/21,"${WORKSHOP.title},Mele`)));
    expect(broken).toEqual([{ row: 3, message: expect.stringMatching(/not valid CSV/) }]);
    const many = lines(...Array.from({ length: MAX_CSV_ROWS + 1 }, () => GOOD));
    expect(errorsOf(parseResponsesCsv(many))).toEqual([
      { row: 1, message: `The file has ${MAX_CSV_ROWS + 1} rows; import at most ${MAX_CSV_ROWS} at a time.` },
    ]);
  });
});
