/**
 * Shared steps of the browser tests: waiting for the service worker to be
 * fully in charge, and for the demo catalogue to arrive by sync.
 */
import { expect, type Page } from '@playwright/test';

/** The demo pack's FY2021/22 regional workshop on the HS 2022 amendments. */
export const DEMO_WORKSHOP = /HS 2022/i;

/**
 * Resolves once a service worker is `activated` AND controls this page.
 * `navigator.serviceWorker.ready` alone can resolve while the worker is
 * still `activating`, before its precache is usable offline.
 */
export async function waitForServiceWorker(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    const worker = registration.active;
    if (!worker) throw new Error('no active service worker');
    if (worker.state !== 'activated') {
      await new Promise<void>((resolve) => {
        worker.addEventListener('statechange', () => {
          if (worker.state === 'activated') resolve();
        });
      });
    }
    if (!navigator.serviceWorker.controller) {
      await new Promise<void>((resolve) => {
        navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true });
      });
    }
  });
}

/** The workshop list once the first sync has stored the demo workshop; returns the link to it. */
export async function demoWorkshopLink(page: Page) {
  const link = page.getByRole('link', { name: DEMO_WORKSHOP }).first();
  await expect(link).toBeVisible({ timeout: 30_000 });
  return link;
}
