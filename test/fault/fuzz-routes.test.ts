/**
 * Bad input on every API route (issue #9, part 3), on SQLite and PostgreSQL.
 * The routes come from GET /api/openapi.json, so a new route is fuzzed the
 * day it is added; the few routes the document hides (tus uploads, the
 * document itself) are listed here. For each route:
 *   - a fixed set of nasty requests (invalid UTF-8, 100,000-deep nesting,
 *     prototype-pollution keys in body and query, a 300 KB string, a gzip
 *     bomb, broken gzip, wrong content types, forged and oversized tokens,
 *     path traversal and invalid percent-escapes in path and query);
 *   - fast-check requests with random path parameters, query strings,
 *     headers and bodies (random JSON, mutated valid bodies, random bytes).
 * Every answer must be below 500 (save 501 "server_outdated" for a sync at a
 * protocol above the server's); every 4xx must carry a readable message;
 * and a refused request must write nothing: every table's rows (apart from
 * a device's last-contact time) and the files folder are compared before and
 * after. Only a successful sync (its results are stored even when
 * it rejects a mutation, by design) and a sign-out may write. Seeded:
 * FUZZ_SEED replays a run, FUZZ_RUNS sets its length.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import zlib from 'node:zlib';
import { randomUUID } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import { DB_KINDS, startTestServer, type TestServer } from '../server/harness';
import { action, addParticipant, coordinatorToken, enrol, issueCode, sync, world } from '../server/fixtures';
import { snapshot } from '../server/security-support';

type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

interface Route {
  method: Method;
  /** OpenAPI form: /api/v1/devices/{id}/revoke */
  path: string;
  pathParams: string[];
  queryParams: string[];
  /** Answers come from the tus server, in plain text rather than the API's JSON. */
  tus?: boolean;
}

interface OpenApiDoc {
  paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>>;
}

/** Routes the OpenAPI document leaves out on purpose, fuzzed all the same. */
const HIDDEN_ROUTES: Route[] = [{ method: 'GET', path: '/api/openapi.json', pathParams: [], queryParams: [] }];

/** The tus endpoint: described in the document, but its answers come from the tus server as plain text. */
const isTus = (path: string) => path === '/api/v1/uploads' || path.startsWith('/api/v1/uploads/');

/** Routes every build must have: if the document lost them, the fuzzer would silently cover less. */
const CORE = [
  'POST /api/v1/sync',
  'POST /api/v1/enroll',
  'POST /api/v1/auth/login',
  'POST /api/v1/participants',
  'GET /api/v1/devices',
  'GET /api/v1/files/{sha256}',
  'POST /api/v1/uploads',
  'PATCH /api/v1/uploads/{id}',
];

function routesFrom(doc: OpenApiDoc): Route[] {
  const routes: Route[] = [];
  for (const [p, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const params = op.parameters ?? [];
      routes.push({
        method: method.toUpperCase() as Method,
        path: p,
        pathParams: params.filter((x) => x.in === 'path').map((x) => x.name),
        queryParams: params.filter((x) => x.in === 'query').map((x) => x.name),
        ...(isTus(p) ? { tus: true } : {}),
      });
    }
  }
  return routes;
}

const label = (r: Route) => `${r.method} ${r.path}`;
const hasBody = (m: Method) => m === 'POST' || m === 'PUT' || m === 'PATCH' || m === 'DELETE';

const deepArrays = (n: number) => '['.repeat(n) + ']'.repeat(n);
const deepObjects = (n: number) => '{"a":'.repeat(n) + 'null' + '}'.repeat(n);
const INVALID_UTF8 = Buffer.concat([
  Buffer.from('{"code":"'),
  Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]),
  Buffer.from('"}'),
]);
const GZIP_BOMB = zlib.gzipSync(Buffer.alloc(40 * 1024 * 1024, 0x20));
const BROKEN_GZIP = Buffer.concat([zlib.gzipSync('{"protocol":1}').subarray(0, 12), Buffer.from('not gzip at all')]);

interface Probe {
  method: Method;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
}

