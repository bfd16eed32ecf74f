/**
 * Follow-up in Chromium against the real server: with the network cut, a
 * participant logs actions (one with a photo), fills in and submits the
 * 6-month survey and evaluates the workshop; the browser is closed and
 * reopened, everything is still there, and once the network returns it all
 * reaches the server (the text first, then the photo). Also: a draft typed
 * offline survives a reload and a service-worker update; a merge with
 * another phone's edit is shown with what was replaced; and the follow-up
 * screens pass axe at 360 px, left to right and right to left.
 *
 * Each test publishes its own workshop that ended six months ago (in Fiji
 * time), so the survey window is open by the real clock.
 */
import AxeBuilder from '@axe-core/playwright';
import { chromium, expect, test, type BrowserContext, type Page } from '@playwright/test';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { addDays, addMonths, dateInZone } from '../../src/shared/domain/time-zones';
import {
  coordinatorToken,
  createParticipant,
  enrolmentCode,
  enrolThroughUi,
  publishWorkshop,
  waitForServiceWorker,
} from './helpers';

/** A tiny valid PNG: the "photo of the in-house session". */
const PHOTO = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const PHOTO_SHA256 = createHash('sha256').update(PHOTO).digest('hex');

interface Setup {
  token: string;
  workshopId: string;
  title: string;
  participantId: string;
}

/** A workshop whose survey opened two days ago, and a participant on its roster. */
async function setUp(request: Parameters<typeof coordinatorToken>[0], baseURL: string, label: string): Promise<Setup> {
  const token = await coordinatorToken(request, baseURL);
  const today = dateInZone(new Date(), 'Pacific/Fiji');
  const endDate = addDays(addMonths(today, -6), -2);
  const workshopId = randomUUID();
  const title = `Sub-regional workshop on post-clearance audit (${label})`;
  await publishWorkshop(request, token, { id: workshopId, title, startDate: addDays(endDate, -3), endDate });
  const participantId = await createParticipant(request, token, [workshopId]);
  return { token, workshopId, title, participantId };
}

