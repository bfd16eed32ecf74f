/**
 * Security in the real browser against the real server (issue #9;
 * docs/security.md, "Security checks (OWASP ASVS L2)"):
 *
 * - Stored XSS (ASVS 5.0.0 V1.2.1, V1.2.2, V1.3.5, V3.2.2): a workshop
 *   title, summary and venue, an agenda session, a material title, a tool
 *   summary's title, tags and Markdown body, a participant's name, and a
 *   follow-up note with its evidence file name all carry
 *   `<img src=x onerror=alert(1)>`, `<script>` and friends. Every
 *   participant and coordinator screen that shows them renders them as
 *   text: no dialog opens, no img/script/iframe/svg from content and no
 *   javascript: link is in the DOM, nothing trips the content security
 *   policy, and the text itself is visible as typed.
 * - No secret in any URL (ASVS 5.0.0 V14.2.1): every request the built app
 *   and its service worker make while enrolling from a link, syncing and
 *   signing in is recorded; none carries the device token, the session
 *   token, the enrolment code or the password in its URL, none has a query
 *   parameter named like a secret, and the tokens travel in the
 *   Authorization header. The built bundle builds no such URL either.
 */
import { expect, test, type APIRequestContext, type BrowserContext, type Page, type Request } from '@playwright/test';
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { addDays, addMonths, dateInZone } from '../../src/shared/domain/time-zones';
import { PROTOCOL_VERSION } from '../../src/shared/sync/protocol';
import { hashPassword } from '../../src/server/auth/tokens';
import { coordinatorToken, waitForServiceWorker } from './helpers';

test.describe.configure({ mode: 'serial' });

const XSS = '<img src=x onerror=alert(1)> <script>alert(2)</script>';
const MARKDOWN = [
  '## Heading <img src=x onerror=alert(3)>',
  '',
  '<script>alert(4)</script>',
  '',
  '<img src=x onerror=alert(5)>',
  '',
  'A [script link](javascript:alert(6)) and a [data link](data:text/html,alert7).',
  '',
  '<svg onload=alert(8)></svg> <iframe src="javascript:alert(9)"></iframe> <a href="javascript:alert(10)">raw</a>',
  '',
  '![picture](x" onerror="alert(11))',
].join('\n');

/** Query parameter names that would carry a secret. */
const SECRET_NAME = /token|code|key|secret|pass(word)?|session|auth|credential|bearer|jwt|sig/i;

const demo = JSON.parse(fs.readFileSync('src/server/content/demo/workshops-2021-22.json', 'utf8')) as {
  materials: { sha256: string; mediaType: string; byteSize: number }[];
};

