/**
 * No secret in any URL (OWASP ASVS 5.0.0 V14.2.1), on SQLite and
 * PostgreSQL: no API route takes a token, code, key or password as a query,
 * path or cookie parameter (read from the OpenAPI document, plus the tus
 * routes it leaves out); the server ignores a token put in the query string;
 * the enrolment link carries its code in the fragment, which browsers never
 * send; and no client source builds a URL with such a parameter. The browser
 * test test/e2e/security.spec.ts checks the built app's real requests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { DB_KINDS, startTestServer, type TestServer } from './harness';
import { action, addParticipant, issueCode, world } from './fixtures';
import { PROTOCOL_VERSION } from '../../src/shared/sync/protocol';

/** Parameter names that would put a secret in a URL or a log. */
const SECRET_NAME = /token|code|key|secret|pass(word)?|session|auth|credential|bearer|jwt|sig/i;

/**
 * The one exception, by necessity: the one-click unsubscribe link of RFC 8058 is POSTed by the mail provider
 * with no other data, so its token must be in the URL. It can only stop e-mails (unknown tokens get the same
 * answer), and the access log redacts it (test/server/messages-routes.test.ts).
 */
const UNSUBSCRIBE_LINK = '/api/v1/messages/unsubscribe/{token}';

interface Operation {
  parameters?: { in: string; name: string }[];
  security?: Record<string, string[]>[];
}

describe.each(DB_KINDS)('no secret in any URL, on %s', (kind) => {
  let s: TestServer;
  let ctx: Awaited<ReturnType<typeof world>>;
  beforeAll(async () => {
    s = await startTestServer(kind);
    ctx = await world(s);
  });
  afterAll(async () => {
    await s.close();
  });

  it('no route takes a token, code, key or password in its path, query or cookies; credentials go in the Authorization header', async () => {
    const doc = (await s.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
      paths: Record<string, Record<string, Operation>>;
      components: { securitySchemes: Record<string, { type: string; scheme?: string; in?: string }> };
    };
    const params: string[] = [];
    for (const [p, ops] of Object.entries(doc.paths)) {
      for (const segment of p.match(/\{(\w+)\}/g) ?? []) params.push(`${p} path ${segment}`);
      for (const [method, op] of Object.entries(ops))
        for (const x of op.parameters ?? []) params.push(`${method.toUpperCase()} ${p} ${x.in} ${x.name}`);
    }
    expect(params.length).toBeGreaterThan(10);
    const offending = params.filter((x) => {
      const [, route, where, name] = x.split(' ');
      if (route === UNSUBSCRIBE_LINK && where === 'path' && name === 'token') return false;
      return where !== 'header' && SECRET_NAME.test(name!);
    });
    expect(offending).toEqual([]);
    expect(params.filter((x) => x.includes(' cookie '))).toEqual([]);
    // The only security scheme is a bearer token in the Authorization header.
    expect(Object.values(doc.components.securitySchemes)).toEqual([
      expect.objectContaining({ type: 'http', scheme: 'bearer' }),
    ]);
    // The routes the document hides take nothing in the query either: tus addresses an upload by its id.
    const tus = await s.app.inject({
      method: 'POST',
      url: '/api/v1/uploads',
      headers: {
        authorization: `Bearer ${ctx.device.token}`,
        'tus-resumable': '1.0.0',
        'upload-length': '10',
        'upload-metadata': `filetype ${Buffer.from('image/jpeg').toString('base64')},sha256 ${Buffer.from('a'.repeat(64)).toString('base64')}`,
      },
    });
    expect(tus.statusCode).toBe(201);
    const location = new URL(String(tus.headers.location), 'http://x');
    expect(location.search).toBe('');
    expect(location.pathname).toMatch(/^\/api\/v1\/uploads\/[A-Za-z0-9_-]+$/);
  });

  it('ignores a token in the query string: the request is anonymous', async () => {
    const cases = [
      { method: 'GET' as const, url: `/api/v1/devices?access_token=${ctx.coordinator}` },
      { method: 'GET' as const, url: `/api/v1/devices?token=${ctx.coordinator}` },
      { method: 'GET' as const, url: `/api/v1/devices?authorization=Bearer%20${ctx.coordinator}` },
      { method: 'GET' as const, url: `/api/v1/coordinator/workshops?access_token=${ctx.coordinator}` },
    ];
    for (const c of cases) expect((await s.app.inject(c)).statusCode, c.url).toBe(401);
    const push = await s.app.inject({
      method: 'POST',
      url: `/api/v1/sync?access_token=${ctx.device.token}&token=${ctx.device.token}`,
      payload: {
        protocol: PROTOCOL_VERSION,
        epoch: null,
        mutations: [
          {
            mid: 1,
            op: 'create',
            collection: 'followUpActions',
            recordId: randomUUID(),
            fields: action(ctx.participantId, ctx.workshopId),
          },
        ],
      },
    });
    expect(push.statusCode).toBe(401);
    const upload = await s.app.inject({
      method: 'POST',
      url: `/api/v1/uploads?access_token=${ctx.device.token}`,
      headers: { 'tus-resumable': '1.0.0', 'upload-length': '10' },
    });
    expect(upload.statusCode).toBe(401);
  });

  it('puts the enrolment code of a link in the fragment, never in the path or the query', async () => {
    const pid = await addParticipant(s, ctx.coordinator, [ctx.workshopId]);
    const res = await s.app.inject({
      method: 'POST',
      url: `/api/v1/participants/${pid}/enrolment-codes`,
      headers: { authorization: `Bearer ${ctx.coordinator}` },
    });
    const { code, link } = res.json() as { code: string; link: string };
    const url = new URL(link);
    const plain = code.replace(/-/g, '');
    expect(url.search).toBe('');
    expect(url.pathname).not.toContain(plain);
    expect(url.pathname).not.toContain(code);
    expect(new URLSearchParams(url.hash.slice(1)).get('code')).toBe(plain);
    // And the code itself never appears in a URL the server is asked for: enrolment is a POST body.
    expect(await issueCode(s, ctx.coordinator, pid)).toMatch(/^[0-9A-Z]{4}-/);
  });
});

