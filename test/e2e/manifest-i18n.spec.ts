/**
 * The installed app speaks the participant's language too: the page links
 * the manifest of the interface language, the server serves it, and the
 * service worker keeps every language's manifest for offline use.
 */
import { expect, test } from '@playwright/test';
import { waitForServiceWorker } from './helpers';

interface Manifest {
  name: string;
  lang: string;
  dir: string;
  description: string;
  shortcuts: { name: string; url: string }[];
}

test.use({ locale: 'fa-IR' });

test('the manifest follows the interface language, also after switching and offline', async ({ page, context }) => {
  await page.goto('/');
  await waitForServiceWorker(page);
  const link = page.locator('link[rel="manifest"]');
  await expect(link).toHaveAttribute('href', '/manifest.fa.webmanifest');
  const persian = (await (await page.request.get('/manifest.fa.webmanifest')).json()) as Manifest;
  expect(persian).toMatchObject({ name: 'Vaka', lang: 'fa', dir: 'rtl' });
  expect(persian.description).toMatch(/[\u0600-\u06FF]/);
  expect(persian.shortcuts.map((s) => s.url)).toEqual(['/', '/tools', '/enrol']);

  await page.goto('/settings');
  await page.locator('input[name="language"][value="fr"]').check();
  await expect(link).toHaveAttribute('href', '/manifest.fr.webmanifest');
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');

  // Precached: the French manifest still answers with no network.
  await context.setOffline(true);
  const offline = await page.evaluate(async () => {
    const response = await fetch('/manifest.fr.webmanifest');
    return (await response.json()) as Manifest;
  });
  expect(offline).toMatchObject({ lang: 'fr', dir: 'ltr' });
  expect(offline.shortcuts[0]!.name).toBe('Mes ateliers');
  await context.setOffline(false);
});
