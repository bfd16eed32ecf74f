/**
 * Two phones of one participant (two browser contexts), both editing the same
 * follow-up action while offline, then coming back online one after the
 * other. The result must follow the merge rules on both phones and on the
 * server: different fields both survive, the same field keeps the later
 * arrival, and a delete beats an edit.
 */
import { expect, test, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { coordinatorToken, createParticipant, enrolmentCode, enrolThroughUi, publishWorkshop } from './helpers';

test.describe.configure({ mode: 'serial' });

interface Phones {
  a: Page;
  b: Page;
  close(): Promise<void>;
  workshopId: string;
  token: string;
  participantId: string;
}

async function twoPhones(
  browser: Browser,
  request: APIRequestContext,
  baseURL: string,
  label: string,
): Promise<Phones> {
  const token = await coordinatorToken(request, baseURL);
  const workshopId = randomUUID();
  await publishWorkshop(request, token, {
    id: workshopId,
    title: `Regional workshop on risk management (${label})`,
    startDate: '2026-03-02',
    endDate: '2026-03-05',
  });
  const participantId = await createParticipant(request, token, [workshopId]);
  const contextA = await browser.newContext();
  const contextB = await browser.newContext();
  const a = await contextA.newPage();
  const b = await contextB.newPage();
  await enrolThroughUi(a, await enrolmentCode(request, token, participantId));
  await enrolThroughUi(b, await enrolmentCode(request, token, participantId));
  return {
    a,
    b,
    workshopId,
    token,
    participantId,
    async close() {
      await contextA.close();
      await contextB.close();
    },
  };
}

/** What the server holds for a record, read the way a third phone of the participant would. */
/** How many edits the phone still has to send, read from its IndexedDB. */
function outboxLength(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('vaka');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const count = open.result.transaction('outbox').objectStore('outbox').count();
          count.onsuccess = () => {
            open.result.close();
            resolve(count.result);
          };
          count.onerror = () => reject(count.error);
        };
      }),
  );
}

async function serverRecord(request: APIRequestContext, token: string, participantId: string, description: RegExp) {
  const code = await enrolmentCode(request, token, participantId);
  const enrolled = await request.post('/api/v1/enroll', { data: { code, deviceName: 'checker' } });
  const device = (await enrolled.json()) as { deviceToken: string };
  const res = await request.post('/api/v1/sync', {
    headers: { authorization: `Bearer ${device.deviceToken}` },
    data: { protocol: 1, epoch: null, cursors: {}, mutations: [] },
  });
  const body = (await res.json()) as {
    changes: { collection: string; deleted: boolean; data: Record<string, unknown> | null }[];
  };
  return body.changes.filter(
    (c) => c.collection === 'followUpActions' && (c.data === null || description.test(String(c.data.description))),
  );
}

async function logReport(page: Page, workshopId: string, description: string, audience: string) {
  await page.goto(`/workshops/${workshopId}/follow-up/new`);
  const kind = page.getByRole('radio', { name: 'Submitted a report to management' });
  await expect(kind).toBeVisible({ timeout: 30_000 });
  await kind.check();
  await page.getByLabel('Short description').fill(description);
  await page.getByLabel('To whom').fill(audience);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('listitem').filter({ hasText: description }).locator('.receipt')).toHaveText(/Sent/, {
    timeout: 30_000,
  });
}

async function openForEdit(page: Page, workshopId: string, text: string) {
  await page.goto(`/workshops/${workshopId}/follow-up`);
  const card = page.getByRole('listitem').filter({ hasText: text });
  await expect(card).toBeVisible({ timeout: 30_000 });
  await card.getByRole('link', { name: /Edit/ }).click();
  await expect(page.getByLabel('Short description')).toBeVisible();
}

