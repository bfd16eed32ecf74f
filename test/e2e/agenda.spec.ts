/**
 * The agenda during and around a workshop (issue #3, point 5, and the links
 * of point 6), in Chromium against the real server and demo content:
 * offline, a session lists its materials (opening the copy on the phone)
 * and the WCO tools it covers, with its join link; a tool page says where it
 * was "Covered in" and leads back to the session. With the page clock set
 * during the HS 2022 workshop and the phone in Honolulu, "Now" and "Next"
 * label the right sessions, move on when the minute turns, and every time
 * also shows the phone's own, with the day when the date differs.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { DEMO_WORKSHOP, demoWorkshopLink, waitForServiceWorker } from './helpers';

const demo = JSON.parse(readFileSync('src/server/content/demo/workshops-2021-22.json', 'utf8')) as {
  workshops: { id: string; title: string }[];
  materials: { workshopId: string; title: string }[];
};
const hsWorkshop = demo.workshops.find((w) => DEMO_WORKSHOP.test(w.title))!;
const glance = demo.materials.find((m) => m.workshopId === hsWorkshop.id && /at a glance/.test(m.title))!;
const HS_TOOL = 'Harmonized System 2022 (HS 2022)';

async function expectNoSeriousViolations(page: Page, screen: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = serious.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`,
  );
  expect(report, `${screen}: serious or critical axe violations`).toEqual([]);
}

async function expectNoHorizontalScroll(page: Page, screen: string): Promise<void> {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, `${screen} scrolls sideways at 360 px`).toBeLessThanOrEqual(360);
}

const sessionRow = (page: Page, title: string) => page.locator('.session').filter({ hasText: title });

test('offline, a session lists its materials, tools and join link, and a tool page says where it was covered', async ({
  page,
  context,
}) => {
  await page.goto('/');
  await waitForServiceWorker(page);
  await (await demoWorkshopLink(page)).click();
  await expect(page.getByRole('heading', { level: 1, name: DEMO_WORKSHOP })).toBeVisible();
  const pack = page.getByRole('region', { name: 'Materials' });
  await pack.getByRole('button', { name: /Download all for offline/ }).click();
  await expect(pack.getByText('On this phone, opens offline')).toHaveCount(2);

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: DEMO_WORKSHOP })).toBeVisible();

  // The workshop names the tools it covers.
  await expect(page.getByRole('definition').getByRole('link', { name: HS_TOOL })).toBeVisible();

  const overview = sessionRow(page, 'Overview of the HS 2022 amendments');
  await expect(
    overview.getByRole('list', { name: 'Materials:' }).getByRole('link', { name: glance.title }),
  ).toBeVisible();
  await expect(overview.getByRole('list', { name: 'WCO tools:' }).getByRole('link', { name: HS_TOOL })).toBeVisible();
  await expect(overview.getByRole('link', { name: 'Join online Overview of the HS 2022 amendments' })).toHaveAttribute(
    'href',
    'https://example.org/join/sample-hs2022-2021-11-09',
  );
  await expect(overview).toContainText('(needs a connection)');
  await expect(
    overview.getByRole('button', { name: 'Add to calendar Overview of the HS 2022 amendments' }),
  ).toBeVisible();
  await expectNoSeriousViolations(page, 'agenda with session links');
  await expectNoHorizontalScroll(page, 'agenda with session links');

  // The material's own screen opens the copy on the phone, with no network.
  await overview.getByRole('link', { name: glance.title }).click();
  await expect(page.getByRole('heading', { level: 1, name: glance.title })).toBeVisible();
  await expect(page.getByText('On this phone, opens offline')).toBeVisible();
  await expect(page.getByRole('link', { name: `Open ${glance.title}` })).toHaveAttribute('href', /^blob:/);
  await page.goBack();

  await sessionRow(page, 'Overview of the HS 2022 amendments').getByRole('link', { name: HS_TOOL }).click();
  await expect(page.getByRole('heading', { level: 1, name: HS_TOOL })).toBeVisible();
  const covered = page.getByRole('region', { name: 'Covered in' });
  await expect(covered.getByRole('link', { name: hsWorkshop.title })).toBeVisible();
  // The MTP on HS classification covered it too, in sessions of its own.
  await expect(
    covered.getByRole('link', { name: /Master Trainer Programme \(MTP\) on HS Classification/ }),
  ).toBeVisible();
  await expectNoSeriousViolations(page, 'tool summary with Covered in');
  await expectNoHorizontalScroll(page, 'tool summary with Covered in');

  await covered.getByRole('link', { name: 'Overview of the HS 2022 amendments' }).click();
  await expect(page).toHaveURL(new RegExp(`/workshops/${hsWorkshop.id}#session-`));
  await expect(sessionRow(page, 'Overview of the HS 2022 amendments')).toBeInViewport();

  await context.setOffline(false);
});

test.describe('during the workshop, on a phone in Honolulu', () => {
  test.use({ timezoneId: 'Pacific/Honolulu' });

  test('"Now" and "Next" label the right sessions and move on with the clock; times show the phone’s day too', async ({
    page,
  }) => {
    // 15:29:30 on Wednesday 10 November 2021 in Bangkok; 22:29 on the 9th in Honolulu.
    await page.clock.install({ time: new Date('2021-11-10T08:29:30Z') });
    await page.goto('/');
    await (await demoWorkshopLink(page)).click();
    await expect(page.getByRole('heading', { level: 1, name: DEMO_WORKSHOP })).toBeVisible();

    const summary = page.getByRole('list', { name: 'On now and next' });
    const questions = sessionRow(page, 'Questions and answers');
    // Between sessions: nothing is on, the 15:30 session is next.
    await expect(questions.locator('.badge', { hasText: /^Next$/ })).toBeVisible();
    await expect(page.locator('.session .badge', { hasText: /^Now$/ })).toHaveCount(0);
    await expect(summary).toContainText('Next Questions and answers (Wednesday 10 November, 15:30–16:30)');
    await expect(page.locator('.session .badge', { hasText: /^Next$/ })).toHaveCount(1);

    // The same instant on the phone's clock, on the phone's date.
    await expect(questions).toContainText('Tue 9 Nov, 22:30–23:30 on your phone');
    await expect(sessionRow(page, 'Opening remarks')).toContainText('Mon 8 Nov, 19:00–20:30 on your phone');
    await expectNoSeriousViolations(page, 'agenda with Now and Next');
    await expectNoHorizontalScroll(page, 'agenda with Now and Next');

    // The minute turns: the session is on, and the next is tomorrow's first.
    await page.clock.fastForward('01:00');
    await expect(questions.locator('.badge', { hasText: /^Now$/ })).toBeVisible();
    const experience = sessionRow(page, 'Experience sharing: implementing the HS amendments');
    await expect(experience.locator('.badge', { hasText: /^Next$/ })).toBeVisible();
    await expect(page.locator('.session .badge', { hasText: /^(Now|Next)$/ })).toHaveCount(2);

    // The summary links down to the session.
    await summary.getByRole('link', { name: 'Experience sharing: implementing the HS amendments' }).click();
    await expect(experience).toBeInViewport();
  });

  test('before the workshop, nothing is "Now" or "Next"', async ({ page }) => {
    await page.clock.install({ time: new Date('2021-11-01T00:00:00Z') });
    await page.goto(`/workshops/${hsWorkshop.id}`);
    await expect(page.locator('.session').first()).toBeVisible({ timeout: 30_000 });
    await expect(page.getByRole('list', { name: 'On now and next' })).toHaveCount(0);
    await expect(page.locator('.session .badge', { hasText: /^(Now|Next)$/ })).toHaveCount(0);
  });
});
