/**
 * The field companion with no connection (issue #3), in Chromium with the
 * real service worker and server: after one online visit and "Download all
 * for offline", every screen, a workshop agenda, a downloaded PDF, a tool
 * summary and search work with the network cut; a download cut half-way
 * (the network cleared mid-download) resumes to the right sha256 without
 * fetching stored bytes again; a full storage quota gives a clear message
 * with nothing written; an agenda session changed by a coordinator is
 * highlighted after the next sync and exported to .ics at the right UTC
 * time; the app passes Chromium's installability checks. The new screens
 * are checked with axe and for horizontal scrolling at 360 px.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { coordinatorToken, DEMO_WORKSHOP, demoWorkshopLink, waitForServiceWorker } from './helpers';

interface DemoMaterial {
  id: string;
  workshopId: string;
  title: string;
  sha256: string;
  byteSize: number;
}

const demo = JSON.parse(readFileSync('src/server/content/demo/workshops-2021-22.json', 'utf8')) as {
  workshops: { id: string; title: string }[];
  materials: DemoMaterial[];
};
const hsWorkshop = demo.workshops.find((w) => DEMO_WORKSHOP.test(w.title))!;
const hsMaterials = demo.materials.filter((m) => m.workshopId === hsWorkshop.id);
const glance = hsMaterials.find((m) => /at a glance/.test(m.title))!;

/**
 * The sha256 of a file as stored in the app's IndexedDB (its chunks in
 * order), computed in the page. The page's CSP (connect-src 'self') keeps
 * even the test from fetching the blob: URL itself.
 */
function storedSha(page: Page, sha256: string): Promise<{ sha256: string; head: string } | null> {
  return page.evaluate(async (sha) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('vaka');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const chunks = await new Promise<{ offset: number; blob: Blob }[]>((resolve, reject) => {
      const req = db.transaction('fileChunks', 'readonly').objectStore('fileChunks').index('sha256').getAll(sha);
      req.onsuccess = () => resolve(req.result as { offset: number; blob: Blob }[]);
      req.onerror = () => reject(req.error);
    });
    db.close();
    if (chunks.length === 0) return null;
    const bytes = await new Blob(chunks.sort((a, b) => a.offset - b.offset).map((c) => c.blob)).arrayBuffer();
    const digest = await crypto.subtle.digest('SHA-256', bytes);
    return {
      sha256: [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join(''),
      head: new TextDecoder().decode(bytes.slice(0, 5)),
    };
  }, sha256);
}

/** Counts of the download tables, read from IndexedDB directly. */
function downloadTables(page: Page): Promise<{ files: number; fileChunks: number; complete: number }> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('vaka');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const all = (store: string) =>
      new Promise<{ state?: string }[]>((resolve, reject) => {
        const req = db.transaction(store, 'readonly').objectStore(store).getAll();
        req.onsuccess = () => resolve(req.result as { state?: string }[]);
        req.onerror = () => reject(req.error);
      });
    const files = await all('files');
    const chunks = await all('fileChunks');
    db.close();
    return {
      files: files.length,
      fileChunks: chunks.length,
      complete: files.filter((f) => f.state === 'complete').length,
    };
  });
}

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

async function openHsWorkshop(page: Page) {
  await page.goto('/');
  await waitForServiceWorker(page);
  await (await demoWorkshopLink(page)).click();
  await expect(page.getByRole('heading', { level: 1, name: DEMO_WORKSHOP })).toBeVisible();
  return page.getByRole('region', { name: 'Materials' });
}

