/**
 * A new release reaches an open app as a banner, and the page reloads only
 * when the participant taps "Reload": a surprise reload could throw away a
 * half-written survey answer.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { waitForServiceWorker } from './helpers';

// The browser's update check of the worker script bypasses Playwright's
// routing, so the "deploy" is a changed file in the served build folder,
// restored afterwards.
const swFile = path.resolve(process.env.E2E_DIST ?? 'dist', 'sw.js');
let original: string | null = null;

test.afterEach(() => {
  if (original !== null) writeFileSync(swFile, original);
  original = null;
});

type Marked = Window & { __stillHere?: boolean };

test('a waiting service worker shows the banner and takes over only after the tap', async ({ page }) => {
  await page.goto('/');
  await waitForServiceWorker(page);

  original = readFileSync(swFile, 'utf8');
  writeFileSync(swFile, `${original}\n// next release\n`);

  // A marker that any reload would wipe out.
  await page.evaluate(() => {
    (window as Marked).__stillHere = true;
  });
  await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.getRegistration();
    await registration?.update();
  });

  const banner = page.getByRole('status').filter({ hasText: 'A new version is ready.' });
  await expect(banner).toBeVisible({ timeout: 30_000 });

  // Deliberately a time window: give an eager worker every chance to take over by itself; it must not.
  // Not taking over is an absence, with no state to wait for.
  await page.waitForTimeout(1_500);
  expect(await page.evaluate(() => (window as Marked).__stillHere)).toBe(true);

  await Promise.all([page.waitForEvent('load'), banner.getByRole('button', { name: 'Reload' }).click()]);
  expect(await page.evaluate(() => (window as Marked).__stillHere)).toBeUndefined();
  await expect(page.getByRole('heading', { level: 1, name: 'Workshops' })).toBeVisible();
  await expect(page.getByText('A new version is ready.')).toHaveCount(0);
  expect(
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting ?? null),
  ).toBeNull();
});
