/**
 * Background Sync (Chromium): when the browser fires the 'vaka-sync' tag,
 * the service worker itself runs the sync engine, with no page code
 * involved. The event is dispatched through the DevTools protocol, as the
 * browser would once a connection returns.
 */
import { expect, test } from '@playwright/test';
import { demoWorkshopLink, waitForServiceWorker } from './helpers';

test('the service worker syncs on a "vaka-sync" event', async ({ page, context, baseURL }) => {
  const cdp = await context.newCDPSession(page);
  const registrations = new Set<string>();
  cdp.on('ServiceWorker.workerRegistrationUpdated', (event) => {
    for (const r of event.registrations) if (!r.isDeleted) registrations.add(r.registrationId);
  });
  await cdp.send('ServiceWorker.enable');

  await page.goto('/');
  await waitForServiceWorker(page);
  // Let the page's own first sync finish, so the worker finds the sync lock free.
  await demoWorkshopLink(page);
  await expect(page.getByRole('link', { name: /Sync status/ })).toContainText('last sent');
  await expect.poll(() => registrations.size).toBeGreaterThan(0);

  const fromWorker = context.waitForEvent('request', {
    predicate: (r) => r.url().endsWith('/api/v1/sync') && r.serviceWorker() !== null,
    timeout: 15_000,
  });
  await cdp.send('ServiceWorker.dispatchSyncEvent', {
    origin: new URL(baseURL!).origin,
    registrationId: [...registrations][0]!,
    tag: 'vaka-sync',
    lastChance: false,
  });
  const request = await fromWorker;
  const response = await request.response();
  expect(response?.status()).toBe(200);
});
