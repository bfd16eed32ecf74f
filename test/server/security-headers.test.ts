/**
 * Security headers on every kind of answer (OWASP ASVS 5.0.0 V3.4.1, V3.4.3 in
 * part, V3.4.4–V3.4.6, V4.1.3), on SQLite and PostgreSQL: the app page, a deep
 * link, hashed assets, the service worker, API JSON, the OpenAPI document, 4xx
 * answers of the API, of the static server and of the tus server, file
 * downloads (full, partial, not modified, bad range) and 429s. Each carries a
 * content security policy without 'unsafe-inline' or 'unsafe-eval' scripts and
 * with frame-ancestors 'none', nosniff, no-referrer, no X-Frame-Options other
 * than DENY, and HSTS exactly when a trusted proxy says the request came over
 * HTTPS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { DB_KINDS, startTestServer, type TestServer } from './harness';
import { world } from './fixtures';
import { jpegBytes, sha256, tusCreate, tusUpload } from './security-support';
import { PROTOCOL_VERSION } from '../../src/shared/sync/protocol';

type Ctx = Awaited<ReturnType<typeof world>>;

interface Case {
  name: string;
  status: number | number[];
  request: (ctx: Ctx, file: string) => InjectOptions;
  /** A document the browser renders (the app), rather than data: its policy must be the full one. */
  page?: boolean;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

const CASES: Case[] = [
  { name: 'app page', status: 200, page: true, request: () => ({ method: 'GET', url: '/' }) },
  {
    name: 'deep link',
    status: 200,
    page: true,
    request: () => ({ method: 'GET', url: '/workshops/123', headers: { accept: 'text/html' } }),
  },
  { name: 'hashed asset', status: 200, request: () => ({ method: 'GET', url: '/assets/index-abc123.js' }) },
  { name: 'service worker', status: 200, request: () => ({ method: 'GET', url: '/sw.js' }) },
  { name: 'missing asset (404)', status: 404, request: () => ({ method: 'GET', url: '/assets/missing.js' }) },
  { name: 'API JSON', status: 200, request: () => ({ method: 'GET', url: '/api/health' }) },
  { name: 'OpenAPI document', status: 200, request: () => ({ method: 'GET', url: '/api/openapi.json' }) },
  { name: 'unknown API path (404)', status: 404, request: () => ({ method: 'GET', url: '/api/v1/nothing-here' }) },
  {
    name: 'invalid JSON (400)',
    status: 400,
    request: () => ({
      method: 'POST',
      url: '/api/v1/sync',
      headers: { 'content-type': 'application/json' },
      payload: '{"protocol":',
    }),
  },
  { name: 'no token (401)', status: 401, request: () => ({ method: 'GET', url: '/api/v1/devices' }) },
  {
    name: 'device on a coordinator route (403)',
    status: 403,
    request: (ctx) => ({ method: 'GET', url: '/api/v1/devices', headers: bearer(ctx.device.token) }),
  },
  {
    name: 'body too large (413)',
    status: 413,
    request: () => ({
      method: 'POST',
      url: '/api/v1/enroll',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ code: 'x'.repeat(300_000) }),
    }),
  },
  {
    name: 'outdated client (426)',
    status: 426,
    request: () => ({ method: 'POST', url: '/api/v1/sync', payload: { protocol: 0, epoch: null } }),
  },
  {
    name: 'sync answer',
    status: 200,
    request: (ctx) => ({
      method: 'POST',
      url: '/api/v1/sync',
      headers: bearer(ctx.device.token),
      payload: { protocol: PROTOCOL_VERSION, epoch: null },
    }),
  },
  { name: 'file download', status: 200, request: (_, file) => ({ method: 'GET', url: `/api/v1/files/${file}` }) },
  {
    name: 'partial file download (206)',
    status: 206,
    request: (_, file) => ({ method: 'GET', url: `/api/v1/files/${file}`, headers: { range: 'bytes=0-9' } }),
  },
  {
    name: 'file not modified (304)',
    status: 304,
    request: (_, file) => ({ method: 'GET', url: `/api/v1/files/${file}`, headers: { 'if-none-match': `"${file}"` } }),
  },
  {
    name: 'bad range (416)',
    status: 416,
    request: (_, file) => ({ method: 'GET', url: `/api/v1/files/${file}`, headers: { range: 'bytes=999999-' } }),
  },
  {
    name: 'tus answer (hijacked reply)',
    status: 401,
    request: () => ({
      method: 'POST',
      url: '/api/v1/uploads',
      headers: { 'tus-resumable': '1.0.0', 'upload-length': '10' },
    }),
  },
  {
    name: 'tus options (CORS preflight)',
    status: 204,
    request: () => ({ method: 'OPTIONS', url: '/api/v1/uploads' }),
  },
];

