/**
 * A coordinator's second factor in the browser (issue #19, ASVS 5.0 V6.5,
 * V6.6): set it up from the account screen by the QR code's key, sign in
 * with a code from the authenticator app, recover with a single-use recovery
 * code when the phone is gone, and see the used code refused. Then a program
 * renamed to .pdf is refused as a material with a sentence a person
 * understands (V5.2.2). The TOTP codes come from otpauth, as an app would
 * compute them from the key.
 */
import * as OTPAuth from 'otpauth';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { createCoordinatorAccount } from './helpers';

test.describe.configure({ mode: 'serial' });

let credentials: { email: string; password: string };
let secret = '';
let recoveryCodes: string[] = [];

/** The code of the next 30-second step: the one set-up just used may not be used again. */
function nextCode(): string {
  return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30 }).generate({
    timestamp: Date.now() + 30_000,
  });
}

async function passwordStep(page: Page) {
  await page.goto('/coordinator');
  await page.getByLabel('E-mail').fill(credentials.email);
  await page.getByLabel('Password').fill(credentials.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Coordinator sign-in' })).toBeVisible();
}

test.beforeAll(({ baseURL }) => {
  credentials = createCoordinatorAccount(baseURL!, `e2e-2fa-${Date.now()}@example.org`);
});

test('sets up a second factor by its QR code and keeps the recovery codes', async ({ page }) => {
  await passwordStep(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Workshops' })).toBeVisible();
  await page.getByRole('link', { name: 'Account' }).click();
  await expect(page.getByText('No second factor is set up.')).toBeVisible();
  await page.getByRole('button', { name: 'Set up a second factor' }).click();
  await expect(page.getByRole('img', { name: 'QR code to scan with your authenticator app' })).toBeVisible();
  secret = (await page.getByTestId('totp-secret').textContent())!.trim();
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);

  await page.getByLabel('Six-digit code from the app').fill('000000');
  await page.getByRole('button', { name: 'Turn on the second factor' }).click();
  await expect(page.getByRole('alert')).toHaveText('This code is not right. Check the app and try again.');
  await page
    .getByLabel('Six-digit code from the app')
    .fill(new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) }).generate());
  await page.getByRole('button', { name: 'Turn on the second factor' }).click();
  const list = page.getByRole('list', { name: 'Recovery codes' });
  await expect(list.getByRole('listitem')).toHaveCount(10);
  recoveryCodes = (await list.getByRole('listitem').allTextContents()).map((c) => c.trim());
  await page.getByRole('button', { name: 'I have saved these codes' }).click();
  await expect(page.getByText('A second factor is set up. 10 recovery codes are left.')).toBeVisible();
  await signOut(page);
});

test('signs in with the password and a code from the app, and not with the password alone', async ({ page }) => {
  await passwordStep(page);
  await expect(page.getByText('Enter the code from your authenticator app.')).toBeVisible();
  // The half-signed-in token reaches no coordinator view.
  await expect(page.getByRole('heading', { level: 1, name: 'Workshops' })).toHaveCount(0);
  await page.getByLabel('Code', { exact: true }).fill(nextCode());
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Workshops' })).toBeVisible();
  await signOut(page);
});

test('recovers with a recovery code, which then works no more', async ({ page }) => {
  await passwordStep(page);
  await page.getByLabel('Code', { exact: true }).fill(recoveryCodes[0]!);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Workshops' })).toBeVisible();
  await page.getByRole('link', { name: 'Account' }).click();
  await expect(page.getByText('A second factor is set up. 9 recovery codes are left.')).toBeVisible();
  await signOut(page);

  await passwordStep(page);
  await page.getByLabel('Code', { exact: true }).fill(recoveryCodes[0]!);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('alert')).toHaveText('This code is not right. Check the app and try again.');
  await page.getByLabel('Code', { exact: true }).fill(recoveryCodes[1]!);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Workshops' })).toBeVisible();
});

/** A workshop id of the demo content, read with a session signed in by a recovery code. */
async function someWorkshopId(request: APIRequestContext, recoveryCode: string): Promise<string> {
  const login = await request.post('/api/v1/auth/login', { data: credentials });
  const { token } = (await login.json()) as { token: string };
  const headers = { authorization: `Bearer ${token}` };
  expect(
    (await request.post('/api/v1/auth/second-factor/verify', { headers, data: { code: recoveryCode } })).ok(),
  ).toBe(true);
  const list = (await (await request.get('/api/v1/coordinator/workshops', { headers })).json()) as {
    workshops: { workshop: { id: string } }[];
  };
  return list.workshops[0]!.workshop.id;
}

test('refuses a program renamed to .pdf as a material, saying so in words', async ({ page, request }) => {
  const workshopId = await someWorkshopId(request, recoveryCodes[2]!);
  await passwordStep(page);
  await page.getByLabel('Code', { exact: true }).fill(recoveryCodes[3]!);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Workshops' })).toBeVisible();
  await page.goto(`/coordinator/workshops/${workshopId}/materials`);
  // A workshop that already has materials shows them first, with a button that opens the form.
  const add = page.getByRole('button', { name: 'Add a material' });
  const fileInput = page.getByLabel('File', { exact: true });
  await expect(add.or(fileInput).first()).toBeVisible();
  if (await add.isVisible()) await add.click();
  // A Windows program: "MZ", then anything.
  const program = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(4000, 7)]);
  await fileInput.setInputFiles({
    name: 'slides.pdf',
    mimeType: 'application/pdf',
    buffer: program,
  });
  await page.getByRole('textbox', { name: 'Title' }).fill('Not really slides');
  await page.getByRole('button', { name: 'Upload and save' }).click();
  await expect(page.getByText(/This file is not what its name says: its contents are not a PDF/)).toBeVisible();
  await expect(page.getByRole('link', { name: 'Not really slides' })).toHaveCount(0);
});