describe('client code', () => {
  const walk = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) return e.name === 'testing' ? [] : walk(full);
      return /\.(ts|tsx)$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [full] : [];
    });
  const files = ['src/client', 'src/sw', 'src/shared'].flatMap((root) => walk(root));

  it('builds no URL with a token, code, key or password parameter, and sends tokens only as Authorization', () => {
    expect(files.length).toBeGreaterThan(50);
    const problems: string[] = [];
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      text.split('\n').forEach((line, i) => {
        const where = `${file}:${i + 1}: ${line.trim()}`;
        // "?token=", "&code=", searchParams.set('key', …), new URLSearchParams({ token: … })
        for (const m of line.matchAll(/[?&]([A-Za-z_]+)=/g)) if (SECRET_NAME.test(m[1]!)) problems.push(where);
        for (const m of line.matchAll(/(?:searchParams\.(?:set|append)|URLSearchParams)\(\s*\{?\s*['"]?(\w+)/g))
          if (SECRET_NAME.test(m[1]!)) problems.push(where);
        // A bearer token goes into an Authorization header and nowhere else.
        if (/Bearer \$\{/.test(line) && !/authorization/i.test(line)) problems.push(where);
      });
    }
    expect(problems).toEqual([]);
  });

  it('reads an enrolment code from the fragment and drops it from the address bar', () => {
    const screen = fs.readFileSync('src/client/features/enrol/EnrolScreen.tsx', 'utf8');
    expect(screen).toMatch(/window\.location\.hash/);
    expect(screen).toMatch(/history\.replaceState/);
    expect(screen).not.toMatch(/location\.search[^\n]*code/);
  });
});
