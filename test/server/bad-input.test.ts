/**
 * Bad input gets a clear 4xx and changes nothing, on both databases:
 * hand-picked malformed requests for every route, then fast-check fuzzing
 * with random bodies (wrong types, huge strings, deep nesting, prototype
 * pollution keys, invalid UTF-8).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DB_KINDS, startTestServer, type TestServer } from './harness';
import { countRows, world } from './fixtures';

type Route = { method: 'GET' | 'POST'; url: string; auth: 'none' | 'device' | 'coordinator' };

describe.each(DB_KINDS)('bad input on %s', (kind) => {
  let s: TestServer;
  let ctx: Awaited<ReturnType<typeof world>>;
  let routes: Route[];
  beforeAll(async () => {
    s = await startTestServer(kind);
    ctx = await world(s);
    routes = [
      { method: 'POST', url: '/api/v1/sync', auth: 'none' },
      { method: 'POST', url: '/api/v1/sync', auth: 'device' },
      { method: 'POST', url: '/api/v1/enroll', auth: 'none' },
      { method: 'POST', url: '/api/v1/auth/login', auth: 'none' },
      { method: 'POST', url: '/api/v1/participants', auth: 'coordinator' },
      { method: 'POST', url: `/api/v1/participants/${ctx.participantId}/enrolment-codes`, auth: 'coordinator' },
      { method: 'POST', url: '/api/v1/devices/not-a-uuid/revoke', auth: 'coordinator' },
      { method: 'GET', url: '/api/v1/devices?participantId=nope', auth: 'coordinator' },
      { method: 'GET', url: '/api/v1/files/not-a-sha', auth: 'none' },
    ];
  });
  afterAll(async () => {
    await s.close();
  });

  function headers(route: Route): Record<string, string> {
    if (route.auth === 'device') return { authorization: `Bearer ${ctx.device.token}` };
    if (route.auth === 'coordinator') return { authorization: `Bearer ${ctx.coordinator}` };
    return {};
  }

  async function expectRejectedWithoutWrites(
    route: Route,
    payload: string | object | undefined,
    extra: Record<string, string> = {},
  ) {
    const before = await countRows(s);
    const res = await s.app.inject({
      method: route.method,
      url: route.url,
      headers: { 'content-type': 'application/json', ...headers(route), ...extra },
      ...(route.method === 'POST' ? { payload: typeof payload === 'string' ? payload : JSON.stringify(payload) } : {}),
    });
    expect(
      res.statusCode,
      `${route.method} ${route.url} ${String(payload).slice(0, 80)} → ${res.body}`,
    ).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    const body = res.json() as { error: string; message: string };
    expect(typeof body.message).toBe('string');
    expect(body.message.length).toBeGreaterThan(5);
    expect(await countRows(s)).toEqual(before);
    return res;
  }

  it('rejects malformed JSON, wrong types and pollution keys on every route with a clear message', async () => {
    const cases: (string | object)[] = [
      '{"protocol": 1,',
      'null',
      '[]',
      '"just a string"',
      { protocol: 'one' },
      { protocol: 1, epoch: null, cursors: { 'not-a-scope': 1 } },
      { protocol: 1, epoch: null, mutations: [{ mid: 0, op: 'create' }] },
      { protocol: 1, epoch: null, mutations: 'all of them' },
      '{"__proto__": {"admin": true}, "protocol": 1}',
      '{"constructor": {"prototype": {"admin": true}}}',
      { code: 12345 },
      { code: 'x'.repeat(100_000) },
      { email: 'not-an-email', password: '' },
      { participant: { fullName: '', memberCode: 'XX1' }, workshopIds: [] },
    ];
    for (const route of routes.filter((r) => r.method === 'POST')) {
      for (const c of cases) {
        if (route.url.endsWith('/enrolment-codes') || route.url.endsWith('/revoke')) continue;
        await expectRejectedWithoutWrites(route, c);
      }
    }
    for (const route of routes.filter((r) => r.method === 'GET' || r.url.endsWith('/revoke'))) {
      await expectRejectedWithoutWrites(route, {});
    }
  });

  it('names the field at fault', async () => {
    const res = await expectRejectedWithoutWrites(routes[0]!, {
      protocol: 1,
      epoch: null,
      mutations: [{ mid: 1, op: 'create', collection: 'followUpActions', recordId: 'abc', fields: {} }],
    });
    expect(res.json()).toMatchObject({ error: 'invalid_request', message: expect.stringMatching(/recordId/) });
  });

  it('rejects an oversized body with 413', async () => {
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/v1/participants',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ctx.coordinator}` },
      payload: JSON.stringify({
        participant: { fullName: 'A'.repeat(300_000), memberCode: 'FJ' },
        workshopIds: [ctx.workshopId],
      }),
    });
    expect(res.statusCode).toBe(413);
  });

  it('rejects a wrong content type with 415', async () => {
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/v1/sync',
      headers: { 'content-type': 'application/xml' },
      payload: '<sync/>',
    });
    expect(res.statusCode).toBe(415);
  });

  it('rejects invalid UTF-8 without a 5xx', async () => {
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/v1/enroll',
      headers: { 'content-type': 'application/json' },
      payload: Buffer.from([0x7b, 0x22, 0x63, 0x6f, 0x64, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
    });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
  });

  it('rejects an unknown token with 401 and never a 5xx', async () => {
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/v1/sync',
      headers: { authorization: 'Bearer vd_forged' },
      payload: { protocol: 1, epoch: null },
    });
    expect(res.statusCode).toBe(401);
    const weird = await s.app.inject({
      method: 'POST',
      url: '/api/v1/sync',
      headers: { authorization: 'Basic Zm9vOmJhcg==' },
      payload: { protocol: 1, epoch: null },
    });
    expect(weird.statusCode).toBe(401);
  });

  it('fuzz: random JSON bodies on every POST route give 4xx or a valid answer, never 5xx, and write nothing when refused', async () => {
    const pollution = fc.constantFrom('__proto__', 'constructor', 'prototype');
    const anyJson = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.string({ maxLength: 50 }),
        fc.integer(),
        fc.double(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(fc.oneof(fc.string({ maxLength: 10 }), pollution), tie('value'), { maxKeys: 4 }),
      ),
    })).value;
    const shaped = fc.record({
      protocol: fc.oneof(fc.constant(1), anyJson),
      epoch: fc.oneof(fc.constant(null), anyJson),
      cursors: fc.oneof(fc.constant({}), anyJson),
      mutations: fc.oneof(
        fc.array(
          fc.record({
            mid: fc.oneof(fc.integer({ min: -2, max: 5 }), anyJson),
            op: fc.constantFrom('create', 'patch', 'delete', 'drop'),
            collection: fc.constantFrom('followUpActions', 'workshops', 'x'),
            recordId: fc.oneof(fc.uuid(), fc.string()),
            fields: anyJson,
            baseVersion: fc.oneof(fc.nat(), anyJson),
          }),
          { maxLength: 3 },
        ),
        anyJson,
      ),
      code: anyJson,
      email: anyJson,
      password: anyJson,
    });
    const postRoutes = routes.filter((r) => r.method === 'POST');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...postRoutes), fc.oneof(anyJson, shaped), async (route, body) => {
        const before = await countRows(s);
        const res = await s.app.inject({
          method: 'POST',
          url: route.url,
          headers: { 'content-type': 'application/json', ...headers(route) },
          payload: JSON.stringify(body),
        });
        expect(res.statusCode, res.body).toBeLessThan(500);
        if (res.statusCode >= 400) {
          expect(await countRows(s)).toEqual(before);
          expect((res.json() as { message?: unknown }).message).toEqual(expect.any(String));
        }
      }),
      { numRuns: 150, seed: Number(process.env.FUZZ_SEED ?? 20261127) },
    );
  });

  it('still serves a record-free sync afterwards (nothing was corrupted)', async () => {
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/v1/sync',
      headers: headers(routes[1]!),
      payload: { protocol: 1, epoch: null },
    });
    expect(res.statusCode).toBe(200);
  });
});

describe('abuse limits', () => {
  it('rate-limits enrolment attempts per address with a plain 429', async () => {
    const s = await startTestServer('sqlite', { AUTH_RATE_LIMIT_PER_MINUTE: '5' });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 7; i++) {
        const res = await s.app.inject({ method: 'POST', url: '/api/v1/enroll', payload: { code: 'ABCD-EFGH-JKMN' } });
        codes.push(res.statusCode);
        if (res.statusCode === 429)
          expect(res.json()).toMatchObject({ error: 'rate_limited', message: expect.stringMatching(/wait/i) });
      }
      expect(codes.slice(0, 5)).toEqual([400, 400, 400, 400, 400]);
      expect(codes.slice(5)).toEqual([429, 429]);
      const login = await s.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'x@example.org', password: 'nope' },
      });
      expect(login.statusCode).toBe(401);
    } finally {
      await s.close();
    }
  });
});