interface Content {
  token: string;
  workshopId: string;
  workshopTitle: string;
  participantId: string;
  participantName: string;
  toolId: string;
  toolSlug: string;
  materialId: string;
  actionId: string;
  code: string;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A tus upload in two requests, as the app's own client makes them. */
async function tusUpload(request: APIRequestContext, token: string, bytes: Buffer, name: string): Promise<string> {
  const meta = (v: string) => Buffer.from(v).toString('base64');
  const digest = sha256(bytes);
  const created = await request.post('/api/v1/uploads', {
    headers: {
      authorization: `Bearer ${token}`,
      'tus-resumable': '1.0.0',
      'upload-length': String(bytes.length),
      'upload-metadata': `filename ${meta(name)},filetype ${meta('image/jpeg')},sha256 ${meta(digest)}`,
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const location = created.headers()['location']!;
  const patched = await request.patch(location, {
    headers: {
      authorization: `Bearer ${token}`,
      'tus-resumable': '1.0.0',
      'upload-offset': '0',
      'content-type': 'application/offset+octet-stream',
    },
    data: bytes,
  });
  expect(patched.status(), await patched.text()).toBe(204);
  return digest;
}

/** Publishes every kind of text a screen shows, each carrying script, through the real API. */
async function publishHostileContent(request: APIRequestContext, baseURL: string): Promise<Content> {
  const token = await coordinatorToken(request, baseURL);
  const auth = { authorization: `Bearer ${token}` };
  const ok = async (res: Awaited<ReturnType<APIRequestContext['put']>>) =>
    expect(res.status(), await res.text()).toBeLessThan(300);

  const today = dateInZone(new Date(), 'Pacific/Fiji');
  const endDate = addDays(addMonths(today, -6), -2);
  const workshopId = randomUUID();
  const workshopTitle = `Stored XSS check ${XSS}`;
  await ok(
    await request.put(`/api/v1/workshops/${workshopId}`, {
      headers: auth,
      data: {
        id: workshopId,
        title: workshopTitle,
        kind: 'national',
        topic: `Topic ${XSS}`,
        summary: `Summary ${XSS}`,
        startDate: addDays(endDate, -2),
        endDate,
        timeZone: 'Pacific/Fiji',
        mode: 'in-person',
        venue: { city: `Suva ${XSS}`, country: 'Fiji' },
        organisers: [`ROCB A/P ${XSS}`],
      },
    }),
  );
  const sessionId = randomUUID();
  await ok(
    await request.put(`/api/v1/agenda-sessions/${sessionId}`, {
      headers: auth,
      data: {
        id: sessionId,
        workshopId,
        date: endDate,
        start: '09:00',
        end: '10:30',
        title: `Session ${XSS}`,
        description: `Description ${XSS}`,
        speakers: [`Speaker ${XSS}`],
        room: `Room ${XSS}`,
      },
    }),
  );
  // A material naming a file the demo content already holds.
  const file = demo.materials[0]!;
  const materialId = randomUUID();
  await ok(
    await request.put(`/api/v1/materials/${materialId}`, {
      headers: auth,
      data: {
        id: materialId,
        workshopId,
        title: `Material ${XSS}`,
        language: 'en',
        mediaType: file.mediaType,
        sha256: file.sha256,
        audience: 'public',
      },
    }),
  );
  const toolId = randomUUID();
  const toolSlug = `xss-check-${toolId.slice(0, 8)}`;
  await ok(
    await request.put(`/api/v1/tool-summaries/${toolId}`, {
      headers: auth,
      data: {
        id: toolId,
        slug: toolSlug,
        title: `XSS tool ${XSS}`,
        body: MARKDOWN,
        officialUrl: 'https://www.wcoomd.org/',
        tags: [XSS],
      },
    }),
  );
  const participantName = `Mele ${XSS}`;
  const participant = await request.post('/api/v1/participants', {
    headers: auth,
    data: { participant: { fullName: participantName, memberCode: 'TO', email: null }, workshopIds: [workshopId] },
  });
  expect(participant.status(), await participant.text()).toBe(201);
  const participantId = ((await participant.json()) as { id: string }).id;
  const issue = async () => {
    const res = await request.post(`/api/v1/participants/${participantId}/enrolment-codes`, { headers: auth });
    expect(res.status()).toBe(201);
    return ((await res.json()) as { code: string }).code;
  };

  // The participant's other phone writes a follow-up note with an evidence file; the browser phone pulls it.
  const other = await request.post('/api/v1/enroll', { data: { code: await issue(), deviceName: 'other phone' } });
  expect(other.status()).toBe(200);
  const otherToken = ((await other.json()) as { deviceToken: string }).deviceToken;
  // A JPEG's signature first: the server checks the content against the declared type.
  const picture = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from(`JFIF evidence ${randomUUID()}`)]);
  const evidenceSha = await tusUpload(request, otherToken, picture, 'evidence.jpg');
  const actionId = randomUUID();
  const pushed = await request.post('/api/v1/sync', {
    headers: { authorization: `Bearer ${otherToken}` },
    data: {
      protocol: PROTOCOL_VERSION,
      epoch: null,
      cursors: {},
      mutations: [
        {
          mid: 1,
          op: 'create',
          collection: 'followUpActions',
          recordId: actionId,
          fields: {
            participantId,
            workshopId,
            kind: 'share-materials',
            date: endDate,
            description: `Note ${XSS}`,
            audience: `Audience ${XSS}`,
            channel: 'intranet',
            evidence: [
              {
                sha256: evidenceSha,
                name: `"><img src=x onerror=alert(12)>.jpg`,
                mediaType: 'image/jpeg',
                byteSize: picture.length,
              },
            ],
          },
        },
      ],
    },
  });
  expect(await pushed.text()).toContain('applied');
  return {
    token,
    workshopId,
    workshopTitle,
    participantId,
    participantName,
    toolId,
    toolSlug,
    materialId,
    actionId,
    code: await issue(),
  };
}

interface Recorded {
  url: string;
  request: Request;
}

let context: BrowserContext;
let page: Page;
let content: Content;
const dialogs: string[] = [];
const requests: Recorded[] = [];
const secrets: Record<string, string> = {};

test.beforeAll(async ({ browser, baseURL }) => {
  context = await browser.newContext();
  // Any script that content managed to run would show up here, and so would anything the policy blocked.
  await context.addInitScript(() => {
    const w = window as unknown as { __cspViolations: string[] };
    w.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      w.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`),
    );
  });
  // Page and service-worker requests alike.
  context.on('request', (request) => requests.push({ url: request.url(), request }));
  page = await context.newPage();
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  content = await publishHostileContent(page.request, baseURL!);
});

test.afterAll(async () => {
  await context.close();
});

/** The current screen shows content as text: nothing from it became markup, ran, or tripped the policy. */
async function expectInert(screen: string, visible: string | RegExp = XSS): Promise<void> {
  await expect(page.getByText(visible).first(), `${screen}: the hostile text is shown as text`).toBeVisible();
  const found = await page.evaluate(() => ({
    imgFromContent: [...document.querySelectorAll('img')].filter((i) => /^x\b/.test(i.getAttribute('src') ?? ''))
      .length,
    handlers: document.querySelectorAll('[onerror],[onload],[onclick],[onmouseover]').length,
    inlineScripts: [...document.scripts].filter((s) => !s.src).length,
    frames: document.querySelectorAll('iframe, object, embed, frame').length,
    svgFromContent: document.querySelectorAll('svg[onload]').length,
    scriptLinks: [...document.querySelectorAll('a[href], area[href]')]
      .map((a) => a.getAttribute('href') ?? '')
      .filter((h) => /^\s*(javascript|data|vbscript):/i.test(h)),
    // Nothing at all may break the policy, the app included (zod runs without eval in the browser).
    violations: (window as unknown as { __cspViolations: string[] }).__cspViolations,
  }));
  expect(found, screen).toEqual({
    imgFromContent: 0,
    handlers: 0,
    inlineScripts: 0,
    frames: 0,
    svgFromContent: 0,
    scriptLinks: [],
    violations: [],
  });
  expect(dialogs, `${screen}: a dialog opened`).toEqual([]);
}

test('a phone enrolled from a link shows hostile content as text on every screen', async () => {
  const enrolled = page.waitForResponse((r) => r.url().endsWith('/api/v1/enroll') && r.status() === 200);
  // The link a coordinator shares: the code rides in the fragment.
  await page.goto(`/enrol#code=${content.code.replace(/-/g, '')}`);
  await expect(page).toHaveURL(/\/enrol$/);
  await page.getByRole('button', { name: 'Enrol', exact: true }).click();
  secrets.deviceToken = ((await (await enrolled).json()) as { deviceToken: string }).deviceToken;
  secrets.code = content.code;
  secrets.codePlain = content.code.replace(/-/g, '');
  await expect(page.getByRole('heading', { level: 1, name: 'Your workshops' })).toBeVisible({ timeout: 30_000 });
  await waitForServiceWorker(page);

  await page.goto('/');
  await expectInert('workshop list', content.workshopTitle);
  await page.goto(`/workshops/${content.workshopId}`);
  await expectInert('workshop page', content.workshopTitle);
  await expect(page.getByText(`Material ${XSS}`).first()).toBeVisible();
  await expect(page.getByText(`Session ${XSS}`).first()).toBeVisible();
  await page.goto(`/materials/${content.materialId}`);
  await expectInert('material page', `Material ${XSS}`);
  await page.goto(`/workshops/${content.workshopId}/follow-up`);
  await expectInert('follow-up log', `Note ${XSS}`);
  await page.goto(`/workshops/${content.workshopId}/follow-up/${content.actionId}`);
  await expectInert('follow-up note', /onerror=alert\(12\)/);
  await page.goto('/tools');
  await expectInert('tool list', `XSS tool ${XSS}`);
  await page.goto(`/tools/${content.toolSlug}`);
  await expectInert('tool summary', `XSS tool ${XSS}`);
  // The Markdown's raw HTML shows as text too, and its script links are not links.
  await expect(page.getByText('<script>alert(4)</script>').first()).toBeVisible();
  await page.goto(`/search?q=${encodeURIComponent('Stored XSS')}`);
  await expectInert('search', content.workshopTitle);
});

test('the coordinator workspace shows the same content as text on every screen', async ({ baseURL }) => {
  const email = `xss-${randomUUID().slice(0, 8)}@example.org`;
  const password = `e2e ${randomUUID()}`;
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(path.resolve(`.tmp/e2e-data-${new URL(baseURL!).port}/vaka.db`));
  try {
    db.pragma('busy_timeout = 5000');
    db.prepare(
      'INSERT INTO coordinators (id, email, name, password_hash, created_at, disabled_at) VALUES (?, ?, ?, ?, ?, NULL)',
    ).run(randomUUID(), email, 'XSS check', await hashPassword(password), new Date().toISOString());
  } finally {
    db.close();
  }
  secrets.password = password;
  const signedIn = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login') && r.status() === 200);
  await page.goto('/coordinator');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  secrets.sessionToken = ((await (await signedIn).json()) as { token: string }).token;
  await expect(page.getByRole('heading', { level: 1, name: 'Workshops' })).toBeVisible();

  await expectInert('coordinator workshop list', content.workshopTitle);
  for (const tab of ['', '/agenda', '/materials', '/roster', '/replies']) {
    await page.goto(`/coordinator/workshops/${content.workshopId}${tab}`);
    const shown =
      tab === '/agenda'
        ? `Session ${XSS}`
        : tab === '/materials'
          ? `Material ${XSS}`
          : tab === '/roster' || tab === '/replies'
            ? content.participantName
            : content.workshopTitle;
    await expectInert(`coordinator workshop ${tab || 'details'}`, shown);
  }
  await page.goto('/coordinator/tools');
  await expectInert('coordinator tool list', `XSS tool ${XSS}`);
  await page.goto(`/coordinator/tools/${content.toolId}`);
  // The editor's preview renders the Markdown the way phones do.
  await expectInert('coordinator tool editor', '<script>alert(4)</script>');
});

test('no token, code or password ever travels in a URL; tokens go in the Authorization header', async () => {
  expect(Object.keys(secrets).sort()).toEqual(['code', 'codePlain', 'deviceToken', 'password', 'sessionToken']);
  expect(requests.length).toBeGreaterThan(20);
  const problems: string[] = [];
  for (const { url } of requests) {
    let decoded = url;
    try {
      decoded = decodeURIComponent(url);
    } catch {
      // keep it as it is
    }
    for (const [name, secret] of Object.entries(secrets))
      if (decoded.includes(secret) || url.includes(encodeURIComponent(secret))) problems.push(`${name} in ${url}`);
    const parsed = new URL(url);
    for (const key of parsed.searchParams.keys()) if (SECRET_NAME.test(key)) problems.push(`?${key}= in ${url}`);
  }
  expect(problems).toEqual([]);
  // Where the tokens do go: the Authorization header of API calls.
  const headersOf = async (pathname: string) =>
    Promise.all(
      requests
        .filter((r) => new URL(r.url).pathname === pathname)
        .map(async (r) => (await r.request.allHeaders()).authorization),
    );
  expect(await headersOf('/api/v1/sync')).toContain(`Bearer ${secrets.deviceToken}`);
  expect(await headersOf('/api/v1/coordinator/workshops')).toContain(`Bearer ${secrets.sessionToken}`);
  // The enrolment request carried the code in its body, not its URL.
  const enrol = requests.find((r) => new URL(r.url).pathname === '/api/v1/enroll');
  expect(enrol?.request.method()).toBe('POST');
  expect(enrol?.request.postData()).toContain(secrets.codePlain);
});

test('the built bundle builds no URL with a token, code, key or password parameter', () => {
  const dist = path.resolve(process.env.E2E_DIST ?? 'dist');
  const files = [
    ...fs.readdirSync(path.join(dist, 'assets')).map((f) => path.join(dist, 'assets', f)),
    path.join(dist, 'sw.js'),
  ].filter((f) => f.endsWith('.js'));
  expect(files.length).toBeGreaterThan(5);
  const problems: string[] = [];
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/[?&]([A-Za-z_]{2,30})=/g))
      if (SECRET_NAME.test(m[1]!))
        problems.push(`${path.basename(file)}: …${text.slice(m.index! - 60, m.index! + 40)}…`);
  }
  expect(problems).toEqual([]);
});
