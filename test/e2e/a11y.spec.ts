/**
 * Automated accessibility checks (axe-core, WCAG 2.1 A and AA rules) on the
 * main screens at phone width. Serious and critical findings fail the test;
 * the rest are printed so they are seen.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { DEMO_WORKSHOP, demoWorkshopLink } from './helpers';

async function expectNoSeriousViolations(page: Page, screen: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
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
