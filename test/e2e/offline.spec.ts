/**
 * Offline after one visit: with the network cut, a reload and a deep link
 * to a workshop both render, from the precache (shell) and IndexedDB (data).
 */
import { expect, test } from '@playwright/test';
import { DEMO_WORKSHOP, demoWorkshopLink, waitForServiceWorker } from './helpers';

test('a workshop deep link opens with no network after the first visit', async ({ page, context }) => {
  await page.goto('/');
  await waitForServiceWorker(page);
  const link = await demoWorkshopLink(page);
  const href = await link.getAttribute('href');
  expect(href).toMatch(/^\/workshops\//);

  // Also cuts the service worker's own requests, so nothing can come from the server.
  await context.setOffline(true);

  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Workshops' })).toBeVisible();
  await expect(page.getByRole('link', { name: DEMO_WORKSHOP }).first()).toBeVisible();

  await page.goto(href!);
  await expect(page.getByRole('heading', { level: 1, name: DEMO_WORKSHOP })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Agenda' })).toBeVisible();
  // The agenda itself, not just its heading: sessions are stored per workshop.
  await expect(page.locator('.agenda-day').first().getByRole('heading', { level: 3 })).toBeVisible();
  await expect(page.locator('.session').first()).toBeVisible();

  // Lazy screens the first visit never opened come from the precache too.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();

  // The sync pill tells the truth instead of spinning.
  await expect(page.getByRole('link', { name: /Sync status/ })).toContainText('All saved on this phone');

  await context.setOffline(false);
});

test('an unknown deep link offline still opens the app, not the browser error page', async ({ page, context }) => {
  await page.goto('/');
  await waitForServiceWorker(page);
  await context.setOffline(true);
  await page.goto('/no/such/page');
  await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
  await context.setOffline(false);
});
