/**
 * Automated accessibility checks (axe-core, WCAG 2.2 A and AA rules) on the
 * main screens at phone width. Serious and critical findings fail the test;
 * the rest are printed so they are seen.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import {
  coordinatorToken,
  createParticipant,
  DEMO_WORKSHOP,
  demoWorkshopLink,
  enrolmentCode,
  enrolThroughUi,
  publishWorkshop,
} from './helpers';

async function expectNoSeriousViolations(page: Page, screen: string): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const minor = results.violations.filter((v) => !serious.includes(v));
  if (minor.length > 0) console.log(`${screen}: minor axe findings: ${minor.map((v) => v.id).join(', ')}`);
  const report = serious.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`,
  );
  expect(report, `${screen}: serious or critical axe violations`).toEqual([]);
}

test('workshop list', async ({ page }) => {
  await page.goto('/');
  await demoWorkshopLink(page);
  await expectNoSeriousViolations(page, 'workshop list');
});

test('workshop detail', async ({ page }) => {
  await page.goto('/');
  await (await demoWorkshopLink(page)).click();
  await expect(page.getByRole('heading', { level: 1, name: DEMO_WORKSHOP })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Agenda' })).toBeVisible();
  await expectNoSeriousViolations(page, 'workshop detail');
});

test('tools list and a tool summary', async ({ page }) => {
  await page.goto('/tools');
  await expect(page.getByRole('heading', { level: 1, name: 'WCO tools' })).toBeVisible();
  const firstTool = page.locator('main .card-link').first();
  await expect(firstTool).toBeVisible({ timeout: 30_000 });
  await expectNoSeriousViolations(page, 'tools list');
  await firstTool.click();
  await expect(page.getByRole('link', { name: 'Official source' })).toBeVisible();
  await expectNoSeriousViolations(page, 'tool summary');
});

test('settings', async ({ page }) => {
  await page.goto('/settings');
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Storage on this phone' })).toBeVisible();
  await expectNoSeriousViolations(page, 'settings');
});

test('settings in Persian (right-to-left)', async ({ page }) => {
  await page.goto('/settings');
  await page.getByLabel('فارسی').check();
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expectNoSeriousViolations(page, 'settings (fa)');
});

test('the action form’s error summary in Persian: every link a touch target of at least 24×24 px', async ({
  page,
  request,
  baseURL,
}) => {
  const token = await coordinatorToken(request, baseURL!);
  const workshopId = randomUUID();
  await publishWorkshop(request, token, {
    id: workshopId,
    title: `Error summary targets ${workshopId.slice(0, 6)}`,
    startDate: '2026-05-04',
    endDate: '2026-05-06',
  });
  await enrolThroughUi(
    page,
    await enrolmentCode(request, token, await createParticipant(request, token, [workshopId])),
  );
  await page.goto('/settings');
  await page.getByLabel('فارسی').check();
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');

  await page.goto(`/workshops/${workshopId}/follow-up/new`);
  await expect(page.getByRole('heading', { level: 1, name: 'ثبت یک اقدام پیگیری' })).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: 'ذخیره', exact: true }).click();
  const links = page.locator('.error-summary a');
  await expect(page.locator('.error-summary a[href$="#action-kind"]')).toBeVisible();
  // Focus moves to the summary a frame later and scrolls to it: measure where it comes to rest.
  await expect(page.locator('.error-summary')).toBeFocused();
  await page.evaluate(async () => {
    let still = 0;
    for (let frame = 0, y = window.scrollY; frame < 120 && still < 3; frame++) {
      await new Promise((resolve) => requestAnimationFrame(resolve));
      still = window.scrollY === y ? still + 1 : 0;
      y = window.scrollY;
    }
  });
  // Measured as well as left to axe: the rule (target-size) is the one that failed here in Persian.
  const sizes = await links.evaluateAll((all) =>
    all.map((a) => {
      const box = a.getBoundingClientRect();
      return { href: a.getAttribute('href'), width: Math.round(box.width), height: Math.round(box.height) };
    }),
  );
  for (const size of sizes) {
    expect(size.width, String(size.href)).toBeGreaterThanOrEqual(24);
    expect(size.height, String(size.href)).toBeGreaterThanOrEqual(24);
  }
  await expectNoSeriousViolations(page, 'action form with errors (fa)');
});
