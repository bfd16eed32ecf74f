/**
 * The XLSX builders, checked by writing the workbook with the same library
 * the browser uses and reading it back: a sheet per table with names Excel
 * accepts, numbers as numbers, percentages as fractions in a percent
 * format, and the raw responses with their types.
 */
import { describe, expect, it } from 'vitest';
import readXlsxFile from 'read-excel-file/node';
import { unzipSync, strFromU8 } from 'fflate';
import type { Grid } from './report-grids';
import { gridSheet, reportWorkbook, responsesSheet, sheetName, workbookBlob, type WorkbookSheet } from './xlsx';

async function roundTrip(sheets: WorkbookSheet[]) {
  const bytes = new Uint8Array(await (await workbookBlob(sheets)).arrayBuffer());
  return { sheets: await readXlsxFile(Buffer.from(bytes)), files: unzipSync(bytes) };
}

const table1: Grid = {
  head: ['No.', 'Workshop', 'Participants', 'Replies', 'Reply rate (%)'],
  body: [
    [1, 'PCA (Pacific)', 6, 5, 83],
    [2, 'HS 2022', 20, 0, 0],
  ],
  foot: [[null, 'Total', 26, 5, 19]],
  percent: { columns: [4] },
};

describe('sheet names', () => {
  it('drop the characters Excel refuses, stay within 31 characters and never repeat', () => {
    const taken = new Set<string>();
    expect(sheetName('Table 1: replies', taken)).toBe('Table 1 - replies');
    expect(sheetName('Tableau 4 : effets et actions', taken)).toBe('Tableau 4 - effets et actions');
    expect(sheetName('a/b\\c?d*e[f]', taken)).toBe('a - b - c - d - e - f');
    const long = 'Strategic Action Plan 2022–2024 indicators';
    expect(sheetName(long, taken)).toBe(long.slice(0, 31));
    expect(sheetName(long, taken)).toBe(`${long.slice(0, 27)} (2)`);
    expect(sheetName('table 1 - REPLIES', taken)).toBe('table 1 - REPLIES (2)');
    expect(sheetName("''", taken)).toBe('Sheet');
  });
});

describe('report workbook', () => {
  it('writes numbers as numbers and percentages as fractions formatted as percentages', async () => {
    const { sheets, files } = await roundTrip([gridSheet('Table 1: replies', table1, false)]);
    expect(sheets).toHaveLength(1);
    expect(sheets[0]!.sheet).toBe('Table 1 - replies');
    expect(sheets[0]!.data).toEqual([
      ['No.', 'Workshop', 'Participants', 'Replies', 'Reply rate (%)'],
      [1, 'PCA (Pacific)', 6, 5, 0.83],
      [2, 'HS 2022', 20, 0, 0],
      [null, 'Total', 26, 5, 0.19],
    ]);
    expect(strFromU8(files['xl/styles.xml']!)).toContain('formatCode="0%"');
    // The header row stays in view while scrolling.
    expect(strFromU8(files['xl/worksheets/sheet1.xml']!)).toContain('ySplit="1"');
  });

  it('has a sheet per table in order, percentages in the rows the grid names, right to left on request', async () => {
    const shares: Grid = {
      head: ['Answer', 'Yes', 'No'],
      body: [],
      foot: [
        ['Total', 3, 1],
        ['Percentage of replies (%)', 75, 25],
      ],
      percent: { footRows: [1] },
    };
    const { sheets, files } = await roundTrip(
      reportWorkbook(
        [
          { name: 'Table 1: replies', grid: table1 },
          { name: 'Table 3: direct effects', grid: shares },
          { name: 'Table 1: replies', grid: table1 },
        ],
        true,
      ),
    );
    expect(sheets.map((s) => s.sheet)).toEqual([
      'Table 1 - replies',
      'Table 3 - direct effects',
      'Table 1 - replies (2)',
    ]);
    expect(sheets[1]!.data).toEqual([
      ['Answer', 'Yes', 'No'],
      ['Total', 3, 1],
      ['Percentage of replies (%)', 0.75, 0.25],
    ]);
    expect(strFromU8(files['xl/worksheets/sheet1.xml']!)).toContain('rightToLeft="1"');
  });
});

describe('responses sheet', () => {
  it('keeps the column order and writes numbers, flags and empty cells as such', async () => {
    const sheet = responsesSheet(
      'Responses',
      ['workshop', 'member', 'revision', 'late'],
      [
        { workshop: 'PCA (Pacific)', member: 'FJ', revision: 2, late: false },
        { workshop: 'HS 2022', member: null, revision: 1, late: true },
      ],
    );
    const { sheets } = await roundTrip([sheet]);
    expect(sheets[0]!.data).toEqual([
      ['workshop', 'member', 'revision', 'late'],
      ['PCA (Pacific)', 'FJ', 2, 'no'],
      ['HS 2022', null, 1, 'yes'],
    ]);
  });

  it('writes submitted_at as a date cell and every yes/no column as text, as an independent reader sees them', async () => {
    const columns = ['submitted_at', 'action_share_materials', 'direct_effects', 'revision'];
    const { sheets, files } = await roundTrip([
      responsesSheet('Responses', columns, [
        {
          submitted_at: '2021-05-15T06:17:00.000Z',
          action_share_materials: true,
          direct_effects: 'not yet',
          revision: 1,
        },
        { submitted_at: null, action_share_materials: false, direct_effects: 'no', revision: 2 },
      ]),
    ]);
    const [, first, second] = sheets[0]!.data;
    expect(first![0]).toBeInstanceOf(Date);
    // A serial day number is a float: the instant comes back to within a millisecond.
    expect(Math.abs((first![0] as unknown as Date).getTime() - Date.parse('2021-05-15T06:17:00Z'))).toBeLessThan(2);
    expect(first!.slice(1)).toEqual(['yes', 'not yet', 1]);
    expect(second).toEqual([null, 'no', 'no', 2]);
    // The sheet XML itself: the date a number with a date format, the flags shared strings (t="s"), not booleans.
    const sheetXml = strFromU8(files['xl/worksheets/sheet1.xml']!);
    expect(sheetXml).not.toContain('t="b"');
    expect(sheetXml).toMatch(/<c r="A2" s="\d+"><v>44331\.26/);
    expect(strFromU8(files['xl/styles.xml']!)).toContain('formatCode="yyyy-mm-dd hh:mm:ss"');
  });

  it('declares the default Normal style and font that strict readers look for', async () => {
    const { files } = await roundTrip([gridSheet('Table 1', table1, false)]);
    const styles = strFromU8(files['xl/styles.xml']!);
    expect(styles).toContain('<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>');
    expect(styles).toMatch(/<cellStyleXfs count="1"><xf [^>]*\/><\/cellStyleXfs><cellXfs/);
    expect(styles).toMatch(/<font>.*<sz val="11"\/>.*<name val="Calibri"\/>/);
    expect([...styles.matchAll(/<cellXfs[^>]*>(.*?)<\/cellXfs>/g)][0]![1]!.match(/<xf /g)?.length).toBe(
      [...styles.matchAll(/<xf xfId="0"/g)].length,
    );
  });
});