test('offline edits on two phones merge by field; the same field keeps the later arrival, on both phones and the server', async ({
  browser,
  request,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const p = await twoPhones(browser, request, baseURL!, 'merge');
  await logReport(p.a, p.workshopId, 'Mission report', 'Director of Audit');
  await openForEdit(p.b, p.workshopId, 'Mission report');
  await p.b.goto(`/workshops/${p.workshopId}/follow-up`);

  await p.a.context().setOffline(true);
  await p.b.context().setOffline(true);
  await openForEdit(p.a, p.workshopId, 'Mission report');
  await p.a.getByLabel('Short description').fill('Mission report (phone A)');
  await p.a.getByLabel('To whom').fill('Deputy Commissioner');
  await p.a.getByRole('button', { name: 'Save' }).click();
  await openForEdit(p.b, p.workshopId, 'Mission report');
  await p.b.getByLabel('Short description').fill('Mission report with recommendations (phone B)');
  await p.b.getByLabel('When').fill('2026-04-20');
  await p.b.getByRole('button', { name: 'Save' }).click();

  // A reaches the server first, then B: B's description is the later arrival.
  await p.a.context().setOffline(false);
  await expect(p.a.getByRole('listitem').filter({ hasText: 'phone A' }).locator('.receipt')).toHaveText(/Sent/, {
    timeout: 30_000,
  });
  await p.b.context().setOffline(false);
  const onB = p.b.getByRole('listitem').filter({ hasText: 'phone B' });
  await expect(onB.locator('.receipt')).toHaveText(/Sent/, { timeout: 30_000 });
  await expect(onB).toContainText('Deputy Commissioner', { timeout: 30_000 });
  await expect(onB).toContainText('This record was also changed on another phone');

  await p.a.reload();
  const onA = p.a.getByRole('listitem').filter({ hasText: 'phone B' });
  await expect(onA).toBeVisible({ timeout: 30_000 });
  await expect(onA).toContainText('Deputy Commissioner');

  const [server] = await serverRecord(request, p.token, p.participantId, /phone B/);
  expect(server?.data).toMatchObject({
    description: 'Mission report with recommendations (phone B)',
    audience: 'Deputy Commissioner',
    date: '2026-04-20',
  });
  await p.close();
});

test('a delete made offline on one phone beats an edit made offline on the other', async ({
  browser,
  request,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const p = await twoPhones(browser, request, baseURL!, 'delete');
  await logReport(p.a, p.workshopId, 'Report to be withdrawn', 'Commissioner');
  await openForEdit(p.b, p.workshopId, 'Report to be withdrawn');
  await p.b.goto(`/workshops/${p.workshopId}/follow-up`);

  await p.a.context().setOffline(true);
  await p.b.context().setOffline(true);
  await p.a.goto(`/workshops/${p.workshopId}/follow-up`);
  const doomed = p.a.getByRole('listitem').filter({ hasText: 'Report to be withdrawn' });
  await doomed.getByRole('button', { name: /Delete/ }).click();
  await doomed.getByRole('button', { name: 'Yes, delete' }).click();
  await expect(doomed).toHaveCount(0);
  await openForEdit(p.b, p.workshopId, 'Report to be withdrawn');
  await p.b.getByLabel('Short description').fill('Report to be withdrawn, edited on phone B');
  await p.b.getByRole('button', { name: 'Save' }).click();

  await p.a.context().setOffline(false);
  await p.a.reload();
  // Phone A's delete reaches the server first (its outbox empties); only then does phone B come back, so B's
  // edit meets the deletion. Without this wait a loaded machine can let B sync first.
  await expect.poll(() => outboxLength(p.a), { timeout: 30_000 }).toBe(0);
  await p.b.context().setOffline(false);
  await p.b.reload();
  await expect(p.b.getByRole('listitem').filter({ hasText: 'Report to be withdrawn' })).toHaveCount(0, {
    timeout: 30_000,
  });
  await p.b.goto('/follow-up/changes');
  await expect(p.b.getByText('The record was deleted on another phone; the deletion was kept.')).toBeVisible({
    timeout: 30_000,
  });
  await p.a.goto(`/workshops/${p.workshopId}/follow-up`);
  await expect(p.a.getByRole('listitem').filter({ hasText: 'Report to be withdrawn' })).toHaveCount(0);

  const server = await serverRecord(request, p.token, p.participantId, /Report to be withdrawn/);
  expect(server.every((c) => c.deleted)).toBe(true);
  await p.close();
});