describe.each(DB_KINDS)('every route, bad input, on %s', (kind) => {
  let s: TestServer;
  let ctx: Awaited<ReturnType<typeof world>>;
  let routes: Route[];
  let revokedToken: string;
  /** Signing out with the main coordinator session would end it for every later probe. */
  let sacrificialCoordinator: string;
  const statuses = new Map<number, number>();
  let recordId: string;
  const pollutionBefore = Object.getOwnPropertyNames(Object.prototype).sort();

  beforeAll(async () => {
    s = await startTestServer(kind, { AUTH_RATE_LIMIT_PER_MINUTE: '1000000' });
    ctx = await world(s);
    // A revoked device, so "revoked" is one of the identities the fuzzer tries.
    const other = await enrol(
      s,
      await issueCode(s, ctx.coordinator, await addParticipant(s, ctx.coordinator, [ctx.workshopId])),
    );
    const revoke = await s.app.inject({
      method: 'POST',
      url: `/api/v1/devices/${other.deviceId}/revoke`,
      headers: { authorization: `Bearer ${ctx.coordinator}` },
    });
    expect(revoke.statusCode).toBeLessThan(300);
    revokedToken = other.token;
    sacrificialCoordinator = await coordinatorToken(s);
    // A record of the device's own, so patches reach the merge code rather than stopping at not_found.
    recordId = randomUUID();
    const created = await sync(s, ctx.device.token, {
      mutations: [
        {
          mid: 1,
          op: 'create',
          collection: 'followUpActions',
          recordId,
          fields: action(ctx.participantId, ctx.workshopId),
        },
      ],
    });
    expect(created.body.results[0]).toMatchObject({ status: 'applied' });
    const doc = await s.app.inject({ method: 'GET', url: '/api/openapi.json' });
    routes = [...routesFrom(doc.json() as OpenApiDoc), ...HIDDEN_ROUTES];
  });
  afterAll(async () => {
    console.log(
      `${kind}: answers by status: ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`,
    );
    await s.close();
  });

  const auth = (who: 'none' | 'device' | 'coordinator' | 'revoked' | string): Record<string, string> => {
    if (who === 'none') return {};
    if (who === 'device') return { authorization: `Bearer ${ctx.device.token}` };
    if (who === 'coordinator') return { authorization: `Bearer ${ctx.coordinator}` };
    if (who === 'revoked') return { authorization: `Bearer ${revokedToken}` };
    return { authorization: who };
  };

  /** Sends one request and returns what is wrong with the answer (nothing, if it is fine). */
  async function probe(route: Route, req: Probe): Promise<string[]> {
    const before = await snapshot(s);
    const headers = { ...req.headers };
    if (route.path === '/api/v1/auth/logout' && headers.authorization === `Bearer ${ctx.coordinator}`)
      headers.authorization = `Bearer ${sacrificialCoordinator}`;
    const options: InjectOptions = { method: req.method, url: req.url, headers };
    if (req.payload !== undefined) options.payload = req.payload;
    const res = await s.app.inject(options);
    statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
    const problems: string[] = [];
    // A client that accepts gzip gets larger answers compressed: read them as the client would.
    const body =
      res.headers['content-encoding'] === 'gzip' ? zlib.gunzipSync(res.rawPayload).toString('utf8') : res.body;
    const what = `${req.method} ${req.url.slice(0, 120)} [${JSON.stringify(req.headers).slice(0, 160)}] body ${
      req.payload === undefined ? 'none' : String(req.payload.length) + ' bytes'
    } → ${res.statusCode} ${body.slice(0, 160)}`;
    // The one 5xx by design: a sync body naming a protocol above the server's (docs/sync-protocol.md, "Versions").
    const serverOutdated = res.statusCode === 501 && body.includes('"server_outdated"');
    if (res.statusCode >= 500 && !serverOutdated) problems.push(`5xx: ${what}`);
    if (res.statusCode >= 400 && req.method !== 'HEAD') {
      if (route.tus) {
        if (body.trim().length < 5) problems.push(`no message: ${what}`);
      } else {
        let message: unknown = null;
        try {
          message = (JSON.parse(body) as { message?: unknown }).message;
        } catch {
          // reported below
        }
        if (typeof message !== 'string' || message.length < 6) problems.push(`no clear message: ${what}`);
      }
    }
    // A sync stores its results even for mutations it rejects; signing out ends a session; setting up a second
    // factor stores its pending secret, and a wrong code is counted (the session ends after five: docs/security.md).
    // Nothing else may write.
    const mayWrite =
      (res.statusCode < 400 && (route.path === '/api/v1/sync' || route.path === '/api/v1/auth/logout')) ||
      route.path.startsWith('/api/v1/auth/second-factor/');
    if (!mayWrite && (await snapshot(s)) !== before) problems.push(`wrote: ${what}`);
    const pollution = Object.getOwnPropertyNames(Object.prototype).sort();
    if (JSON.stringify(pollution) !== JSON.stringify(pollutionBefore))
      problems.push(`Object.prototype polluted: ${what}`);
    return problems;
  }

  function urlOf(route: Route, params: Record<string, string>, query = ''): string {
    let url = route.path;
    for (const p of route.pathParams) url = url.replace(`{${p}}`, params[p] ?? randomUUID());
    return query ? `${url}?${query}` : url;
  }

  it('lists the API routes from the OpenAPI document', () => {
    const names = routes.map(label);
    for (const core of CORE) expect(names).toContain(core);
    expect(routes.length).toBeGreaterThanOrEqual(CORE.length + HIDDEN_ROUTES.length);
  });

  it('answers a fixed set of nasty requests on every route with a clear 4xx and no write', async () => {
    const problems: string[] = [];
    const json = { 'content-type': 'application/json' };
    for (const route of routes) {
      const url = urlOf(route, {});
      const cases: Probe[] = [
        { method: route.method, url, headers: {} },
        { method: route.method, url, headers: auth(`Bearer ${'x'.repeat(20_000)}`) },
        { method: route.method, url, headers: auth('Bearer vd_forged') },
        { method: route.method, url, headers: auth('Basic Zm9vOmJhcg==') },
        { method: route.method, url, headers: auth('revoked') },
        {
          method: route.method,
          url: `${url}?__proto__[polluted]=1&constructor[prototype][polluted]=1&__proto__=x`,
          headers: auth('coordinator'),
        },
        {
          method: route.method,
          url: `${url}?fiscalYear=%E0%A4%A&participantId=%ZZ&participantId=1`,
          headers: auth('coordinator'),
        },
        { method: route.method, url: `${url}?${'q'.repeat(4000)}=${'v'.repeat(20_000)}`, headers: auth('device') },
      ];
      for (const p of route.pathParams) {
        for (const bad of [
          '..%2F..%2Fetc%2Fpasswd',
          '%ff%fe',
          '__proto__',
          'constructor',
          '%00',
          'x'.repeat(5000),
          '%F0%9F%98%80',
        ]) {
          cases.push({ method: route.method, url: urlOf(route, { [p]: bad }), headers: auth('coordinator') });
          cases.push({ method: route.method, url: urlOf(route, { [p]: bad }), headers: auth('device') });
        }
      }
      if (hasBody(route.method)) {
        for (const who of ['none', 'device', 'coordinator'] as const) {
          const h = { ...json, ...auth(who) };
          cases.push(
            { method: route.method, url, headers: h, payload: INVALID_UTF8 },
            { method: route.method, url, headers: h, payload: deepArrays(100_000) },
            { method: route.method, url, headers: h, payload: deepObjects(30_000) },
            { method: route.method, url, headers: h, payload: `{"code":${deepArrays(50_000)},"protocol":1}` },
            { method: route.method, url, headers: h, payload: '{"__proto__":{"polluted":true},"protocol":1}' },
            { method: route.method, url, headers: h, payload: '{"constructor":{"prototype":{"polluted":true}}}' },
            { method: route.method, url, headers: h, payload: JSON.stringify({ code: 'x'.repeat(300_000) }) },
            { method: route.method, url, headers: h, payload: '{"protocol": 1,' },
            { method: route.method, url, headers: h, payload: '' },
            { method: route.method, url, headers: { ...h, 'content-type': 'text/plain' }, payload: 'hello' },
            {
              method: route.method,
              url,
              headers: { ...h, 'content-type': 'application/x-www-form-urlencoded' },
              payload: 'a=1&__proto__[x]=1',
            },
            {
              method: route.method,
              url,
              headers: { ...h, 'content-type': 'multipart/form-data; boundary=zz' },
              payload: '--zz\r\n\r\nx\r\n--zz--',
            },
            {
              method: route.method,
              url,
              headers: { ...h, 'content-type': 'application/json; charset=utf-16' },
              payload: '{}',
            },
            { method: route.method, url, headers: { ...h, 'content-encoding': 'gzip' }, payload: BROKEN_GZIP },
            { method: route.method, url, headers: { ...h, 'content-encoding': 'gzip' }, payload: GZIP_BOMB },
            { method: route.method, url, headers: { ...h, 'content-encoding': 'x-unknown' }, payload: '{}' },
          );
        }
      }
      for (const c of cases) problems.push(...(await probe(route, c)));
    }
    expect(problems).toEqual([]);
  }, 180_000);

  it('fuzz: random path parameters, query strings, headers and bodies on every route', async () => {
    const pollutionKey = fc.constantFrom('__proto__', 'constructor', 'prototype', '__defineGetter__', 'hasOwnProperty');
    const anyJson = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.string({ maxLength: 40 }),
        fc.string({ unit: 'grapheme', maxLength: 20 }),
        fc.integer(),
        fc.double(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(fc.oneof(fc.string({ maxLength: 10 }), pollutionKey), tie('value'), { maxKeys: 4 }),
      ),
    })).value;
    const pathValue = fc.oneof(
      fc.uuid().map((u) => encodeURIComponent(u)),
      fc.stringMatching(/^[0-9a-f]{64}$/),
      fc.string({ maxLength: 40 }).map((v) => encodeURIComponent(v)),
      fc.string({ unit: 'grapheme', maxLength: 10 }).map((v) => encodeURIComponent(v)),
      fc.constantFrom(
        '__proto__',
        'constructor',
        '..',
        '%2e%2e%2f',
        '%00',
        '%ff',
        '%',
        'null',
        '-1',
        '1e309',
        'a'.repeat(3000),
      ),
    );
    const queryKey = (route: Route) =>
      fc.oneof(
        ...(route.queryParams.length ? [fc.constantFrom(...route.queryParams)] : []),
        pollutionKey,
        fc.constantFrom('__proto__[x]', 'constructor[prototype][x]', 'a[b][c]', 'a[]'),
        fc.string({ maxLength: 12 }).map((k) => encodeURIComponent(k)),
      );
    const queryValue = fc.oneof(
      fc.string({ maxLength: 30 }).map((v) => encodeURIComponent(v)),
      fc.constantFrom('2021/22', '2021%2F22', randomUUID(), '%E0%A4%A', '%ZZ', '%', '', 'x'.repeat(5000)),
    );
    const headerText = fc.string({
      unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
      maxLength: 60,
    });
    const who = fc.oneof(
      fc.constantFrom('none', 'device', 'coordinator', 'revoked'),
      headerText,
      headerText.map((t) => `Bearer ${t}`),
      fc.constantFrom('Bearer', 'Bearer ', 'bearer vd_x', `Bearer vd_${'a'.repeat(43)}`, 'Bearer\t'),
    );
    const validBodies = (route: Route): unknown[] => {
      const id = randomUUID();
      const a = action(ctx.participantId, ctx.workshopId);
      const byPath: Record<string, unknown[]> = {
        '/api/v1/sync': [
          {
            protocol: 1,
            epoch: null,
            cursors: {},
            mutations: [
              {
                mid: 2,
                op: 'patch',
                collection: 'followUpActions',
                recordId,
                baseVersion: 1,
                fields: { audience: 'x' },
              },
            ],
          },
          {
            protocol: 1,
            epoch: null,
            mutations: [{ mid: 2, op: 'create', collection: 'followUpActions', recordId: id, fields: a }],
          },
        ],
        '/api/v1/enroll': [{ code: 'ABCD-EFGH-JKMN', deviceName: 'phone' }],
        '/api/v1/auth/login': [{ email: 'nobody@example.org', password: 'correct horse' }],
        '/api/v1/participants': [
          { participant: { fullName: 'Fuzz', memberCode: 'FJ', email: null }, workshopIds: [ctx.workshopId] },
        ],
      };
      return byPath[route.path] ?? [{ id, title: 'x', workshopId: ctx.workshopId }];
    };
    /** A valid-looking body with one field replaced at random: gets past the first checks into deeper code. */
    const mutated = (route: Route) =>
      fc.tuple(fc.constantFrom(...validBodies(route)), fc.nat(), anyJson).map(([body, at, value]) => {
        const copy = JSON.parse(JSON.stringify(body)) as Record<string, unknown>;
        const paths: string[][] = [];
        const collect = (o: unknown, trail: string[]) => {
          if (typeof o !== 'object' || o === null) return;
          for (const [k, v] of Object.entries(o)) {
            paths.push([...trail, k]);
            collect(v, [...trail, k]);
          }
        };
        collect(copy, []);
        const target = paths[at % paths.length];
        if (target) {
          let node = copy as Record<string, unknown>;
          for (const k of target.slice(0, -1)) node = node[k] as Record<string, unknown>;
          node[target[target.length - 1]!] = value;
        }
        return JSON.stringify(copy);
      });
    const body = (route: Route) =>
      fc.oneof(
        anyJson.map((v) => JSON.stringify(v)),
        mutated(route),
        fc.string({ maxLength: 80 }),
        fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
        fc.integer({ min: 10, max: 20_000 }).map((n) => `{"protocol":1,"mutations":${deepArrays(n)}}`),
      );
    const contentType = fc.oneof(
      { weight: 6, arbitrary: fc.constant('application/json') },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          'application/json; charset=latin1',
          'text/plain',
          'application/offset+octet-stream',
          'application/xml',
          '',
        ),
      },
      { weight: 1, arbitrary: headerText },
    );
    const extraHeaders = fc.dictionary(
      fc.constantFrom(
        'range',
        'if-range',
        'if-none-match',
        'accept-encoding',
        'x-forwarded-for',
        'accept',
        'tus-resumable',
        'upload-length',
        'upload-offset',
        'upload-metadata',
        'content-encoding',
        'origin',
      ),
      fc.oneof(
        headerText,
        fc.constantFrom(
          'bytes=0-',
          'bytes=-5',
          'bytes=9-1',
          'bytes=0-1,3-4',
          'gzip',
          'br',
          '1.0.0',
          '-1',
          '99999999999999999999',
        ),
      ),
      { maxKeys: 3 },
    );
    const request = fc.constantFrom(...routes).chain((route) =>
      fc.record({
        route: fc.constant(route),
        params: fc.dictionary(fc.constantFrom(...(route.pathParams.length ? route.pathParams : ['none'])), pathValue, {
          maxKeys: 1,
        }),
        query: fc.array(fc.tuple(queryKey(route), queryValue), { maxLength: 4 }),
        who,
        contentType,
        extra: extraHeaders,
        body: hasBody(route.method) ? fc.option(body(route), { nil: undefined }) : fc.constant(undefined),
      }),
    );

    const seed = Number(process.env.FUZZ_SEED ?? 20261127);
    const runs = Number(process.env.FUZZ_RUNS ?? 1000);
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const headers: Record<string, string> = { ...r.extra, ...auth(r.who) };
        if (r.body !== undefined && r.contentType) headers['content-type'] = r.contentType;
        const query = r.query.map(([k, v]) => `${k}=${v}`).join('&');
        const problems = await probe(r.route, {
          method: r.route.method,
          url: urlOf(r.route, r.params, query),
          headers,
          payload: r.body,
        });
        expect(problems).toEqual([]);
      }),
      { numRuns: runs, seed },
    );
  }, 300_000);

  it('a patch carrying a deeply nested value is refused with a 4xx or a rejected result, not a 500', async () => {
    const problems: string[] = [];
    for (const depth of [5_000, 50_000]) {
      // The next mid, so the server really processes it instead of answering a replay.
      const device = await s.database.db
        .selectFrom('devices')
        .select('last_mid')
        .where('id', '=', ctx.device.deviceId)
        .executeTakeFirstOrThrow();
      const mid = Number(device.last_mid) + 1;
      const payload =
        `{"protocol":1,"epoch":null,"mutations":[{"mid":${mid},"op":"patch","collection":"followUpActions",` +
        `"recordId":"${recordId}","baseVersion":1,"fields":{"description":${deepArrays(depth)}}}]}`;
      const route = routes.find((r) => label(r) === 'POST /api/v1/sync')!;
      problems.push(
        ...(await probe(route, {
          method: 'POST',
          url: '/api/v1/sync',
          headers: { 'content-type': 'application/json', ...auth('device') },
          payload,
        })),
      );
    }
    expect(problems).toEqual([]);
  });

  it('still serves the device and the coordinator afterwards', async () => {
    const res = await sync(s, ctx.device.token, {});
    expect(res.status).toBe(200);
    const devices = await s.app.inject({ method: 'GET', url: '/api/v1/devices', headers: auth('coordinator') });
    expect(devices.statusCode).toBe(200);
  });
});