const userDirs: string[] = [];
test.afterAll(() => {
  for (const dir of userDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * A phone whose storage outlives closing the browser: a persistent Chromium
 * profile, with the same device settings as the other tests.
 */
async function launchPhone(userDataDir: string, offline = false): Promise<{ context: BrowserContext; page: Page }> {
  const use = test.info().project.use;
  const context = await chromium.launchPersistentContext(userDataDir, {
    // Offline from the first instant: otherwise the service worker's Background Sync sends the outbox at start-up.
    offline,
    ...use.launchOptions,
    baseURL: use.baseURL,
    viewport: use.viewport,
    userAgent: use.userAgent,
    deviceScaleFactor: use.deviceScaleFactor,
    isMobile: use.isMobile,
    hasTouch: use.hasTouch,
    locale: use.locale,
    timezoneId: use.timezoneId,
    serviceWorkers: 'allow',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page };
}

async function expectNoSeriousViolations(page: Page, screen: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = serious.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`,
  );
  expect(report, `${screen}: serious or critical axe violations`).toEqual([]);
}

async function expectNoHorizontalScroll(page: Page, screen: string): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${screen} scrolls sideways at 360 px`).toBeLessThanOrEqual(0);
}

async function logSharedMaterials(page: Page, workshopId: string): Promise<void> {
  await page.goto(`/workshops/${workshopId}/follow-up/new`);
  await page.getByRole('radio', { name: 'Shared training materials' }).check();
  await page.getByLabel('Short description').fill('Put the PCA slides and the risk matrix on the intranet');
  await page.getByLabel('With whom (for example: the audit unit)').fill('Audit unit, 12 officers');
  await page.getByLabel('How did you share them?').selectOption('intranet');
  await page.getByLabel('Add photos or documents').setInputFiles({
    name: 'intranet-page.png',
    mimeType: 'image/png',
    buffer: PHOTO,
  });
  await expect(page.getByText('intranet-page.png', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Follow-up log' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Saved on this phone.' })).toBeVisible();
}

async function logInHouseWorkshop(page: Page, workshopId: string): Promise<void> {
  await page.getByRole('link', { name: 'Log an action' }).click();
  await page.getByRole('radio', { name: 'Organised an in-house workshop' }).check();
  await page.getByLabel('Short description').fill('Half-day session on risk-based audit selection');
  await page.getByLabel('Number of attendees').fill('twelve');
  await page.getByRole('button', { name: 'Save' }).click();
  // A translated message at the field, and the summary takes focus.
  await expect(page.getByRole('alert')).toContainText('Enter the number of attendees as a whole number');
  await page.getByLabel('Number of attendees').fill('14');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page).toHaveURL(new RegExp(`/workshops/${workshopId}/follow-up\\?saved=`));
}

async function answerSurvey(page: Page, workshopId: string): Promise<void> {
  await page.goto(`/workshops/${workshopId}/survey`);
  await expect(page.getByRole('heading', { level: 1, name: '6-month follow-up survey' })).toBeVisible();
  await expect(page.getByText('The survey is open. Please answer by')).toBeVisible();
  // Prefilled from the log.
  await expect(page.getByText('Question 1 is filled in from your follow-up log.')).toBeVisible();
  await expect(page.getByRole('checkbox', { name: /Shared training materials/ })).toBeChecked();
  await expect(page.getByRole('checkbox', { name: /Organised an in-house workshop/ })).toBeChecked();
  await expect(page.getByRole('checkbox', { name: /Submitted a report/ })).not.toBeChecked();

  await page.getByLabel('(a) Operational improvement').fill('Audits now start from the risk matrix.');
  await expect(page.getByText('Draft saved on this phone.')).toBeVisible();

  // Submitting with questions unanswered: messages at the fields.
  await page.getByRole('button', { name: 'Submit' }).click();
  const summary = page.getByRole('alert').filter({ hasText: 'Please fix 3 problems' });
  await expect(summary).toBeVisible();
  await expect(summary).toBeFocused();
  await expect(page.locator('#q-effects-error')).toHaveText('Please choose an answer.');

  const effects = page.getByRole('group', { name: /direct effects/ });
  await effects.getByRole('radio', { name: 'Yes' }).check();
  await effects.getByLabel('Examples of the effects').fill('More undervalued shipments found.');
  await page
    .getByRole('group', { name: /efficiency and effectiveness/ })
    .getByRole('radio', { name: 'Yes' })
    .check();
  const projects = page.getByRole('group', { name: /new modernization projects/ });
  await projects.getByRole('radio', { name: 'Yes' }).check();
  await page.getByRole('button', { name: 'Submit' }).click();
  await expect(page.locator('#q-projects-details-error')).toHaveText(
    'You answered yes: please describe the new project.',
  );
  await projects.getByLabel('Describe the project').fill('Automated PCA module');
  await page.getByRole('button', { name: 'Submit' }).click();
  await expect(page.getByText('Thank you. Your answer is saved on this phone')).toBeVisible();
  await expect(page.getByText(/Submitted on .* \(revision 1\)\./)).toBeVisible();
}

async function evaluate(page: Page, workshopId: string): Promise<void> {
  await page.goto(`/workshops/${workshopId}/evaluation`);
  for (const [legend, value] of [
    ['Overall', '5'],
    ['Relevance to your work', '4'],
    ['Training materials', '4'],
    ['Facilitation and speakers', '5'],
  ] as const) {
    await page.getByRole('group', { name: legend }).getByRole('radio', { name: value, exact: true }).check();
  }
  await expect(page.getByText('Your average: 4.5 of 5.')).toBeVisible();
  await page.getByRole('button', { name: 'Send evaluation' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved on this phone.' })).toBeVisible();
}

test('offline: actions, survey and evaluation survive closing the browser, then all reach the server', async ({
  request,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const { token, workshopId, title, participantId } = await setUp(request, baseURL!, 'offline');
  const code = await enrolmentCode(request, token, participantId);
  const dir = mkdtempSync(path.join(tmpdir(), 'vaka-phone-'));
  userDirs.push(dir);

  let { context, page } = await launchPhone(dir);
  await page.goto('/');
  await waitForServiceWorker(page);
  await enrolThroughUi(page, code);
  await page.goto(`/workshops/${workshopId}`);
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('heading', { level: 2, name: 'Your follow-up' })).toBeVisible();

  await context.setOffline(true);
  await logSharedMaterials(page, workshopId);
  const shared = page.getByRole('listitem').filter({ hasText: 'Put the PCA slides' });
  await expect(shared).toContainText('Saved on this phone');
  await expect(shared).toContainText('1 file waiting');
  await logInHouseWorkshop(page, workshopId);
  await expect(page.getByRole('listitem').filter({ hasText: 'Half-day session' })).toContainText('14 attendees');
  await answerSurvey(page, workshopId);
  await evaluate(page, workshopId);
  await context.close();

  // Reopened, offline: everything is on the phone. (Chromium may let the
  // service worker's Background Sync send the text as the browser starts,
  // before the page is offline, so only the file is sure to be waiting.)
  ({ context, page } = await launchPhone(dir, true));
  await page.goto(`/workshops/${workshopId}/follow-up`);
  await expect(page.getByRole('heading', { level: 1, name: 'Follow-up log' })).toBeVisible();
  const sharedAgain = page.getByRole('listitem').filter({ hasText: 'Put the PCA slides' });
  // The unit's name is in Unicode isolates (U+2068 … U+2069) so it reads right inside any sentence.
  await expect(sharedAgain).toContainText('With: \u2068Audit unit, 12 officers\u2069 · By: Intranet');
  await expect(sharedAgain).toContainText('1 file waiting (70 byte)');
  await expect(page.getByRole('listitem').filter({ hasText: 'Half-day session' })).toBeVisible();
  await page.goto(`/workshops/${workshopId}/survey`);
  await expect(page.getByText(/Submitted on .* \(revision 1\)\./)).toBeVisible();
  await expect(page.getByText('Automated PCA module')).toBeVisible();
  await page.goto(`/workshops/${workshopId}/evaluation`);
  await expect(page.getByRole('group', { name: 'Overall' }).getByRole('radio', { name: '5' })).toBeChecked();

  // The network returns: text first, then the photo, then the record names it.
  await context.setOffline(false);
  await page.goto(`/workshops/${workshopId}/follow-up`);
  const synced = page.getByRole('listitem').filter({ hasText: 'Put the PCA slides' });
  await expect(synced).toContainText('Evidence: intranet-page.png', { timeout: 60_000 });
  await expect(synced.locator('.receipt')).toHaveText(/^✓ Sent$/, { timeout: 30_000 });
  await expect(page.getByRole('listitem').filter({ hasText: 'Half-day session' }).locator('.receipt')).toHaveText(
    /^✓ Sent$/,
  );
  await expect(page.getByText('No files are waiting to be sent.')).toBeVisible();

  // The server has the answer and the file.
  const auth = { authorization: `Bearer ${token}` };
  const replies = await request.get(`/api/v1/workshops/${workshopId}/replies`, { headers: auth });
  expect(replies.status()).toBe(200);
  expect(JSON.stringify(await replies.json())).toContain(participantId);
  const file = await request.get(`/api/v1/files/${PHOTO_SHA256}`, { headers: auth });
  expect(file.status()).toBe(200);
  expect(Buffer.from(await file.body()).equals(PHOTO)).toBe(true);
  const report = await request.get('/api/v1/reports/survey?fiscalYear=2025/26', { headers: auth });
  expect(report.status()).toBe(200);
  await context.close();
});

// The browser's update check of the worker script bypasses Playwright's
// routing, so the "deploy" is a changed sw.js in the served build folder.
const swFile = path.resolve(process.env.E2E_DIST ?? 'dist', 'sw.js');

test('a survey draft typed offline survives a reload and a service-worker update', async ({
  page,
  context,
  request,
  baseURL,
}) => {
  const { token, workshopId, participantId } = await setUp(request, baseURL!, 'draft');
  await page.goto('/');
  await waitForServiceWorker(page);
  await enrolThroughUi(page, await enrolmentCode(request, token, participantId));
  await page.goto(`/workshops/${workshopId}/survey`);
  await expect(page.getByText('The survey is open.')).toBeVisible({ timeout: 30_000 });

  await context.setOffline(true);
  const text = 'Faster release of import cargo after the PCA changes.';
  await page.getByLabel('(a) Operational improvement').fill(text);
  await expect(page.getByText('Draft saved on this phone.')).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('(a) Operational improvement')).toHaveValue(text);

  // A new release arrives once the phone is online again; the draft is kept across the update.
  await context.setOffline(false);
  const original = readFileSync(swFile, 'utf8');
  try {
    writeFileSync(swFile, `${original}\n// next release ${randomUUID()}\n`);
    await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      await registration?.update();
    });
    const banner = page.getByRole('status').filter({ hasText: 'A new version is ready.' });
    await expect(banner).toBeVisible({ timeout: 30_000 });
    // Typed after the banner appeared, right before tapping Reload.
    await page.getByLabel('(b) Strategic empowerment').fill('Risk-based audit strategy adopted.');
    await Promise.all([page.waitForEvent('load'), banner.getByRole('button', { name: 'Reload' }).click()]);
  } finally {
    writeFileSync(swFile, original);
  }
  await expect(page.getByLabel('(a) Operational improvement')).toHaveValue(text);
  await expect(page.getByLabel('(b) Strategic empowerment')).toHaveValue('Risk-based audit strategy adopted.');
  await expect(page.getByRole('button', { name: 'Submit' })).toBeVisible();
});

