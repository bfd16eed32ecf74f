/**
 * The app loads from the real server, the demo workshops arrive by sync,
 * a workshop opens with its agenda, and the manifest makes it installable.
 */
import { expect, test } from '@playwright/test';
import { DEMO_WORKSHOP, demoWorkshopLink } from './helpers';

test('lists the demo workshops and opens one', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Workshops' })).toBeVisible();
  await expect(page.getByRole('link', { name: /Sync status/ })).toContainText('All saved on this phone');

  const link = await demoWorkshopLink(page);
  await link.click();

  await expect(page).toHaveURL(/\/workshops\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1, name: DEMO_WORKSHOP })).toBeVisible();
  await expect(page.getByText('Dates', { exact: true })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Agenda' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Materials' })).toBeVisible();
  await expect(page).toHaveTitle(/HS 2022.*· Vaka/i);
});

test('the navigation reaches every screen', async ({ page }) => {
  await page.goto('/');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Tools' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'WCO tools' })).toBeVisible();
  await nav.getByRole('link', { name: 'Enrol' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Enrol this phone' })).toBeVisible();
  await nav.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Settings' })).toHaveAttribute('aria-current', 'page');
});

test('an enrolment code that is too short is explained before any request', async ({ page }) => {
  let requests = 0;
  page.on('request', (r) => {
    if (r.url().includes('/api/v1/enroll') || r.url().includes('/api/v1/enrol')) requests += 1;
  });
  await page.goto('/enrol');
  await page.getByLabel('Enrolment code').fill('7KQ2-M9');
  await page.getByRole('button', { name: 'Enrol' }).click();
  await expect(page.getByRole('alert')).toContainText('you typed 6');
  expect(requests).toBe(0);
});

test('a scanned enrolment link fills in the code and drops it from the address bar', async ({ page }) => {
  await page.goto('/enrol#code=7KQ2M9XP4HTR');
  await expect(page.getByLabel('Enrolment code')).toHaveValue('7KQ2M9XP4HTR');
  expect(new URL(page.url()).hash).toBe('');
});

test('an unknown enrolment code is refused by the server with a message the participant can act on', async ({
  page,
}) => {
  await page.goto('/enrol');
  await page.getByLabel('Enrolment code').fill('zzzz zzzz zzzz');
  await page.getByRole('button', { name: 'Enrol' }).click();
  await expect(page.getByRole('alert')).toHaveText('This code is not valid. Check it with your coordinator.');
  await expect(page.getByLabel('Enrolment code')).toHaveAttribute('aria-invalid', 'true');
});

test('the language choice applies at once, survives a reload and flips Persian to right-to-left', async ({ page }) => {
  await page.goto('/settings');
  await page.getByLabel('Français').check();
  await expect(page.getByLabel('Français')).toBeChecked();
  await expect(page.getByRole('heading', { level: 1, name: 'Réglages' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');

  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Réglages' })).toBeVisible();

  await page.getByLabel('فارسی').check();
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(page.getByRole('heading', { level: 1, name: 'تنظیمات' })).toBeVisible();
});

test('the manifest names the app and links PNG icons that exist', async ({ request }) => {
  const response = await request.get('/manifest.webmanifest');
  expect(response.ok()).toBe(true);
  const manifest = (await response.json()) as {
    name: string;
    display: string;
    start_url: string;
    icons: { src: string; sizes: string; type: string; purpose?: string }[];
  };
  expect(manifest.name).toBe('Vaka');
  expect(manifest.display).toBe('standalone');
  for (const size of ['192x192', '512x512']) {
    expect(manifest.icons.some((i) => i.sizes === size && i.type === 'image/png' && i.purpose !== 'maskable')).toBe(
      true,
    );
  }
  expect(manifest.icons.some((i) => i.purpose === 'maskable')).toBe(true);
  for (const icon of manifest.icons) {
    const file = await request.get(icon.src);
    expect(file.ok(), icon.src).toBe(true);
    expect(file.headers()['content-type']).toContain('image/png');
  }
});
