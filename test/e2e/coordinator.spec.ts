/**
 * The coordinator workspace in a real browser against the real server with
 * the demo content: sign in with an account made by the admin CLI, read the
 * FY2020/21 survey report (Table 1 as published: 58 replies of 153, 38%) and
 * export it, publish a workshop with a session and find it in the
 * participant's list, write a tool summary, upload a material and a new
 * version of it, issue an enrolment code with its QR sheet, enrol and revoke
 * a phone, follow replies with reminders, reopen the report offline, and
 * check every screen with axe at 360 px. One page throughout: sign-in is
 * rate limited.
 */
import fs from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { createCoordinatorAccount, signInAsCoordinator, waitForServiceWorker } from './helpers';

test.describe.configure({ mode: 'serial' });

const NEW_WORKSHOP = 'WCO Regional Workshop on Coordinated Border Management (E2E)';

let context: BrowserContext;
let page: Page;
let credentials: { email: string; password: string };
/** The workshop published by the test, reused for the roster. */
let newWorkshopPath = '';

async function expectNoSeriousViolations(screen: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const minor = results.violations.filter((v) => !serious.includes(v));
  if (minor.length > 0) console.log(`${screen}: minor axe findings: ${minor.map((v) => v.id).join(', ')}`);
  const report = serious.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`,
  );
  expect(report, `${screen}: serious or critical axe violations`).toEqual([]);
}

/** No sideways scrolling of the page itself at 360 px: wide tables scroll in their own box. */
async function expectNoPageOverflow(screen: string): Promise<void> {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, `${screen} is wider than the phone`).toBeLessThanOrEqual(360);
}

test.beforeAll(async ({ browser, baseURL }) => {
  credentials = createCoordinatorAccount(baseURL!, `e2e-${Date.now()}@example.org`);
  context = await browser.newContext({ acceptDownloads: true });
  page = await context.newPage();
});

test.afterAll(async () => {
  await context.close();
});

test('signs in with an account made by the operator', async () => {
  await page.goto('/coordinator');
  await expect(page.getByRole('heading', { level: 1, name: 'Coordinator sign-in' })).toBeVisible();
  await expectNoSeriousViolations('coordinator sign-in');

  await page.getByLabel('E-mail').fill(credentials.email);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('The e-mail or password is wrong.');

  await signInAsCoordinator(page, credentials);
  await expect(page.getByRole('heading', { level: 2, name: 'Fiscal year 2020/21' })).toBeVisible();
  await expectNoSeriousViolations('coordinator workshop list');
  await expectNoPageOverflow('workshop list');
});

test('computes the FY2020/21 report as published and exports it as CSV', async () => {
  await page.getByRole('navigation', { name: 'Coordinator' }).getByRole('link', { name: 'Survey report' }).click();
  await page.getByLabel('Fiscal year (July to June)').selectOption('2020/21');
  await expect(page.getByRole('heading', { level: 1, name: 'Follow-up survey report, FY 2020/21' })).toBeVisible();

  const rows = page.locator('#table1-table tbody tr');
  await expect(rows).toHaveCount(9);
  // Columns: No., Workshop (row header), Kind, Participants, Replies, Reply rate.
  await expect(rows.locator('td:nth-child(5)')).toHaveText(['5', '7', '6', '10', '6', '9', '8', '5', '2']);
  const total = page.locator('#table1-table tfoot tr').last();
  await expect(total.locator('th')).toHaveText('Total');
  await expect(total.locator('td:nth-child(4)')).toHaveText('153');
  await expect(total.locator('td:nth-child(5)')).toHaveText('58');
  await expect(total.locator('td:nth-child(6)')).toHaveText('38');
  await expect(page.getByText('9 workshops surveyed: 58 replies from 153 participants (38%).')).toBeVisible();
  await expect(page.locator('#table2-table tfoot tr').first().locator('td:nth-child(4)')).toHaveText('48');

  // Every chart is an image with a name, next to its table.
  await expect(page.getByRole('img', { name: /Reply rate per workshop; 38% overall/ })).toBeVisible();
  await expect(page.getByRole('img', { name: /most common: Shared training materials \(48/ })).toBeVisible();

  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download “Table 1. Number of replies to the survey” as CSV' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('vaka-survey-2020-21-table1.csv');
  const csv = fs.readFileSync((await download.path())!, 'utf8');
  expect(csv.charCodeAt(0)).toBe(0xfeff);
  expect(csv).toContain('No.,Workshop,Kind,Participants,Replies,Reply rate (%)');
  expect(csv).toMatch(/,Total,,153,58,38\r?\n?$/);

  await expectNoSeriousViolations('survey report');
  await expectNoPageOverflow('survey report');
});

test('publishes a workshop with a session that reaches the participant app', async () => {
  await page.goto('/coordinator');
  await page.getByRole('link', { name: 'New workshop' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'New workshop' })).toBeVisible();
  await page.getByRole('textbox', { name: 'Title', exact: true }).fill(NEW_WORKSHOP);
  await page.getByRole('textbox', { name: 'Topic' }).fill('Coordinated border management');
  await page.getByLabel('First day', { exact: true }).fill('2027-05-10');
  await page.getByLabel('Last day', { exact: true }).fill('2027-05-12');
  await page.getByRole('radio', { name: /^Published/ }).check();
  await expectNoSeriousViolations('workshop form');
  await page.getByRole('button', { name: 'Create workshop' }).click();

  await expect(page).toHaveURL(/\/coordinator\/workshops\/[0-9a-f-]{36}\/agenda$/);
  newWorkshopPath = new URL(page.url()).pathname.replace(/\/agenda$/, '');
  await expect(page.getByRole('heading', { level: 1, name: NEW_WORKSHOP })).toBeVisible();
  await page.getByRole('textbox', { name: 'Session title' }).fill('Opening and welcome');
  await page.getByRole('button', { name: 'Save session' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Session “Opening and welcome” saved.' })).toBeVisible();
  await expect(page.getByText('Opening and welcome', { exact: true })).toBeVisible();
  await expectNoSeriousViolations('agenda editor');

  await page.goto('/');
  const link = page.getByRole('link', { name: NEW_WORKSHOP });
  await expect(link).toBeVisible({ timeout: 30_000 });
  await link.click();
  await expect(page.getByRole('heading', { level: 1, name: NEW_WORKSHOP })).toBeVisible();
  // .first(): the session's calendar button repeats its title for screen readers.
  await expect(page.getByText('Opening and welcome').first()).toBeVisible({ timeout: 30_000 });
});

test('writes a tool summary with a safe Markdown preview and publishes it to phones', async () => {
  await page.goto('/coordinator/tools/new');
  await page.getByRole('textbox', { name: 'Title', exact: true }).fill('Time Release Study (E2E)');
  await page
    .getByRole('textbox', { name: 'Text (Markdown)', exact: true })
    .fill('Measures **how long** goods wait at the border.\n\n<img src=x onerror=alert(1)><b>raw</b>');
  const preview = page.getByRole('region', { name: 'Preview' });
  await expect(preview.locator('strong')).toHaveText('how long');
  await expect(preview.locator('img, b')).toHaveCount(0);
  await expect(page.getByRole('textbox', { name: 'Address' })).toHaveAttribute('placeholder', 'time-release-study-e2e');
  await page.getByRole('button', { name: 'Publish tool summary' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'Saved. Phones receive it at their next sync.' }),
  ).toBeVisible();
  await expectNoSeriousViolations('tool summary editor');

  await page.goto('/tools/time-release-study-e2e');
  await expect(page.getByRole('heading', { level: 1, name: 'Time Release Study (E2E)' })).toBeVisible({
    timeout: 30_000,
  });
});

test('uploads a material with progress, then a new version of its file', async () => {
  expect(newWorkshopPath).not.toBe('');
  await page.goto(`${newWorkshopPath}/materials`);
  const file = (text: string) => ({
    name: 'cbm-overview.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from(`%PDF-1.4\n${text.repeat(2000)}\n%%EOF\n`),
  });
  await page.getByLabel('File', { exact: true }).setInputFiles(file('first version '));
  await expect(page.getByRole('textbox', { name: 'Title' })).toHaveValue('cbm overview');
  await page.getByRole('textbox', { name: 'Title' }).fill('Coordinated border management: overview');
  await page.getByRole('button', { name: 'Upload and save' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: '“Coordinated border management: overview” saved.' }),
  ).toBeVisible();
  await expect(page.getByRole('link', { name: 'Coordinated border management: overview' })).toBeVisible();
  await expectNoSeriousViolations('materials');

  await page.getByRole('button', { name: 'Edit or replace “Coordinated border management: overview”' }).click();
  await page.getByLabel('Replace the file (optional)').setInputFiles(file('second version '));
  await page.getByRole('button', { name: 'Upload and save' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'saved as version 2. Phones will show it as updated.' }),
  ).toBeVisible();
  await expect(page.getByText('version 2', { exact: true })).toBeVisible();
});

test('adds a participant, prints the QR sheet of their code, sees the phone enrol and revokes it', async () => {
  expect(newWorkshopPath).not.toBe('');
  await page.goto(`${newWorkshopPath}/roster`);
  await page.getByRole('textbox', { name: 'Full name' }).fill('Ana Soares');
  await page.getByRole('textbox', { name: 'E-mail' }).fill('ana.soares@example.org');
  await page.getByRole('combobox', { name: 'Administration' }).selectOption('TL');
  await page.getByRole('button', { name: 'Add to the roster' }).click();
  await expect(page.getByRole('rowheader', { name: 'Ana Soares' })).toBeVisible();

  await page.getByRole('button', { name: 'Issue a code for Ana Soares' }).click();
  const code = page.locator('code.c-code');
  await expect(code).toHaveText(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  const codeText = (await code.textContent())!;
  await expectNoSeriousViolations('roster');
  await expectNoPageOverflow('roster');

  await page.getByRole('link', { name: 'Printable QR sheet (1 code)' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Enrolment codes: ${NEW_WORKSHOP}` })).toBeVisible();
  const qr = page.getByRole('img', { name: 'QR code to enrol the phone of Ana Soares' });
  await expect(qr).toBeVisible();
  expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
  await expect(page.locator('.c-sheet-code code')).toHaveText(codeText);
  await expectNoSeriousViolations('QR sheet');

  // The participant enrols this browser with the code; the roster then shows the phone, which can be revoked.
  await page.goto('/enrol');
  await page.getByLabel('Enrolment code').fill(codeText);
  await page.getByRole('button', { name: 'Enrol' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Your workshops' })).toBeVisible();
  await page.goto(`${newWorkshopPath}/roster`);
  const phone = page.getByText(/^Enrolled; last sync/);
  await expect(phone).toBeVisible();
  await phone.click();
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: /^Revoke / }).click();
  await expect(page.getByRole('status').filter({ hasText: /revoked\.$/ })).toBeVisible();
});