test('an edit merged with another phone’s shows a notice and what was replaced', async ({
  browser,
  request,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const { token, workshopId, participantId } = await setUp(request, baseURL!, 'merge');
  const phoneA = await browser.newContext();
  const phoneB = await browser.newContext();
  const a = await phoneA.newPage();
  const b = await phoneB.newPage();
  await enrolThroughUi(a, await enrolmentCode(request, token, participantId));
  await enrolThroughUi(b, await enrolmentCode(request, token, participantId));

  await a.goto(`/workshops/${workshopId}/follow-up/new`);
  await expect(a.getByRole('radio', { name: 'Submitted a report to management' })).toBeVisible({ timeout: 30_000 });
  await a.getByRole('radio', { name: 'Submitted a report to management' }).check();
  await a.getByLabel('Short description').fill('Mission report to the Commissioner');
  await a.getByRole('button', { name: 'Save' }).click();
  const cardA = a.getByRole('listitem').filter({ hasText: 'Submitted a report to management' });
  await expect(cardA.locator('.receipt')).toHaveText(/Sent/, { timeout: 30_000 });

  // Phone B gets it, phone A edits offline, phone B edits online; A's edit arrives last.
  await b.goto(`/workshops/${workshopId}/follow-up`);
  const cardB = b.getByRole('listitem').filter({ hasText: 'Mission report to the Commissioner' });
  await expect(cardB).toBeVisible({ timeout: 30_000 });
  await phoneA.setOffline(true);
  await cardA.getByRole('link', { name: /Edit/ }).click();
  await a.getByLabel('Short description').fill('Mission report with a gap analysis, sent to the Commissioner');
  await a.getByRole('button', { name: 'Save' }).click();
  await cardB.getByRole('link', { name: /Edit/ }).click();
  await b.getByLabel('Short description').fill('Mission report and three recommendations');
  await b.getByRole('button', { name: 'Save' }).click();
  await expect(b.getByRole('listitem').filter({ hasText: 'three recommendations' }).locator('.receipt')).toHaveText(
    /Sent/,
    { timeout: 30_000 },
  );
  await phoneA.setOffline(false);

  const merged = a.getByRole('listitem').filter({ hasText: 'gap analysis' });
  await expect(merged).toContainText('This record was also changed on another phone', { timeout: 30_000 });
  await merged.getByRole('link', { name: 'See what was replaced' }).click();
  await expect(a.getByRole('heading', { level: 1, name: 'Changes to your records' })).toBeVisible();
  await expect(a.getByText('Kept: Mission report with a gap analysis, sent to the Commissioner')).toBeVisible();
  await expect(a.getByText('Replaced: Mission report and three recommendations')).toBeVisible();
  await expectNoSeriousViolations(a, 'changes');
  await expectNoHorizontalScroll(a, 'changes');
  // Seen: the notice is gone from the record.
  await a.goto(`/workshops/${workshopId}/follow-up`);
  await expect(a.getByRole('listitem').filter({ hasText: 'gap analysis' })).not.toContainText(
    'also changed on another phone',
  );
  await phoneA.close();
  await phoneB.close();
});

test('follow-up screens pass axe and fit 360 px, in English and in Persian', async ({ page, request, baseURL }) => {
  test.setTimeout(120_000);
  const { token, workshopId, participantId } = await setUp(request, baseURL!, 'a11y');
  await enrolThroughUi(page, await enrolmentCode(request, token, participantId));
  await page.goto(`/workshops/${workshopId}`);
  await expect(page.getByRole('heading', { level: 2, name: 'Your follow-up' })).toBeVisible({ timeout: 30_000 });
  // The reminder: the survey opened two days ago.
  await expect(page.getByText(/Your 6-month survey for .* is open/)).toBeVisible();
  await expectNoSeriousViolations(page, 'workshop with follow-up panel and reminder');

  await page.goto(`/workshops/${workshopId}/follow-up/new`);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await expectNoSeriousViolations(page, 'action form with errors');
  await expectNoHorizontalScroll(page, 'action form');
  await page.getByRole('radio', { name: 'Other action' }).check();
  await page.getByLabel('Short description').fill('Outreach session with customs brokers');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Follow-up log' })).toBeVisible();
  await expectNoSeriousViolations(page, 'follow-up log');
  await expectNoHorizontalScroll(page, 'follow-up log');

  await page.goto(`/workshops/${workshopId}/survey`);
  await page.getByRole('button', { name: 'Submit' }).click();
  await expect(page.getByRole('alert').first()).toBeVisible();
  await expectNoSeriousViolations(page, 'survey with errors');
  await expectNoHorizontalScroll(page, 'survey');

  await page.goto(`/workshops/${workshopId}/evaluation`);
  await expectNoSeriousViolations(page, 'evaluation');
  await expectNoHorizontalScroll(page, 'evaluation');
  await page.goto('/follow-up');
  await expectNoSeriousViolations(page, 'my follow-up');
  await expectNoHorizontalScroll(page, 'my follow-up');

  await page.goto('/settings');
  await page.getByLabel('فارسی').check();
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await page.goto(`/workshops/${workshopId}/survey`);
  await expect(page.getByRole('heading', { level: 1, name: 'پرسشنامهٔ پیگیری شش‌ماهه' })).toBeVisible();
  await page.getByRole('button', { name: 'ارسال' }).click();
  await expect(page.locator('#q-effects-error')).toHaveText('لطفاً یک پاسخ را برگزینید.');
  await expectNoSeriousViolations(page, 'survey (fa)');
  await expectNoHorizontalScroll(page, 'survey (fa)');
  await page.goto(`/workshops/${workshopId}/follow-up`);
  await expectNoSeriousViolations(page, 'follow-up log (fa)');
  await expectNoHorizontalScroll(page, 'follow-up log (fa)');
});

test('sharing a material offers to log it, prefilled', async ({ page, request, baseURL }) => {
  const { token, workshopId, participantId } = await setUp(request, baseURL!, 'share');
  // Publish a material on the workshop, reusing a file the demo pack put on the server.
  const demo = JSON.parse(readFileSync('src/server/content/demo/workshops-2021-22.json', 'utf8')) as {
    materials: { sha256: string; mediaType: string }[];
  };
  const materialId = randomUUID();
  const put = await request.put(`/api/v1/materials/${materialId}`, {
    headers: { authorization: `Bearer ${token}` },
    data: {
      id: materialId,
      workshopId,
      title: 'Risk matrix template',
      language: 'en',
      mediaType: demo.materials[0]!.mediaType,
      sha256: demo.materials[0]!.sha256,
      audience: 'public',
    },
  });
  expect(put.status(), await put.text()).toBe(200);
  // A share sheet that accepts whatever is shared (desktop Chromium on Linux has none).
  await page.addInitScript(() => {
    Object.defineProperty(navigator, 'share', { value: async () => undefined, configurable: true });
  });
  await enrolThroughUi(page, await enrolmentCode(request, token, participantId));
  await page.goto(`/workshops/${workshopId}/follow-up`);
  const item = page.getByRole('listitem').filter({ hasText: 'Risk matrix template' });
  await expect(item).toBeVisible({ timeout: 30_000 });
  await item.getByRole('button', { name: /Share/ }).click();
  await expect(page.getByText('Log this as “Shared training materials”?')).toBeVisible();
  await page.getByRole('link', { name: 'Log it' }).click();
  await expect(page.getByRole('radio', { name: 'Shared training materials' })).toBeChecked();
  await expect(page.getByLabel('Short description')).toHaveValue('Shared “Risk matrix template” with colleagues.');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('listitem').filter({ hasText: 'Shared “Risk matrix template”' })).toBeVisible();
});