/** `default-src 'self'; script-src 'self'` → Map(default-src → ["'self'"], …) */
function directives(csp: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of csp.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) out.set(name.toLowerCase(), values);
  }
  return out;
}

function headerProblems(name: string, res: LightMyRequestResponse, page: boolean, hsts: boolean): string[] {
  const problems: string[] = [];
  const say = (what: string) => problems.push(`${name} (${res.statusCode}): ${what}`);
  const csp = res.headers['content-security-policy'];
  if (typeof csp !== 'string') say('no content-security-policy');
  else {
    const d = directives(csp);
    const scripts = d.get('script-src') ?? d.get('default-src');
    if (!d.get('default-src')) say(`no default-src in ${csp}`);
    if (!scripts) say(`no script policy in ${csp}`);
    for (const bad of ["'unsafe-inline'", "'unsafe-eval'", '*', 'data:', 'http:', 'https:'])
      if (scripts?.includes(bad) || d.get('default-src')?.includes(bad)) say(`scripts allow ${bad}: ${csp}`);
    if (d.get('frame-ancestors')?.join(' ') !== "'none'") say(`frame-ancestors is not 'none': ${csp}`);
    // No answer may let injected markup move the base of relative URLs (ASVS 5.0 V3.4.3).
    if (d.get('base-uri')?.join(' ') !== "'none'") say(`base-uri is not 'none': ${csp}`);
    if (page) {
      if (d.get('object-src')?.join(' ') !== "'none'") say(`object-src is not 'none': ${csp}`);
      if (d.get('script-src-attr')?.join(' ') !== "'none'") say(`inline event handlers allowed: ${csp}`);
    }
  }
  if (res.headers['x-content-type-options'] !== 'nosniff') say('no x-content-type-options: nosniff');
  if (res.headers['referrer-policy'] !== 'no-referrer') say(`referrer-policy ${res.headers['referrer-policy']}`);
  const xfo = res.headers['x-frame-options'];
  if (xfo !== undefined && String(xfo).toUpperCase() !== 'DENY') say(`x-frame-options ${xfo}`);
  const sts = res.headers['strict-transport-security'];
  if (hsts) {
    const age = /max-age=(\d+)/.exec(String(sts ?? ''));
    if (!age || Number(age[1]) < 31536000) say(`no HSTS of a year or more: ${sts}`);
    if (!/includeSubDomains/i.test(String(sts ?? ''))) say(`HSTS without includeSubDomains: ${sts}`);
  } else if (sts !== undefined) say(`HSTS over plain HTTP: ${sts}`);
  if (String(res.headers['access-control-allow-credentials'] ?? '') === 'true')
    say('credentialed CORS (tokens never travel as cookies)');
  return problems;
}

