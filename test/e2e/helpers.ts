/**
 * Shared steps of the browser tests: waiting for the service worker to be
 * fully in charge, and for the demo catalogue to arrive by sync.
 */
import { expect, type APIRequestContext, type Page } from '@playwright/test';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';

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

/**
 * A coordinator session for publishing test content through the real API.
 * The account is written into the server's SQLite file (what the operator
 * CLI does), once per run; the token is cached because sign-in is rate
 * limited per address.
 */
const coordinatorTokens = new Map<string, Promise<string>>();

export function coordinatorToken(request: APIRequestContext, baseURL: string): Promise<string> {
  let token = coordinatorTokens.get(baseURL);
  if (!token) {
    token = (async () => {
      const { default: Database } = await import('better-sqlite3');
      const { hashPassword } = await import('../../src/server/auth/tokens');
      const { randomUUID } = await import('node:crypto');
      const email = `e2e-content-${randomUUID().slice(0, 8)}@example.org`;
      const password = 'offline content coordinator';
      const db = new Database(path.resolve(`.tmp/e2e-data-${new URL(baseURL).port}/vaka.db`));
      try {
        db.pragma('busy_timeout = 5000');
        db.prepare(
          'INSERT INTO coordinators (id, email, name, password_hash, created_at, disabled_at) VALUES (?, ?, ?, ?, ?, NULL)',
        ).run(randomUUID(), email, 'E2E content', await hashPassword(password), new Date().toISOString());
      } finally {
        db.close();
      }
      const login = await request.post('/api/v1/auth/login', { data: { email, password } });
      if (login.status() !== 200)
        throw new Error(`coordinator sign-in failed: ${login.status()} ${await login.text()}`);
      return ((await login.json()) as { token: string }).token;
    })();
    coordinatorTokens.set(baseURL, token);
    token.catch(() => coordinatorTokens.delete(baseURL));
  }
  return token;
}

/**
 * A coordinator account made the way an operator makes one, with the admin
 * CLI on the server's own SQLite file (WAL lets both write). Returns the
 * credentials for the sign-in form; one account per run and e-mail.
 */
export function createCoordinatorAccount(baseURL: string, email: string): { email: string; password: string } {
  const password = 'e2e coordinator password';
  const port = new URL(baseURL).port;
  execFileSync(
    'npx',
    ['tsx', 'src/server/cli/admin.ts', 'create-coordinator', '--email', email, '--name', 'E2E Coordinator'],
    {
      env: { ...process.env, DATABASE_PATH: `.tmp/e2e-data-${port}/vaka.db`, VAKA_PASSWORD: password },
      stdio: 'pipe',
    },
  );
  return { email, password };
}

/** Signs in through the coordinator workspace's own form and waits for the workshop list. */
export async function signInAsCoordinator(page: Page, credentials: { email: string; password: string }) {
  await page.goto('/coordinator');
  await page.getByLabel('E-mail').fill(credentials.email);
  await page.getByLabel('Password').fill(credentials.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Workshops' })).toBeVisible();
}

/** A workshop published through the coordinator API; fields override a plain in-person workshop in Suva. */
export async function publishWorkshop(
  request: APIRequestContext,
  token: string,
  fields: Record<string, unknown> & { id: string; title: string; startDate: string; endDate: string },
): Promise<void> {
  const response = await request.put(`/api/v1/workshops/${fields.id}`, {
    headers: { authorization: `Bearer ${token}` },
    data: {
      kind: 'sub-regional',
      topic: 'Post-clearance audit',
      timeZone: 'Pacific/Fiji',
      mode: 'in-person',
      venue: { city: 'Suva', country: 'Fiji' },
      organisers: ['ROCB A/P'],
      ...fields,
    },
  });
  if (response.status() !== 200) throw new Error(`publishing failed: ${response.status()} ${await response.text()}`);
}

/** Puts a new participant on workshop rosters and returns their id. */
export async function createParticipant(
  request: APIRequestContext,
  token: string,
  workshopIds: string[],
  fullName = 'Mele Taufa',
): Promise<string> {
  const response = await request.post('/api/v1/participants', {
    headers: { authorization: `Bearer ${token}` },
    data: { participant: { fullName, memberCode: 'TO', email: null }, workshopIds },
  });
  if (response.status() !== 201) throw new Error(`participant failed: ${response.status()} ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}

/** A fresh single-use enrolment code for the participant (one per phone). */
export async function enrolmentCode(request: APIRequestContext, token: string, participantId: string): Promise<string> {
  const response = await request.post(`/api/v1/participants/${participantId}/enrolment-codes`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (response.status() !== 201) throw new Error(`code failed: ${response.status()} ${await response.text()}`);
  return ((await response.json()) as { code: string }).code;
}

/**
 * Enrols the page's phone with a code through the enrolment screen, as a participant would; `origin` when the
 * app is reached through a proxy in front of the server.
 */
export async function enrolThroughUi(page: Page, code: string, origin = ''): Promise<void> {
  await page.goto(`${origin}/enrol`);
  await page.getByLabel('Enrolment code').fill(code);
  await page.getByRole('button', { name: 'Enrol' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Your workshops' })).toBeVisible({ timeout: 30_000 });
}

/** A new participant on a new workshop's roster, and a code to enrol their phone. */
export async function participantWithCode(request: APIRequestContext, token: string, name: string): Promise<string> {
  const workshopId = randomUUID();
  await publishWorkshop(request, token, {
    id: workshopId,
    title: `Workshop for ${name} ${workshopId.slice(0, 6)}`,
    startDate: '2026-05-04',
    endDate: '2026-05-06',
  });
  return enrolmentCode(request, token, await createParticipant(request, token, [workshopId], name));
}
