/**
 * Browser faults (issue #9), in Chromium against the real server:
 *   - the page is closed while its sync request is on the wire, either
 *     before the server got it or after the server committed it but before
 *     the answer came back. Reopened, the app still has the queued write in
 *     IndexedDB, sends it again, and the server has the record exactly once;
 *   - the network goes away in the middle of a material download: the chunks
 *     that arrived stay, and when the network is back the download resumes
 *     from the next byte (not from zero) to a file with the right sha256;
 *   - the storage quota is full, before a download (the estimate refuses it)
 *     and in the middle of one (other data fills the disk between two
 *     chunks): a clear message, and no half-written file left behind.
 * Requests are held or cut with context.route, which also catches the
 * service worker's own requests (Chromium). The full disk is emulated in the
 * page (see emulateDisk): this Chromium ignores the DevTools quota override.
 *
 * A coordinator account is written into the server's database (as the
 * operator CLI does); everything else goes through the API and the app.
 */
import { expect, test, type APIRequestContext, type BrowserContext, type Page, type Route } from '@playwright/test';
import Database from 'better-sqlite3';
import path from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { hashPassword } from '../../src/server/auth/tokens';
import { waitForServiceWorker } from './helpers';

/** The server's SQLite file, as playwright.config.ts lays it out for this port. */
function serverDbPath(baseURL: string): string {
  return path.resolve(`.tmp/e2e-data-${new URL(baseURL).port}/vaka.db`);
}