test("shows who answered a demo workshop's survey, with reminders", async () => {
  await page.goto('/coordinator');
  await page.getByLabel('Find a workshop').fill('PCA (Pacific)');
  await page.getByRole('link', { name: 'WCO Sub-regional Workshop on PCA (Pacific)' }).click();
  await page.getByRole('navigation', { name: 'Parts of this workshop' }).getByRole('link', { name: 'Replies' }).click();
  await expect(page.getByText('5 of 6 (83%)')).toBeVisible();
  await expect(page.getByRole('heading', { level: 3, name: /Answered and received\s*5/ })).toBeVisible();
  await expect(page.getByText('1 participant who has not answered has no e-mail address.')).toBeVisible();
  await expect(page.getByRole('table', { name: 'Reply rate by sub-region' })).toContainText('Pacific Islands');
  await expectNoSeriousViolations('replies');
  await expectNoPageOverflow('replies');

  // The participant added above (enrolled, then revoked) has an address and has not answered: the reminder goes to them, in Bcc.
  await page.goto(`${newWorkshopPath}/replies`);
  await expect(page.getByRole('heading', { level: 3, name: /Not answered\s*1/ })).toBeVisible();
  const list = page.getByRole('textbox', { name: 'Address of the 1 participant who has not answered' });
  await expect(list).toHaveValue('ana.soares@example.org');
  await expect(page.getByRole('link', { name: 'Write the reminder e-mail' })).toHaveAttribute(
    'href',
    /^mailto:\?bcc=ana\.soares%40example\.org&subject=Reminder/,
  );
});

test('reopens the last fetched report with no connection', async () => {
  await page.goto('/coordinator/report?fy=2020/21');
  await expect(page.locator('#table1-table')).toBeVisible();
  await waitForServiceWorker(page);
  await context.setOffline(true);
  try {
    await page.reload();
    await expect(page.getByText(/Could not reach the server: showing the data fetched at/)).toBeVisible();
    await expect(page.locator('#table1-table tfoot tr').last().locator('td:nth-child(5)')).toHaveText('58');
  } finally {
    await context.setOffline(false);
  }
});

test('works right-to-left in Persian', async () => {
  await page.goto('/settings');
  await expect(page.getByRole('link', { name: 'Coordinator workspace (ROCB A/P staff)' })).toBeVisible();
  await page.getByLabel('فارسی').check();
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await page.goto('/coordinator/report?fy=2020/21');
  await expect(page.getByRole('heading', { level: 1, name: 'گزارش نظرسنجی پیگیری، سال مالی 2020/21' })).toBeVisible();
  await expect(page.locator('#table1-table')).toBeVisible();
  await expectNoSeriousViolations('survey report (fa)');
  await expectNoPageOverflow('survey report (fa)');
});