describe.each(DB_KINDS)('security headers on every kind of answer, on %s', (kind) => {
  const servers: Record<'proxied' | 'direct', TestServer | undefined> = { proxied: undefined, direct: undefined };
  const ctxs: Partial<Record<'proxied' | 'direct', Ctx>> = {};
  const files: Partial<Record<'proxied' | 'direct', string>> = {};
  let staticDir: string;

  beforeAll(async () => {
    staticDir = fs.mkdtempSync(path.join(fs.realpathSync('/tmp'), 'vaka-sec-static-'));
    fs.mkdirSync(path.join(staticDir, 'assets'));
    fs.writeFileSync(
      path.join(staticDir, 'index.html'),
      '<!doctype html><title>Vaka</title><script type="module" src="/assets/index-abc123.js"></script>',
    );
    fs.writeFileSync(path.join(staticDir, 'sw.js'), 'self.addEventListener("install", () => {});');
    fs.writeFileSync(path.join(staticDir, 'assets', 'index-abc123.js'), 'console.log(1)');
    for (const [which, trust] of [
      ['proxied', '1'],
      ['direct', '0'],
    ] as const) {
      const s = await startTestServer(kind, { STATIC_DIR: staticDir, TRUST_PROXY: trust });
      servers[which] = s;
      const ctx = await world(s);
      ctxs[which] = ctx;
      const bytes = Buffer.from('%PDF-1.4 public slides '.repeat(50));
      const up = await tusUpload(s, ctx.coordinator, bytes, 'application/pdf');
      expect(up.status, up.body).toBe(204);
      // A public material names the file, so anyone may download it.
      const materialId = randomUUID();
      const put = await s.app.inject({
        method: 'PUT',
        url: `/api/v1/materials/${materialId}`,
        headers: bearer(ctx.coordinator),
        payload: {
          id: materialId,
          workshopId: ctx.workshopId,
          title: 'Slides',
          language: 'en',
          mediaType: 'application/pdf',
          sha256: sha256(bytes),
          audience: 'public',
        },
      });
      expect(put.statusCode, put.body).toBe(200);
      files[which] = sha256(bytes);
    }
  }, 60_000);
  afterAll(async () => {
    await servers.proxied?.close();
    await servers.direct?.close();
    fs.rmSync(staticDir, { recursive: true, force: true });
  });

  async function check(which: 'proxied' | 'direct', extra: Record<string, string>, hsts: boolean) {
    const s = servers[which]!;
    const problems: string[] = [];
    for (const c of CASES) {
      const req = c.request(ctxs[which]!, files[which]!);
      const res = await s.app.inject({ ...req, headers: { ...req.headers, ...extra } });
      const statuses = Array.isArray(c.status) ? c.status : [c.status];
      if (!statuses.includes(res.statusCode))
        problems.push(`${c.name}: status ${res.statusCode} ${res.body.slice(0, 100)}`);
      problems.push(...headerProblems(c.name, res, c.page ?? false, hsts));
    }
    // And a tus answer of a real upload, created and finished (both written by the tus server itself).
    const bytes = jpegBytes(64);
    const created = await tusCreate(s, ctxs[which]!.device.token, bytes.length, sha256(bytes));
    expect(created.status).toBe(201);
    const patched = await s.app.inject({
      method: 'PATCH',
      url: created.location!,
      headers: {
        ...bearer(ctxs[which]!.device.token),
        ...extra,
        'tus-resumable': '1.0.0',
        'upload-offset': '0',
        'content-type': 'application/offset+octet-stream',
      },
      payload: bytes,
    });
    expect(patched.statusCode).toBe(204);
    problems.push(...headerProblems('tus upload finished', patched, false, hsts));
    return problems;
  }

  it('behind a trusted TLS proxy: every answer carries the headers and HSTS', async () => {
    expect(await check('proxied', { 'x-forwarded-proto': 'https' }, true)).toEqual([]);
  });

  it('behind a trusted proxy over plain HTTP: the same headers, no HSTS', async () => {
    expect(await check('proxied', {}, false)).toEqual([]);
  });

  it('without TRUST_PROXY a forged X-Forwarded-Proto gets no HSTS', async () => {
    expect(await check('direct', { 'x-forwarded-proto': 'https' }, false)).toEqual([]);
  });

  it('the page’s policy allows scripts from this origin only, and the app’s own markup needs nothing more', async () => {
    const res = await servers.direct!.app.inject({ method: 'GET', url: '/' });
    const d = directives(String(res.headers['content-security-policy']));
    expect(d.get('script-src')).toEqual(["'self'"]);
    expect(d.get('style-src')).toEqual(["'self'"]);
    expect(d.get('connect-src')).toEqual(["'self'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    expect(res.headers['x-frame-options']).toBe('DENY');
    // The real build's index.html has no inline script or style the policy would have to allow.
    const built = path.resolve('index.html');
    const html = fs.readFileSync(built, 'utf8');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>\s*\S/);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(html).not.toMatch(/<style/i);
  });
});