function withServerDb<T>(baseURL: string, fn: (db: Database.Database) => T): T {
  const db = new Database(serverDbPath(baseURL));
  db.pragma('busy_timeout = 5000');
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

interface Enrolled {
  participantId: string;
  workshopId: string;
}

/** The first workshop of the demo content. */
function demoWorkshopId(baseURL: string): string {
  return withServerDb(baseURL, (db) => {
    const row = db
      .prepare("SELECT id FROM records WHERE collection = 'workshops' AND deleted = 0 ORDER BY id LIMIT 1")
      .get() as { id: string } | undefined;
    if (!row) throw new Error('the demo content has no workshop');
    return row.id;
  });
}

/** One coordinator session for the whole file: sign-ins are rate-limited per address (10 a minute by default). */
let session: Promise<Record<string, string>> | null = null;

/** A coordinator account, signed in; returns the API headers. */
function coordinator(request: APIRequestContext, baseURL: string): Promise<Record<string, string>> {
  session ??= signIn(request, baseURL).catch((err: unknown) => {
    session = null;
    throw err;
  });
  return session;
}

async function signIn(request: APIRequestContext, baseURL: string): Promise<Record<string, string>> {
  const email = `faults-${randomUUID().slice(0, 8)}@example.org`;
  const password = 'correct horse battery staple';
  const passwordHash = await hashPassword(password);
  withServerDb(baseURL, (db) =>
    db
      .prepare(
        'INSERT INTO coordinators (id, email, name, password_hash, created_at, disabled_at) VALUES (?, ?, ?, ?, ?, NULL)',
      )
      .run(randomUUID(), email, 'Fault tests', passwordHash, new Date().toISOString()),
  );
  const login = await request.post('/api/v1/auth/login', { data: { email, password } });
  expect(login.status(), await login.text()).toBe(200);
  const { token } = (await login.json()) as { token: string };
  return { authorization: `Bearer ${token}` };
}

/** A new participant on the demo workshop, enrolled on this browser through the enrolment screen. */
async function enrolNewParticipant(page: Page, request: APIRequestContext, baseURL: string): Promise<Enrolled> {
  const workshopId = demoWorkshopId(baseURL);
  const headers = await coordinator(request, baseURL);
  const created = await request.post('/api/v1/participants', {
    headers,
    data: { participant: { fullName: 'Losa Fault', memberCode: 'WS', email: null }, workshopIds: [workshopId] },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { id: participantId } = (await created.json()) as { id: string };
  const issued = await request.post(`/api/v1/participants/${participantId}/enrolment-codes`, { headers });
  expect(issued.status()).toBe(201);
  const { code } = (await issued.json()) as { code: string };

  await page.goto('/enrol');
  await waitForServiceWorker(page);
  await page.getByLabel('Enrolment code').fill(code);
  await page.getByRole('button', { name: 'Enrol' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Your workshops' })).toBeVisible();
  return { participantId, workshopId };
}

/** How many mutations a sync request carries (its body may be gzipped). */
function mutationCount(route: Route): number {
  const raw = route.request().postDataBuffer();
  if (!raw) return 0;
  const gzipped = route.request().headers()['content-encoding'] === 'gzip';
  const body = JSON.parse((gzipped ? gunzipSync(raw) : raw).toString('utf8')) as { mutations?: unknown[] };
  return body.mutations?.length ?? 0;
}

/**
 * Holds every sync request that pushes mutations (page and service worker)
 * until released. Pull-only syncs pass: holding one would keep the sync lock
 * and the push would never start.
 */
class SyncGate {
  readonly held: Route[] = [];
  private holding = true;

  static async install(context: BrowserContext): Promise<SyncGate> {
    const gate = new SyncGate();
    await context.route('**/api/v1/sync', async (route) => {
      if (gate.holding && mutationCount(route) > 0) gate.held.push(route);
      else await route.continue();
    });
    return gate;
  }

  async waitForRequest(): Promise<Route> {
    await expect.poll(() => this.held.length, { timeout: 20_000 }).toBeGreaterThan(0);
    return this.held.shift()!;
  }

  /** Lets held and future requests through. */
  async release(): Promise<void> {
    this.holding = false;
    for (const route of this.held.splice(0)) await route.continue().catch(() => {});
  }

  /** Fails the held requests as a dropped connection would. */
  async dropHeld(): Promise<void> {
    for (const route of this.held.splice(0)) await route.abort('connectionreset').catch(() => {});
  }
}

interface LocalState {
  outbox: { mid: number; op: string; recordId: string }[];
  actions: { id: string; description: string }[];
}

/** Reads the app's IndexedDB directly, so the test sees what survived and not what the UI renders. */
async function localState(page: Page): Promise<LocalState> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('vaka');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const all = <T>(store: string) =>
      new Promise<T[]>((resolve, reject) => {
        const req = db.transaction(store, 'readonly').objectStore(store).getAll();
        req.onsuccess = () => resolve(req.result as T[]);
        req.onerror = () => reject(req.error);
      });
    const outbox = await all<{ mid: number; op: string; recordId: string }>('outbox');
    const actions = await all<{ id: string; description: string; _deleted: boolean }>('followUpActions');
    db.close();
    return {
      outbox: outbox.map((e) => ({ mid: e.mid, op: e.op, recordId: e.recordId })),
      actions: actions.filter((a) => !a._deleted).map((a) => ({ id: a.id, description: a.description })),
    };
  });
}

function serverCopies(baseURL: string, participantId: string, description: string) {
  return withServerDb(baseURL, (db) => {
    const records = db
      .prepare(
        "SELECT id FROM records WHERE collection = 'followUpActions' AND owner_participant_id = ? AND data LIKE ?",
      )
      .all(participantId, `%${description}%`) as { id: string }[];
    const device = db.prepare('SELECT id, last_mid FROM devices WHERE participant_id = ?').get(participantId) as
      { id: string; last_mid: number } | undefined;
    const results = device
      ? (db.prepare('SELECT COUNT(*) AS n FROM mutation_results WHERE device_id = ?').get(device.id) as { n: number }).n
      : 0;
    return { records: records.map((r) => r.id), lastMid: device?.last_mid ?? 0, results };
  });
}

async function logAction(page: Page, workshopId: string, description: string): Promise<void> {
  await page.goto(`/workshops/${workshopId}/follow-up/new`);
  await page.getByRole('radio', { name: 'Other action' }).check();
  await page.getByLabel('Short description').fill(description);
  await page.getByRole('button', { name: 'Save' }).click();
}

for (const when of ['before the server got it', 'after the server committed it'] as const) {
  test(`closing the page during a sync (${when}) loses nothing and duplicates nothing`, async ({
    page,
    context,
    request,
    baseURL,
  }) => {
    const { participantId, workshopId } = await enrolNewParticipant(page, request, baseURL!);
    // Let the enrolment's own syncs finish before the gate goes up.
    await expect.poll(async () => (await localState(page)).outbox.length).toBe(0);
    const gate = await SyncGate.install(context);

    const description = `Closed mid-sync ${randomUUID()}`;
    await logAction(page, workshopId, description);
    const inFlight = await gate.waitForRequest();
    const queued = await localState(page);
    const entry = queued.outbox.find((e) => e.op === 'create');
    expect(entry, 'the write is queued').toBeDefined();

    if (when === 'after the server committed it') {
      // The request reaches the server and commits; its answer never reaches the page.
      const answer = await inFlight.fetch();
      expect(answer.status()).toBe(200);
      expect(serverCopies(baseURL!, participantId, description).records).toHaveLength(1);
    }
    await page.close();
    await inFlight.abort('connectionreset').catch(() => {});
    await gate.dropHeld();

    // Reopened with the gate still up: the queued write is intact in IndexedDB.
    const again = await context.newPage();
    await again.goto('/');
    const reopened = await localState(again);
    expect(reopened.outbox).toContainEqual(entry);
    expect(reopened.actions).toContainEqual({ id: entry!.recordId, description });

    // The network is back: the app sends the queue once and empties it.
    await gate.release();
    await again.reload();
    await expect.poll(async () => (await localState(again)).outbox.length, { timeout: 30_000 }).toBe(0);
    const server = serverCopies(baseURL!, participantId, description);
    expect(server.records, 'the record is on the server exactly once').toEqual([entry!.recordId]);
    expect(server.lastMid).toBe(entry!.mid);
    expect(server.results).toBe(entry!.mid);
    expect((await localState(again)).actions).toContainEqual({ id: entry!.recordId, description });
  });
}

// ---- Material downloads ----

const CHUNK = 1024 * 1024;

interface Published {
  id: string;
  title: string;
  sha256: string;
  bytes: number;
}

/** Uploads a PDF-signed file of `bytes` otherwise incompressible bytes (tus) and publishes it as a public material of the demo workshop. */
async function publishMaterial(request: APIRequestContext, baseURL: string, bytes: number): Promise<Published> {
  const headers = await coordinator(request, baseURL);
  const body = Buffer.alloc(bytes);
  let x = 0x9e3779b9;
  for (let i = 0; i < bytes; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    body[i] = x & 0xff;
  }
  // A PDF's signature first: the server checks the content against the declared type (docs/security.md).
  body.write('%PDF-1.7\n', 0, 'latin1');
  const sha256 = createHash('sha256').update(body).digest('hex');
  const b64 = (v: string) => Buffer.from(v).toString('base64');
  const tus = { ...headers, 'tus-resumable': '1.0.0' };
  const created = await request.post('/api/v1/uploads', {
    headers: {
      ...tus,
      'upload-length': String(bytes),
      'upload-metadata': `sha256 ${b64(sha256)},filetype ${b64('application/pdf')}`,
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const location = new URL(created.headers().location!, `${baseURL}/api/v1/uploads/`).pathname;
  const sent = await request.patch(location, {
    headers: { ...tus, 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
    data: body,
  });
  expect(sent.status(), await sent.text()).toBe(204);
  const id = randomUUID();
  const title = `Fault handbook ${id.slice(0, 8)}`;
  const published = await request.put(`/api/v1/materials/${id}`, {
    headers,
    data: {
      id,
      workshopId: demoWorkshopId(baseURL),
      title,
      language: 'en',
      mediaType: 'application/pdf',
      sha256,
      audience: 'public',
    },
  });
  expect(published.status(), await published.text()).toBe(200);
  return { id, title, sha256, bytes };
}

interface FileOnPhone {
  file: { receivedBytes: number; state: string } | null;
  chunks: { offset: number; size: number }[];
  /** sha256 of the chunks put together, in offset order. */
  assembled: string;
}

async function fileOnPhone(page: Page, sha256: string): Promise<FileOnPhone> {
  return page.evaluate(async (sha) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('vaka');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const read = <T>(store: string, fn: (s: IDBObjectStore) => IDBRequest) =>
      new Promise<T>((resolve, reject) => {
        const req = fn(db.transaction(store, 'readonly').objectStore(store));
        req.onsuccess = () => resolve(req.result as T);
        req.onerror = () => reject(req.error);
      });
    const file = await read<{ receivedBytes: number; state: string } | undefined>('files', (s) => s.get(sha));
    const chunks = (
      await read<{ offset: number; size: number; blob: Blob }[]>('fileChunks', (s) => s.index('sha256').getAll(sha))
    ).sort((a, b) => a.offset - b.offset);
    db.close();
    const bytes = await new Blob(chunks.map((c) => c.blob)).arrayBuffer();
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
    return {
      file: file ? { receivedBytes: file.receivedBytes, state: file.state } : null,
      chunks: chunks.map((c) => ({ offset: c.offset, size: c.size })),
      assembled: [...digest].map((b) => b.toString(16).padStart(2, '0')).join(''),
    };
  }, sha256);
}

/** The chunks cover [0, receivedBytes) with no gap or overlap. */
function expectContiguous(state: FileOnPhone): void {
  let at = 0;
  for (const c of state.chunks) {
    expect(c.offset).toBe(at);
    at += c.size;
  }
  expect(at).toBe(state.file?.receivedBytes ?? 0);
}

/** Opens the material's screen once the first sync has brought it to the phone. */
async function openMaterial(page: Page, m: Published): Promise<void> {
  await page.goto('/');
  await waitForServiceWorker(page);
  // Polls IndexedDB without navigating: a reload would cut the sync that is bringing the material.
  await expect
    .poll(
      () =>
        page.evaluate(async (id) => {
          const db = await new Promise<IDBDatabase>((resolve, reject) => {
            const req = indexedDB.open('vaka');
            req.onsuccess = () => resolve(req.result);
            req.onerror = () => reject(req.error);
          });
          const found = await new Promise<boolean>((resolve) => {
            const req = db.transaction('materials', 'readonly').objectStore('materials').get(id);
            req.onsuccess = () => resolve(req.result !== undefined);
            req.onerror = () => resolve(false);
          });
          db.close();
          return found;
        }, m.id),
      { timeout: 30_000 },
    )
    .toBe(true);
  await page.goto(`/materials/${m.id}`);
  await expect(page.getByRole('heading', { level: 1, name: m.title })).toBeVisible();
}

test('a download cut by a lost network resumes from the next byte to the right sha256', async ({
  page,
  context,
  request,
  baseURL,
}) => {
  const m = await publishMaterial(request, baseURL!, 2 * CHUNK + CHUNK / 2);
  const ranges: string[] = [];
  let cut = false;
  await context.route(`**/api/v1/files/${m.sha256}`, async (route) => {
    ranges.push(route.request().headers().range ?? 'whole file');
    if (!cut && ranges.length === 2) {
      // The link drops while the second chunk is on its way.
      cut = true;
      await context.setOffline(true);
      await route.abort('internetdisconnected');
      return;
    }
    await route.continue();
  });
  await openMaterial(page, m);
  await page.getByRole('button', { name: `Download ${m.title}` }).click();

  await expect(page.getByText('Stopped: no connection. It will carry on from where it stopped.')).toBeVisible();
  const partial = await fileOnPhone(page, m.sha256);
  expect(partial.file).toEqual({ receivedBytes: CHUNK, state: 'partial' });
  expectContiguous(partial);

  await context.setOffline(false);
  await expect.poll(async () => (await fileOnPhone(page, m.sha256)).file?.state, { timeout: 30_000 }).toBe('complete');
  const done = await fileOnPhone(page, m.sha256);
  expectContiguous(done);
  expect(done.file?.receivedBytes).toBe(m.bytes);
  expect(done.assembled).toBe(m.sha256);
  // It picked up at the first missing byte instead of starting over.
  expect(ranges[0]).toBe(`bytes=0-${CHUNK - 1}`);
  expect(ranges.slice(2)).toEqual([`bytes=${CHUNK}-${2 * CHUNK - 1}`, `bytes=${2 * CHUNK}-${m.bytes - 1}`]);
  await expect(page.getByText('On this phone, opens offline')).toBeVisible();
});

/**
 * A full disk, emulated in the page: this Chromium ignores the DevTools
 * quota override (Storage.overrideQuotaForOrigin changes neither
 * navigator.storage.estimate nor what IndexedDB accepts), and filling the
 * real quota would take gigabytes. So the estimate reports the room the test
 * sets, and once the disk is "full" IndexedDB refuses new file chunks with
 * the QuotaExceededError DOMException a real full disk raises.
 */
async function emulateDisk(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const disk = { freeBytes: null as number | null, full: false };
    Object.defineProperty(window, '__vakaDisk', { value: disk });
    const storage = navigator.storage;
    const realEstimate = storage.estimate.bind(storage);
    Object.defineProperty(storage, 'estimate', {
      value: async () => {
        const e = await realEstimate();
        return disk.freeBytes === null ? e : { ...e, quota: (e.usage ?? 0) + disk.freeBytes };
      },
    });
    for (const method of ['put', 'add'] as const) {
      const real = IDBObjectStore.prototype[method];
      IDBObjectStore.prototype[method] = function (this: IDBObjectStore, ...args: [unknown, IDBValidKey?]) {
        if (disk.full && this.name === 'fileChunks')
          throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        return real.apply(this, args);
      };
    }
  });
}

async function setDisk(page: Page, state: { freeBytes?: number | null; full?: boolean }): Promise<void> {
  await page.evaluate((next) => {
    const disk = (window as unknown as { __vakaDisk: { freeBytes: number | null; full: boolean } }).__vakaDisk;
    Object.assign(disk, next);
  }, state);
}

test('a full disk refuses a download up front with a clear message and writes nothing', async ({
  page,
  context,
  request,
  baseURL,
}) => {
  await emulateDisk(context);
  const m = await publishMaterial(request, baseURL!, 2 * CHUNK);
  await openMaterial(page, m);
  await setDisk(page, { freeBytes: CHUNK });
  await page.getByRole('button', { name: `Download ${m.title}` }).click();
  await expect(page.getByText("Stopped: this phone's storage is full.")).toBeVisible();
  const state = await fileOnPhone(page, m.sha256);
  expect(state.chunks).toEqual([]);
  expect(state.file?.receivedBytes ?? 0).toBe(0);
});

test('a disk that fills up between two chunks stops the download with a clear message and keeps no half file', async ({
  page,
  context,
  request,
  baseURL,
}) => {
  await emulateDisk(context);
  const m = await publishMaterial(request, baseURL!, 3 * CHUNK);
  let held: Route | null = null;
  let requests = 0;
  await context.route(`**/api/v1/files/${m.sha256}`, async (route) => {
    if (++requests === 2) held = route;
    else await route.continue();
  });
  await openMaterial(page, m);
  await page.getByRole('button', { name: `Download ${m.title}` }).click();
  await expect.poll(() => held !== null, { timeout: 20_000 }).toBe(true);
  const first = await fileOnPhone(page, m.sha256);
  expect(first.file).toEqual({ receivedBytes: CHUNK, state: 'partial' });

  // Something else takes the last free bytes while the second chunk is on its way.
  await setDisk(page, { full: true });
  await (held as Route | null)?.continue();
  await expect(page.getByText("Stopped: this phone's storage is full.")).toBeVisible({ timeout: 30_000 });
  const state = await fileOnPhone(page, m.sha256);
  expect(state.chunks, 'the half-downloaded file gave its space back').toEqual([]);
  expect(state.file?.state ?? 'partial').toBe('partial');
  expect(state.file?.receivedBytes ?? 0).toBe(0);

  // Space freed: the same button fetches the whole file, intact.
  await setDisk(page, { full: false });
  await page.getByRole('button', { name: `Try again ${m.title}` }).click();
  await expect.poll(async () => (await fileOnPhone(page, m.sha256)).file?.state, { timeout: 30_000 }).toBe('complete');
  expect((await fileOnPhone(page, m.sha256)).assembled).toBe(m.sha256);
});
