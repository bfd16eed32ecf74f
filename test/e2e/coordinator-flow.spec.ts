/**
 * The coordinator's whole loop, in two browsers against the real server:
 * the coordinator publishes a workshop whose survey is already open (it
 * ended last week; the survey opens 0 months after), uploads a material,
 * puts a participant on the roster and issues a code; the participant's
 * phone (a second browser context) enrols, sees the workshop and its
 * material, and answers the survey offline; the replies tab shows the
 * answer only once the phone has synced, and the fiscal year's report
 * counts it. Then the exports download (every table as XLSX and CSV, the
 * raw responses as CSV and XLSX, all read back here) and a CSV of historic
 * responses is refused row by row, then imported. Counts are compared
 * before and after, since other specs may publish into the same year.
 */
import { fiscalYearOf } from '../../src/shared/domain/survey-report';
import fs from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type BrowserContext, type Download, type Page } from '@playwright/test';
import Papa from 'papaparse';
import readXlsxFile from 'read-excel-file/node';
import { RESPONSES_CSV_COLUMNS } from '../../src/shared/domain/responses-csv/columns';
import { createCoordinatorAccount, enrolThroughUi, signInAsCoordinator, waitForServiceWorker } from './helpers';

test.describe.configure({ mode: 'serial' });

const TITLE = 'WCO Regional Workshop on Risk Management (E2E flow)';
const MATERIAL = 'Risk management workbook';
const PARTICIPANT = 'Losana Vuniwaqa';
const EMAIL = 'losana.vuniwaqa@example.org';
// Dates relative to today, so the test never ages: a workshop that ended 3 days ago, with the survey opening
// 0 months after its last day, has its survey open now and due in 18 days (not yet "due soon").
const isoDay = (daysFromToday: number) => new Date(Date.now() + daysFromToday * 86_400_000).toISOString().slice(0, 10);
const FIRST_DAY = isoDay(-7);
const LAST_DAY = isoDay(-3);
const SUBMITTED_AT = isoDay(-1);
const FY = fiscalYearOf(LAST_DAY);

let coordinator: BrowserContext;
let page: Page;
let phoneContext: BrowserContext;
let phone: Page;
let workshopPath = '';
let workshopId = '';
let code = '';

interface Table1Figures {
  participants: number;
  replies: number;
  rate: string;
}

/** The workshop's Table 1 row and the total row, as numbers read off the screen. */
async function table1(): Promise<{ row: Table1Figures; total: Table1Figures }> {
  await page.goto(`/coordinator/report?fy=${FY}`);
  await expect(page.getByRole('heading', { level: 1, name: `Follow-up survey report, FY ${FY}` })).toBeVisible();
  const table = page.locator('#table1-table');
  await expect(table).toBeVisible();
  const read = async (row: ReturnType<Page['locator']>): Promise<Table1Figures> => ({
    participants: Number(await row.locator('td:nth-child(4)').textContent()),
    replies: Number(await row.locator('td:nth-child(5)').textContent()),
    rate: (await row.locator('td:nth-child(6)').textContent()) ?? '',
  });
  const row = table.locator('tbody tr').filter({ has: page.getByRole('rowheader', { name: TITLE, exact: true }) });
  await expect(row).toHaveCount(1);
  return { row: await read(row), total: await read(table.locator('tfoot tr').last()) };
}