test('after one online visit, every screen, an agenda, a downloaded PDF, a tool summary and search work offline', async ({
  page,
  context,
}) => {
  const pack = await openHsWorkshop(page);
  // The size is shown before anything is fetched.
  await expect(pack).toContainText('4.5 kB to download for offline use (2 files; 4.5 kB in all).');
  expect(await downloadTables(page)).toEqual({ files: 0, fileChunks: 0, complete: 0 });
  await pack.getByRole('button', { name: 'Download all for offline (4.5 kB)' }).click();
  await expect(pack.getByText('On this phone, opens offline')).toHaveCount(2);
  await expect(pack).toContainText('All 2 materials are on this phone (4.5 kB).');
  await expectNoSeriousViolations(page, 'workshop with downloaded materials');
  await expectNoHorizontalScroll(page, 'workshop detail');

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: DEMO_WORKSHOP })).toBeVisible();
  await expect(page.locator('.session').first()).toBeVisible();

  // The PDF opens from IndexedDB (an object URL of the stored Blob), and its bytes are the published file's.
  expect(await storedSha(page, glance.sha256)).toEqual({ sha256: glance.sha256, head: '%PDF-' });
  const open = pack.getByRole('link', { name: `Open ${glance.title}` });
  const href = await open.getAttribute('href');
  expect(href).toMatch(/^blob:/);
  const [viewer] = await Promise.all([context.waitForEvent('page'), open.click()]);
  await viewer.waitForLoadState();
  expect(viewer.url()).toBe(href);
  expect(await viewer.evaluate(() => document.contentType)).toBe('application/pdf');
  await viewer.close();

  // Its own screen, reached offline.
  await pack.getByRole('link', { name: glance.title, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: glance.title })).toBeVisible();
  await expect(page.getByText('On this phone, opens offline')).toBeVisible();
  await expectNoHorizontalScroll(page, 'material screen');

  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Tools' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'WCO tools' })).toBeVisible();
  await page.getByRole('link', { name: 'Revised Kyoto Convention (RKC)' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Revised Kyoto Convention (RKC)' })).toBeVisible();
  await expect(page.locator('.prose')).not.toBeEmpty();

  // One search over agendas, materials and tools, with no network.
  await page.getByRole('link', { name: 'Search' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Search' })).toBeVisible();
  await page.getByLabel('Search agendas, materials, WCO tools and your notes').fill('amendments');
  // The query is set in Unicode isolates inside the sentence.
  await expect(page.getByRole('status').filter({ hasText: /results? for “\u2068?amendments\u2069?”/ })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: /Agenda sessions/ })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: /Materials/ })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: /WCO tools/ })).toBeVisible();
  await expectNoHorizontalScroll(page, 'search');
  await page.getByRole('link', { name: 'Overview of the HS 2022 amendments' }).click();
  await expect(page).toHaveURL(/\/workshops\/[^#]+#session-/);
  await expect(
    page.locator(`[id^="session-"]`).filter({ hasText: 'Overview of the HS 2022 amendments' }),
  ).toBeInViewport();

  await nav.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('link', { name: 'Storage details, downloads and unsent records' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Storage and downloads' })).toBeVisible();
  await expect(page.getByRole('link', { name: DEMO_WORKSHOP })).toBeVisible();
  await expectNoHorizontalScroll(page, 'storage');

  await nav.getByRole('link', { name: 'Enrol' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await nav.getByRole('link', { name: 'Workshops' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Workshops' })).toBeVisible();

  await context.setOffline(false);
});

test('a download cut half-way (network cleared mid-download) resumes to the right sha256', async ({
  page,
  context,
}) => {
  // 512-byte chunks cut the ~2.3 kB sample PDFs into five ranged requests each.
  await page.addInitScript(() => localStorage.setItem('vaka:downloadChunkBytes', '512'));
  const ranges: string[] = [];
  let cut = false;
  await context.route('**/api/v1/files/**', async (route) => {
    const range = route.request().headers()['range'] ?? 'none';
    ranges.push(`${route.request().url().split('/').pop()!.slice(0, 8)} ${range}`);
    if (!cut && ranges.length === 3) {
      cut = true;
      await context.setOffline(true);
      await route.abort('internetdisconnected');
      return;
    }
    await route.continue();
  });

  const pack = await openHsWorkshop(page);
  await pack.getByRole('button', { name: /Download all for offline/ }).click();
  await expect(pack.getByText(/Paused: no connection/)).toBeVisible();
  await expect(pack.getByText('1 kB of 2.3 kB downloaded')).toBeVisible();
  const stalled = await downloadTables(page);
  expect(stalled.complete).toBe(0);
  expect(stalled.fileChunks).toBe(2);

  await context.setOffline(false);
  await expect(pack.getByText('On this phone, opens offline')).toHaveCount(2);
  const first = ranges[0]!.split(' ')[0]!;
  const cutFile = hsMaterials.find((m) => m.sha256.startsWith(first))!;
  const firstFile = ranges.filter((r) => r.startsWith(first)).map((r) => r.split(' ')[1]);
  // Bytes 0-1023 were kept; the cut chunk is asked for again, nothing before it.
  expect(firstFile).toEqual([
    'bytes=0-511',
    'bytes=512-1023',
    'bytes=1024-1535',
    'bytes=1024-1535',
    'bytes=1536-2047',
    `bytes=2048-${cutFile.byteSize - 1}`,
  ]);
  for (const material of hsMaterials) {
    expect((await storedSha(page, material.sha256))?.sha256).toBe(material.sha256);
  }
  expect(await downloadTables(page)).toMatchObject({ files: 2, complete: 2 });
});

/**
 * Chromium's quota override (Storage.overrideQuotaForOrigin) does not reach
 * the off-the-record profiles Playwright's contexts use, so a full disk is
 * simulated in the page: the storage estimate reports no room, or
 * IndexedDB refuses a chunk with the QuotaExceededError a full disk raises.
 */
async function simulateFullStorage(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const flags = window as unknown as { __estimateFull?: boolean; __idbFullAfter?: number };
    const estimate = StorageManager.prototype.estimate;
    StorageManager.prototype.estimate = async function (this: StorageManager) {
      const real = await estimate.call(this);
      return flags.__estimateFull ? { ...real, quota: (real.usage ?? 0) + 50_000 } : real;
    };
    const put = IDBObjectStore.prototype.put;
    let chunkPuts = 0;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (this.name === 'fileChunks' && flags.__idbFullAfter !== undefined && ++chunkPuts > flags.__idbFullAfter) {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      }
      return put.apply(this, args);
    };
  });
}

test('a full storage quota gives a clear message and leaves nothing half-written', async ({ page }) => {
  await simulateFullStorage(page);
  await page.addInitScript(() => localStorage.setItem('vaka:downloadChunkBytes', '512'));
  const pack = await openHsWorkshop(page);

  // The estimate says the pack cannot fit: refused before a byte is written.
  await page.evaluate(() => ((window as unknown as { __estimateFull: boolean }).__estimateFull = true));
  await pack.getByRole('button', { name: /Download all for offline/ }).click();
  await expect(pack.getByRole('alert')).toContainText("This phone's storage is full");
  await expect(pack.getByRole('alert')).toContainText('Nothing half-downloaded was kept');
  await expect(pack.getByText("Stopped: this phone's storage is full.")).toHaveCount(2);
  expect(await downloadTables(page)).toEqual({ files: 0, fileChunks: 0, complete: 0 });
  await expectNoSeriousViolations(page, 'materials with a full quota');

  // The estimate has room but the disk fills on the third chunk: the chunks
  // already written are removed again and the rest of the pack is not started.
  await page.evaluate(() => {
    const flags = window as unknown as { __estimateFull: boolean; __idbFullAfter: number };
    flags.__estimateFull = false;
    flags.__idbFullAfter = 2;
  });
  await pack.getByRole('button', { name: 'Try again', exact: true }).click();
  await expect(pack.getByRole('alert')).toContainText("This phone's storage is full");
  await expect(pack.getByText("Stopped: this phone's storage is full.")).toHaveCount(2);
  expect(await downloadTables(page)).toMatchObject({ fileChunks: 0, complete: 0 });

  // Space freed: "Try again" completes both, verified.
  await page.evaluate(() => ((window as unknown as { __idbFullAfter?: number }).__idbFullAfter = undefined));
  await pack.getByRole('button', { name: 'Try again', exact: true }).click();
  await expect(pack.getByText('On this phone, opens offline')).toHaveCount(2);
  expect(await downloadTables(page)).toMatchObject({ files: 2, complete: 2 });
});

interface SessionBody {
  id: string;
  workshopId: string;
  date: string;
  start: string;
  end: string;
  title: string;
  status?: 'scheduled' | 'cancelled';
}

async function publishSession(request: APIRequestContext, token: string, session: SessionBody): Promise<void> {
  const saved = await request.put(`/api/v1/agenda-sessions/${session.id}`, {
    headers: { authorization: `Bearer ${token}` },
    data: session,
  });
  expect(saved.status(), await saved.text()).toBe(200);
}

test('a session a coordinator changes is highlighted after the next sync, and the agenda exports to .ics', async ({
  page,
  request,
  baseURL,
}) => {
  const token = await coordinatorToken(request, baseURL!);
  const workshopId = randomUUID();
  const title = `Agenda changes check ${workshopId.slice(0, 6)}`;
  const published = await request.put(`/api/v1/workshops/${workshopId}`, {
    headers: { authorization: `Bearer ${token}` },
    data: {
      id: workshopId,
      title,
      kind: 'sub-regional',
      topic: 'Testing',
      startDate: '2022-03-14',
      endDate: '2022-03-15',
      timeZone: 'Pacific/Fiji',
      mode: 'in-person',
      venue: { city: 'Suva', country: 'Fiji' },
      organisers: ['ROCB A/P'],
    },
  });
  expect(published.status(), await published.text()).toBe(200);
  const base = { workshopId, date: '2022-03-14' };
  const moved: SessionBody = { ...base, id: randomUUID(), start: '09:00', end: '10:00', title: 'Risk profiling' };
  const cancelled: SessionBody = { ...base, id: randomUUID(), start: '10:30', end: '11:30', title: 'Site visit' };
  const steady: SessionBody = { ...base, id: randomUUID(), start: '13:00', end: '14:00', title: 'Group work' };
  for (const s of [moved, cancelled, steady]) await publishSession(request, token, s);

  await page.goto('/');
  await waitForServiceWorker(page);
  await page.getByRole('link', { name: title }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.locator('.session')).toHaveCount(3);
  await expect(page.locator('.change-note')).toHaveCount(0);

  // The coordinator moves one session to the next afternoon, cancels one and adds one.
  const added: SessionBody = { ...base, id: randomUUID(), start: '15:00', end: '16:00', title: 'Closing' };
  await publishSession(request, token, { ...moved, date: '2022-03-15', start: '14:00', end: '15:00' });
  await publishSession(request, token, { ...cancelled, status: 'cancelled' });
  await publishSession(request, token, added);

  // Opening the app syncs; the screen updates from IndexedDB when the changes land.
  await page.reload();
  const notice = page.locator('.agenda-changes');
  await expect(notice).toContainText('3 changes to this agenda since you last looked.');
  const row = (name: string) => page.locator('.session').filter({ hasText: name });
  await expect(row('Risk profiling').locator('.change-note')).toContainText('Moved');
  await expect(row('Risk profiling').locator('.change-note')).toContainText('was Monday 14 March, 09:00–10:00');
  await expect(row('Site visit').locator('.change-note')).toContainText('Just cancelled');
  await expect(row('Closing').locator('.change-note')).toContainText('New');
  await expect(row('Group work').locator('.change-note')).toHaveCount(0);
  await expectNoSeriousViolations(page, 'agenda with change highlights');
  await expectNoHorizontalScroll(page, 'agenda with change highlights');

  // Calendar export: Fiji is UTC+12 in March, so 14:00 on the 15th is 02:00 UTC the same day.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Add to my calendar (.ics)' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^agenda-changes-check-.*-agenda\.ics$/);
  const ics = readFileSync((await download.path())!, 'utf8');
  expect(ics).toContain(`UID:${moved.id}@vaka`);
  expect(ics).toContain('DTSTART:20220315T020000Z');
  expect(ics).toContain('STATUS:CANCELLED');

  await page.getByRole('button', { name: 'Mark as seen' }).click();
  await expect(page.locator('.change-note')).toHaveCount(0);
  await expect(notice).toHaveCount(0);
  await page.reload();
  await expect(page.locator('.session')).toHaveCount(4);
  await expect(page.locator('.change-note')).toHaveCount(0);
});

test('a replaced material is marked updated and only its new version is fetched; the old file goes once the new one verifies', async ({
  page,
  context,
  request,
  baseURL,
}) => {
  const token = await coordinatorToken(request, baseURL!);
  const headers = { authorization: `Bearer ${token}` };
  const workshopId = randomUUID();
  const title = `Material update check ${workshopId.slice(0, 6)}`;
  const workshop = await request.put(`/api/v1/workshops/${workshopId}`, {
    headers,
    data: {
      id: workshopId,
      title,
      kind: 'national',
      topic: 'Testing',
      startDate: '2022-05-02',
      endDate: '2022-05-03',
      timeZone: 'Pacific/Tongatapu',
      mode: 'online',
      venue: null,
      organisers: ['ROCB A/P'],
    },
  });
  expect(workshop.status(), await workshop.text()).toBe(200);
  // Files the server already holds (demo PDFs), so no upload is needed.
  const [v1, steady, v2] = [demo.materials[0]!, demo.materials[1]!, demo.materials[3]!];
  const material = (id: string, name: string, sha256: string) => ({
    id,
    workshopId,
    title: name,
    language: 'en',
    mediaType: 'application/pdf',
    sha256,
    audience: 'public',
  });
  const slidesId = randomUUID();
  for (const body of [
    material(slidesId, 'Update check slides', v1.sha256),
    material(randomUUID(), 'Steady notes', steady.sha256),
  ]) {
    const saved = await request.put(`/api/v1/materials/${body.id}`, { headers, data: body });
    expect(saved.status(), await saved.text()).toBe(200);
  }

  const fetched: string[] = [];
  await context.route('**/api/v1/files/**', async (route) => {
    fetched.push(route.request().url().split('/').pop()!);
    await route.continue();
  });
  await page.goto('/');
  await waitForServiceWorker(page);
  await page.getByRole('link', { name: title }).click();
  const pack = page.getByRole('region', { name: 'Materials' });
  await pack.getByRole('button', { name: /Download all for offline/ }).click();
  await expect(pack.getByText('On this phone, opens offline')).toHaveCount(2);
  const slides = pack.locator('.material').filter({ hasText: 'Update check slides' });
  const [viewer] = await Promise.all([
    context.waitForEvent('page'),
    slides.getByRole('link', { name: 'Open Update check slides' }).click(),
  ]);
  await viewer.close();

  // The coordinator replaces the slides' file: a new sha256, version 2.
  const replaced = await request.put(`/api/v1/materials/${slidesId}`, {
    headers,
    data: material(slidesId, 'Update check slides', v2.sha256),
  });
  expect(((await replaced.json()) as { materialVersion: number }).materialVersion).toBe(2);

  await page.reload();
  await expect(slides.getByText('Updated')).toBeVisible();
  await expect(slides).toContainText('An older version is on this phone. The new one: 2.7 kB to download.');
  await expect(pack).toContainText('2.7 kB to download for offline use (1 file;');
  // Until the new version is here, the old one still opens.
  await expect(slides.getByRole('link', { name: 'Open Update check slides' })).toBeVisible();
  expect((await storedSha(page, v1.sha256))?.sha256).toBe(v1.sha256);

  fetched.length = 0;
  await pack.getByRole('button', { name: 'Download all for offline (2.7 kB)' }).click();
  await expect(pack.getByText('On this phone, opens offline')).toHaveCount(2);
  expect(new Set(fetched)).toEqual(new Set([v2.sha256]));
  expect((await storedSha(page, v2.sha256))?.sha256).toBe(v2.sha256);
  expect(await storedSha(page, v1.sha256)).toBeNull();
  expect((await storedSha(page, steady.sha256))?.sha256).toBe(steady.sha256);

  // Opening the new version clears the mark.
  const [again] = await Promise.all([
    context.waitForEvent('page'),
    slides.getByRole('link', { name: 'Open Update check slides' }).click(),
  ]);
  await again.close();
  await expect(slides.getByText('Updated')).toHaveCount(0);
});

test('installability: manifest fields, icons and a controlling service worker', async ({ page, context, request }) => {
  await page.goto('/');
  await waitForServiceWorker(page);
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  const manifestHref = await page.locator('link[rel="manifest"]').getAttribute('href');
  const response = await request.get(manifestHref!);
  expect(response.ok()).toBe(true);
  const manifest = (await response.json()) as {
    name: string;
    short_name: string;
    start_url: string;
    display: string;
    icons: { src: string; sizes: string; type: string; purpose?: string }[];
  };
  expect(manifest).toMatchObject({ name: 'Vaka', short_name: 'Vaka', start_url: '/', display: 'standalone' });
  for (const size of ['192x192', '512x512']) {
    const icon = manifest.icons.find((i) => i.sizes === size && (i.purpose ?? 'any').includes('any'));
    expect(icon, size).toBeDefined();
    const png = await request.get(icon!.src);
    expect(png.headers()['content-type']).toBe('image/png');
  }
  const cdp = await context.newCDPSession(page);
  const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as {
    installabilityErrors: { errorId: string }[];
  };
  // Test browser contexts are off-the-record profiles, where Chromium never offers installation.
  expect(installabilityErrors.map((e) => e.errorId).filter((id) => id !== 'in-incognito')).toEqual([]);
});

test('search and storage screens pass axe and fit 360 px, also in Persian', async ({ page }) => {
  await page.goto('/');
  await demoWorkshopLink(page);
  await page.goto('/search?q=kyoto');
  await expect(page.getByRole('link', { name: 'Revised Kyoto Convention (RKC)' })).toBeVisible();
  await expectNoSeriousViolations(page, 'search results');
  await page.goto('/storage');
  await expect(page.getByRole('heading', { level: 2, name: 'Records not sent yet' })).toBeVisible();
  await expect(page.getByText('Everything you recorded has reached the regional office.')).toBeVisible();
  await expectNoSeriousViolations(page, 'storage');

  await page.goto('/settings');
  await page.getByLabel('فارسی').check();
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await page.getByRole('link', { name: 'جست‌وجو' }).click();
  await page.getByLabel(/جست‌وجو در برنامه‌ها/).fill('HS');
  await expect(page.getByRole('status').filter({ hasText: 'نتیجه' })).toBeVisible();
  await expectNoHorizontalScroll(page, 'search (fa)');
  await expectNoSeriousViolations(page, 'search (fa)');
  await page.goto('/storage');
  await expect(page.getByRole('heading', { level: 1, name: 'حافظه و دانلودها' })).toBeVisible();
  await expectNoHorizontalScroll(page, 'storage (fa)');
});