async function expectNoSeriousViolations(screen: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = serious.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`,
  );
  expect(report, `${screen}: serious or critical axe violations`).toEqual([]);
}

async function downloadOf(click: () => Promise<void>): Promise<Download> {
  const downloading = page.waitForEvent('download');
  await click();
  return downloading;
}

const fileOf = async (download: Download): Promise<Buffer> => fs.readFileSync((await download.path())!);

/** Parses a downloaded CSV (UTF-8 with a byte-order mark) into rows of cells. */
async function csvOf(download: Download): Promise<string[][]> {
  const text = (await fileOf(download)).toString('utf8');
  expect(text.charCodeAt(0)).toBe(0xfeff);
  return Papa.parse<string[]>(text.slice(1), { skipEmptyLines: true }).data;
}

test.beforeAll(async ({ browser, baseURL }) => {
  const credentials = createCoordinatorAccount(baseURL!, `e2e-flow-${Date.now()}@example.org`);
  coordinator = await browser.newContext({ acceptDownloads: true });
  page = await coordinator.newPage();
  await signInAsCoordinator(page, credentials);
  phoneContext = await browser.newContext();
  phone = await phoneContext.newPage();
});

test.afterAll(async () => {
  await coordinator.close();
  await phoneContext.close();
});

test('the coordinator publishes a workshop with an open survey, a material and a participant with a code', async () => {
  await page.getByRole('link', { name: 'New workshop' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'New workshop' })).toBeVisible();
  await page.getByRole('textbox', { name: 'Title', exact: true }).fill(TITLE);
  await page.getByRole('textbox', { name: 'Topic' }).fill('Risk management');
  await page.getByLabel('First day', { exact: true }).fill(FIRST_DAY);
  await page.getByLabel('Last day', { exact: true }).fill(LAST_DAY);
  await page.getByLabel('Opens this many months after the last day').fill('0');
  await page.getByRole('radio', { name: /^Published/ }).check();
  await page.getByRole('button', { name: 'Create workshop' }).click();
  await expect(page).toHaveURL(/\/coordinator\/workshops\/[0-9a-f-]{36}\/agenda$/);
  workshopPath = new URL(page.url()).pathname.replace(/\/agenda$/, '');
  workshopId = workshopPath.split('/').pop()!;

  await page.goto(`${workshopPath}/materials`);
  await page.getByLabel('File', { exact: true }).setInputFiles({
    name: 'risk-workbook.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from(`%PDF-1.4\n${'risk profiles and selectivity '.repeat(500)}\n%%EOF\n`),
  });
  await page.getByRole('textbox', { name: 'Title' }).fill(MATERIAL);
  await page.getByRole('button', { name: 'Upload and save' }).click();
  await expect(page.getByRole('status').filter({ hasText: `“${MATERIAL}” saved.` })).toBeVisible();

  await page.goto(`${workshopPath}/roster`);
  await page.getByRole('textbox', { name: 'Full name' }).fill(PARTICIPANT);
  await page.getByRole('textbox', { name: 'E-mail' }).fill(EMAIL);
  await page.getByRole('combobox', { name: 'Administration' }).selectOption('FJ');
  await page.getByRole('button', { name: 'Add to the roster' }).click();
  await expect(page.getByRole('rowheader', { name: PARTICIPANT })).toBeVisible();
  await page.getByRole('button', { name: `Issue a code for ${PARTICIPANT}` }).click();
  const shown = page.locator('code.c-code');
  await expect(shown).toHaveText(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  code = (await shown.textContent())!;
});

test("the participant's phone enrols, sees the workshop and its material, and answers the survey offline", async () => {
  expect(code).not.toBe('');
  await phone.goto('/');
  await waitForServiceWorker(phone);
  await enrolThroughUi(phone, code);
  const link = phone.getByRole('link', { name: TITLE });
  await expect(link).toBeVisible({ timeout: 30_000 });
  await link.click();
  await expect(phone.getByRole('heading', { level: 1, name: TITLE })).toBeVisible();
  await expect(
    phone.getByRole('region', { name: 'Materials' }).getByRole('link', { name: MATERIAL, exact: true }),
  ).toBeVisible({ timeout: 30_000 });

  await phone.goto(`/workshops/${workshopId}/survey`);
  await expect(phone.getByText('The survey is open. Please answer by')).toBeVisible({ timeout: 30_000 });
  // Answered with no connection: the answer waits on the phone.
  await phoneContext.setOffline(true);
  await phone.getByRole('checkbox', { name: /Shared training materials/ }).check();
  await phone.getByLabel('(a) Operational improvement').fill('Selectivity now uses the new risk profiles.');
  const effects = phone.getByRole('group', { name: /direct effects/ });
  await effects.getByRole('radio', { name: 'Yes' }).check();
  await effects.getByLabel('Examples of the effects').fill('Fewer physical inspections for compliant traders.');
  await phone
    .getByRole('group', { name: /efficiency and effectiveness/ })
    .getByRole('radio', { name: 'Yes' })
    .check();
  await phone
    .getByRole('group', { name: /new modernization projects/ })
    .getByRole('radio', { name: 'No' })
    .check();
  await phone.getByRole('button', { name: 'Submit' }).click();
  await expect(phone.getByText('Thank you. Your answer is saved on this phone')).toBeVisible();
});

test('the replies tab and the report count the answer once the phone has synced', async () => {
  test.setTimeout(120_000);
  const before = await table1();
  expect(before.row).toEqual({ participants: 1, replies: 0, rate: '0' });

  // The phone synced after the survey opened and has sent nothing since: not answered, as far as the server knows.
  await page.goto(`${workshopPath}/replies`);
  await expect(page.getByRole('heading', { level: 3, name: /Not answered\s*1/ })).toBeVisible();
  await expect(page.getByRole('heading', { level: 3, name: /Answered and received\s*0/ })).toBeVisible();

  await phoneContext.setOffline(false);
  const received = page.locator('.c-bucket').filter({
    has: page.getByRole('heading', { level: 3, name: /Answered and received\s*1/ }),
  });
  await expect(async () => {
    await page.reload();
    await expect(received).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
  await expect(received.getByRole('listitem')).toContainText(PARTICIPANT);
  await expect(received.getByRole('listitem')).toContainText(/submitted/);
  await expect(page.getByText('1 of 1 (100%)')).toBeVisible();

  const after = await table1();
  expect(after.row).toEqual({ participants: 1, replies: 1, rate: '100' });
  expect(after.total.participants).toBe(before.total.participants);
  expect(after.total.replies).toBe(before.total.replies + 1);
  expect(Number(after.total.rate)).toBe(Math.round((100 * after.total.replies) / after.total.participants));
});

test('every table downloads as XLSX and CSV, and the raw responses as CSV and XLSX', async () => {
  await table1();
  const fy = FY.replace('/', '-');

  const workbook = await downloadOf(() => page.getByRole('button', { name: /^Download every table \(XLSX/ }).click());
  expect(workbook.suggestedFilename()).toBe(`vaka-survey-${fy}-all-tables.xlsx`);
  const sheets = await readXlsxFile(await fileOf(workbook));
  expect(sheets.map((s) => s.sheet)).toEqual([
    'Table 1 - replies',
    'Table 2 - actions',
    'Table 3 - direct effects',
    'Table 4 - effects and actions',
    'Table 5 - efficiency',
    'Table 6 - new projects',
    'Table 7 - projects and actions',
    'Examples',
    'Plan indicators',
  ]);
  const replies = sheets[0]!.data;
  expect(replies[0]).toEqual(['No.', 'Workshop', 'Kind', 'Participants', 'Replies', 'Reply rate (%)']);
  // Numbers stay numbers; the reply rate is a fraction shown as a percentage.
  expect(replies.find((r) => r[1] === TITLE)?.slice(2)).toEqual(['Regional', 1, 1, 1]);

  const allCsv = await downloadOf(() => page.getByRole('button', { name: 'Download every table (CSV)' }).click());
  expect(allCsv.suggestedFilename()).toBe(`vaka-survey-${fy}-all-tables.csv`);
  const lines = await csvOf(allCsv);
  expect(lines[0]).toEqual(['Table 1. Number of replies to the survey']);
  expect(lines[1]).toEqual(['No.', 'Workshop', 'Kind', 'Participants', 'Replies', 'Reply rate (%)']);

  const oneTable = await downloadOf(() =>
    page.getByRole('button', { name: 'Download “Table 1. Number of replies to the survey” as XLSX' }).click(),
  );
  expect(oneTable.suggestedFilename()).toBe(`vaka-survey-${fy}-table1.xlsx`);
  expect((await readXlsxFile(await fileOf(oneTable))).map((s) => s.sheet)).toEqual(['Table 1 - replies']);

  const responses = await downloadOf(() => page.getByRole('button', { name: 'Download the responses (CSV)' }).click());
  expect(responses.suggestedFilename()).toBe(`vaka-survey-${fy}-responses.csv`);
  const [header, ...rows] = await csvOf(responses);
  expect(header).toEqual([...RESPONSES_CSV_COLUMNS]);
  const mine = rows.find((r) => r[header!.indexOf('participant_name')] === PARTICIPANT);
  expect(mine?.[header!.indexOf('status')]).toBe('submitted');
  expect(mine?.[header!.indexOf('direct_effects')]).toBe('yes');
  expect(mine?.[header!.indexOf('action_share_materials')]).toBe('yes');
  await expect(page.getByRole('status').filter({ hasText: /rows? downloaded\.$/ })).toBeVisible();

  const responsesXlsx = await downloadOf(() =>
    page.getByRole('button', { name: 'Download the responses (XLSX)' }).click(),
  );
  expect(responsesXlsx.suggestedFilename()).toBe(`vaka-survey-${fy}-responses.xlsx`);
  const [sheet] = await readXlsxFile(await fileOf(responsesXlsx));
  expect(sheet!.data[0]).toEqual([...RESPONSES_CSV_COLUMNS]);
  expect(sheet!.data.some((r) => r.includes(PARTICIPANT))).toBe(true);

  const template = await downloadOf(() =>
    page.getByRole('button', { name: 'Download the template (the header row)' }).click(),
  );
  expect(await csvOf(template)).toEqual([[...RESPONSES_CSV_COLUMNS]]);
});

test('a CSV of historic responses with bad rows is refused whole, row by row; a good one updates the report', async () => {
  const before = await table1();
  const row = (over: Record<string, string>) => {
    const cells: Record<string, string> = {
      fiscal_year: FY,
      workshop_title: TITLE,
      participant_name: 'Sione Tupou',
      administration: 'TO',
      status: 'submitted',
      submitted_at: SUBMITTED_AT,
      action_share_materials: 'no',
      action_submit_report: 'yes',
      action_make_recommendations: 'no',
      action_in_house_workshop: 'no',
      action_operational_manuals: 'no',
      action_other: 'no',
      direct_effects: 'not yet',
      work_efficiency: 'yes',
      new_projects: 'no',
      ...over,
    };
    return RESPONSES_CSV_COLUMNS.map((c) => cells[c] ?? '');
  };
  const csv = (rows: string[][]) => Papa.unparse({ fields: [...RESPONSES_CSV_COLUMNS], data: rows });
  const file = page.getByLabel('CSV file of responses');
  const importButton = page.getByRole('button', { name: 'Check and import' });

  await file.setInputFiles({
    name: 'historic-bad.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(
      csv([
        row({}),
        row({ participant_name: 'Ana Soares', administration: 'XX' }),
        row({ participant_name: 'Mele Taufa', status: 'maybe' }),
      ]),
    ),
  });
  await importButton.click();
  const problems = page.getByRole('heading', { level: 4, name: 'Nothing was imported: 2 rows have problems.' });
  await expect(problems).toBeVisible();
  await expect(problems).toBeFocused();
  const list = page.getByRole('list', { name: 'Nothing was imported: 2 rows have problems.' });
  await expect(list.getByRole('listitem')).toHaveText([/^Row 3: .*administration/, /^Row 4: .*status/]);
  await expectNoSeriousViolations('report with refused import');
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  // Nothing changed.
  expect((await table1()).row).toEqual(before.row);

  await page.getByLabel('CSV file of responses').setInputFiles({
    name: 'historic.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(csv([row({})])),
  });
  await page.getByRole('button', { name: 'Check and import' }).click();
  await expect(page.getByRole('status').filter({ hasText: '1 row imported; the report is updated.' })).toBeVisible();
  const table = page.locator('#table1-table');
  const mine = table.locator('tbody tr').filter({ has: page.getByRole('rowheader', { name: TITLE, exact: true }) });
  // The imported participant joins the roster with their answer: 2 of 2.
  await expect(mine.locator('td:nth-child(5)')).toHaveText('2');
  await expect(mine.locator('td:nth-child(4)')).toHaveText('2');
  await expect(table.locator('tfoot tr').last().locator('td:nth-child(5)')).toHaveText(
    String(before.total.replies + 1),
  );
});
