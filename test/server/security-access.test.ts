/**
 * Per-record access control on every route (OWASP ASVS 5.0.0 V8.2.1, V8.2.2,
 * V8.3.1, V16.5.3), on SQLite and PostgreSQL. The routes come from the running
 * app (printRoutes), and ROUTES below must name every one of them with its
 * access class: a route added without a line here fails the first test. Then,
 * with participant A's device token and participant B's ids (records, evidence
 * files, B-only workshop materials, uploads, devices), every route is tried:
 * coordinator-only routes refuse A (403), nobody (401), B's revoked phone (401
 * revoked), an expired coordinator session (401 expired) and a forged token
 * (401), and write nothing; the routes a device may use give A nothing of B's
 * and let A change nothing of B's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes, randomUUID } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import { DB_KINDS, startTestServer, type TestServer } from './harness';
import { action, coordinatorToken, enrol, issueCode, sync } from './fixtures';
import type { Mutation } from '../../src/shared/sync/protocol';
import {
  enumerateRoutes,
  sessionBody,
  snapshot,
  toolBody,
  twoParticipants,
  workshopBody,
  type Participants,
} from './security-support';

type Access =
  /** Anyone; the route holds no participant's data. */
  | 'public'
  /** Coordinators only; everybody else gets 401 or 403 and changes nothing. */
  | 'coordinator'
  /** Device sync: public content to anyone, a participant's own records to that participant's devices only. */
  | 'own-records'
  /** Files: public materials to anyone, participants-only ones to that workshop's roster, evidence to its owner. */
  | 'own-files'
  /** tus uploads: each upload belongs to the device's participant (or the coordinator) that created it. */
  | 'own-uploads'
  /** Sign-out, the second factor and the password change act only on the session whose token is presented. */
  | 'own-session'
  /** A phone's message settings (push subscription, channels) belong to the participant whose device token it is. */
  | 'own-device';

interface Probe {
  url: string;
  payload?: unknown;
  headers?: Record<string, string>;
}

interface RouteSpec {
  path: string;
  methods: string[];
  access: Access;
  /** For coordinator routes: a valid request naming B's ids, so only access control can refuse it. */
  probe?: (p: Participants) => Probe;
}

const GET = ['GET', 'HEAD'];

/** Every route of the app. Add a line here for every new route, with its access class and a probe. */
const ROUTES: RouteSpec[] = [
  { path: '/api/health', methods: GET, access: 'public' },
  { path: '/api/openapi.json', methods: GET, access: 'public' },
  { path: '/api/v1/enroll', methods: ['POST'], access: 'public' },
  { path: '/api/v1/auth/login', methods: ['POST'], access: 'public' },
  { path: '/api/v1/auth/logout', methods: ['POST'], access: 'own-session' },
  { path: '/api/v1/auth/session', methods: GET, access: 'own-session' },
  { path: '/api/v1/auth/second-factor/verify', methods: ['POST'], access: 'own-session' },
  { path: '/api/v1/auth/second-factor/setup', methods: ['POST'], access: 'own-session' },
  { path: '/api/v1/auth/second-factor/confirm', methods: ['POST'], access: 'own-session' },
  { path: '/api/v1/auth/password', methods: ['POST'], access: 'own-session' },
  { path: '/api/v1/sync', methods: ['POST'], access: 'own-records' },
  // The token in these paths is the capability itself (RFC 8058 one-click unsubscribe, a single-use sign-in link).
  { path: '/api/v1/messages/unsubscribe/:token', methods: ['GET', 'HEAD', 'POST'], access: 'public' },
  { path: '/api/v1/messages/sign-in', methods: ['POST'], access: 'public' },
  { path: '/api/v1/messages/vapid-public-key', methods: GET, access: 'public' },
  { path: '/api/v1/messages/push-subscription', methods: ['DELETE', 'PUT'], access: 'own-device' },
  { path: '/api/v1/messages/preferences', methods: ['GET', 'HEAD', 'PUT'], access: 'own-device' },
  {
    path: '/api/v1/messages',
    methods: GET,
    access: 'coordinator',
    probe: (p) => ({ url: `/api/v1/messages?workshopId=${p.bWorkshop}` }),
  },
  {
    path: '/api/v1/messages/preview',
    methods: GET,
    access: 'coordinator',
    probe: () => ({ url: '/api/v1/messages/preview?kind=invitation&lang=en' }),
  },
  ...(['pause', 'resume', 'publish-results'] as const).map((action): RouteSpec => ({
    path: `/api/v1/messages/workshops/:id/${action}`,
    methods: ['POST'],
    access: 'coordinator',
    probe: (p) => ({ url: `/api/v1/messages/workshops/${p.bWorkshop}/${action}` }),
  })),
  {
    path: '/api/v1/messages/workshops/:id/reminder-days',
    methods: ['PUT'],
    access: 'coordinator',
    probe: (p) => ({
      url: `/api/v1/messages/workshops/${p.bWorkshop}/reminder-days`,
      payload: { reminderDays: [7, 2] },
    }),
  },
  {
    path: '/api/v1/messages/remind-now',
    methods: ['POST'],
    access: 'coordinator',
    probe: (p) => ({ url: '/api/v1/messages/remind-now', payload: { participantId: p.bId, workshopId: p.bWorkshop } }),
  },
  { path: '/api/v1/files/:sha256', methods: GET, access: 'own-files' },
  // The tus protocol's methods only; any other is the API's 404.
  { path: '/api/v1/uploads', methods: ['OPTIONS', 'POST'], access: 'own-uploads' },
  { path: '/api/v1/uploads/*', methods: ['DELETE', 'HEAD', 'OPTIONS', 'PATCH'], access: 'own-uploads' },
  {
    path: '/api/v1/participants',
    methods: ['POST'],
    access: 'coordinator',
    probe: (p) => ({
      url: '/api/v1/participants',
      payload: { participant: { fullName: 'Intruder', memberCode: 'FJ', email: null }, workshopIds: [p.bWorkshop] },
    }),
  },
  {
    path: '/api/v1/participants/:id/enrolment-codes',
    methods: ['POST'],
    access: 'coordinator',
    probe: (p) => ({ url: `/api/v1/participants/${p.bId}/enrolment-codes` }),
  },
  {
    path: '/api/v1/devices',
    methods: GET,
    access: 'coordinator',
    probe: (p) => ({ url: `/api/v1/devices?participantId=${p.bId}` }),
  },
  {
    path: '/api/v1/devices/:id/revoke',
    methods: ['POST'],
    access: 'coordinator',
    probe: (p) => ({ url: `/api/v1/devices/${p.b.deviceId}/revoke` }),
  },
  {
    path: '/api/v1/workshops/:id',
    methods: ['PUT', 'DELETE'],
    access: 'coordinator',
    probe: (p) => ({ url: `/api/v1/workshops/${p.bWorkshop}`, payload: workshopBody(p.bWorkshop, 'Hijacked') }),
  },
  {
    path: '/api/v1/workshops/:id/replies',
    methods: GET,
    access: 'coordinator',
    probe: (p) => ({ url: `/api/v1/workshops/${p.bWorkshop}/replies` }),
  },
  {
    path: '/api/v1/agenda-sessions/:id',
    methods: ['PUT', 'DELETE'],
    access: 'coordinator',
    probe: (p) => ({ url: `/api/v1/agenda-sessions/${p.bSession}`, payload: sessionBody(p.bSession, p.bWorkshop) }),
  },
  {
    path: '/api/v1/materials/:id',
    methods: ['PUT', 'DELETE'],
    access: 'coordinator',
    probe: (p) => ({
      url: `/api/v1/materials/${p.bMaterial}`,
      payload: {
        id: p.bMaterial,
        workshopId: p.bWorkshop,
        title: 'Hijacked',
        language: 'en',
        mediaType: 'application/pdf',
        sha256: p.bMaterialSha,
        audience: 'participants',
      },
    }),
  },
  {
    path: '/api/v1/tool-summaries/:id',
    methods: ['PUT', 'DELETE'],
    access: 'coordinator',
    probe: (p) => ({ url: `/api/v1/tool-summaries/${p.toolSummary}`, payload: toolBody(p.toolSummary, 'Hijacked') }),
  },
  {
    path: '/api/v1/reports/survey',
    methods: GET,
    access: 'coordinator',
    probe: () => ({ url: '/api/v1/reports/survey?fiscalYear=2021/22' }),
  },
  {
    path: '/api/v1/reports/fiscal-years',
    methods: GET,
    access: 'coordinator',
    probe: () => ({ url: '/api/v1/reports/fiscal-years' }),
  },
  {
    path: '/api/v1/reports/follow-up',
    methods: GET,
    access: 'coordinator',
    probe: () => ({ url: '/api/v1/reports/follow-up?fiscalYear=2021' }),
  },
  {
    path: '/api/v1/reports/responses',
    methods: GET,
    access: 'coordinator',
    probe: () => ({ url: '/api/v1/reports/responses?fiscalYear=2021' }),
  },
  {
    path: '/api/v1/reports/responses/import',
    methods: ['POST'],
    access: 'coordinator',
    probe: () => ({
      url: '/api/v1/reports/responses/import',
      headers: { 'content-type': 'text/csv' },
      payload: 'workshop_id,participant_id\n',
    }),
  },
  {
    path: '/api/v1/coordinator/workshops',
    methods: GET,
    access: 'coordinator',
    probe: () => ({ url: '/api/v1/coordinator/workshops' }),
  },
  {
    path: '/api/v1/coordinator/workshops/:id',
    methods: GET,
    access: 'coordinator',
    probe: (p) => ({ url: `/api/v1/coordinator/workshops/${p.bWorkshop}` }),
  },
  {
    path: '/api/v1/coordinator/workshops/:id/roster/:participantId',
    methods: ['DELETE'],
    access: 'coordinator',
    probe: (p) => ({ url: `/api/v1/coordinator/workshops/${p.bWorkshop}/roster/${p.bId}` }),
  },
  {
    path: '/api/v1/coordinator/tool-summaries',
    methods: GET,
    access: 'coordinator',
    probe: () => ({ url: '/api/v1/coordinator/tool-summaries' }),
  },
];

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe.each(DB_KINDS)('access control on every route, on %s', (kind) => {
  let s: TestServer;
  let p: Participants;
  let expiredSession: string;
  let routes: Map<string, Set<string>>;

  beforeAll(async () => {
    s = await startTestServer(kind);
    p = await twoParticipants(s);
    // A coordinator session 12 h old: signed in, then the clock moves past its expiry.
    s.clock.now = new Date(s.clock.now.getTime() - 13 * 3600_000);
    expiredSession = await coordinatorToken(s);
    s.clock.now = new Date(s.clock.now.getTime() + 13 * 3600_000);
    routes = enumerateRoutes(s);
  }, 60_000);
  afterAll(async () => {
    await s?.close();
  });

  async function send(method: string, probe: Probe, headers: Record<string, string>) {
    const options: InjectOptions = {
      method: method as InjectOptions['method'],
      url: probe.url,
      headers: { ...probe.headers, ...headers },
    };
    if (probe.payload !== undefined && method !== 'GET' && method !== 'HEAD') {
      options.payload = typeof probe.payload === 'string' ? probe.payload : JSON.stringify(probe.payload);
      options.headers = { 'content-type': 'application/json', ...options.headers };
    }
    return s.app.inject(options);
  }

  it('names every route of the running app in the access table, and nothing else', () => {
    const actual = [...routes].map(([path, methods]) => `${[...methods].sort().join(',')} ${path}`).sort();
    const tableFor = (r: RouteSpec) => `${[...r.methods].sort().join(',')} ${r.path}`;
    const expected = ROUTES.map(tableFor).sort();
    expect(actual, 'a route is missing from ROUTES in test/server/security-access.test.ts').toEqual(expected);
    for (const r of ROUTES.filter((x) => x.access === 'coordinator')) expect(r.probe, r.path).toBeDefined();
  });

  it('reads the route list right: every OpenAPI operation is in it', async () => {
    const doc = (await s.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    const ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
      // The document's /api/v1/uploads/{id} is the tus route /api/v1/uploads/*.
      Object.keys(methods).map(
        (m) => `${m.toUpperCase()} ${path.replace('/uploads/{id}', '/uploads/*').replace(/\{(\w+)\}/g, ':$1')}`,
      ),
    );
    expect(ops.length).toBeGreaterThan(10);
    for (const op of ops) {
      const [method, path] = op.split(' ') as [string, string];
      expect(routes.get(path)?.has(method), op).toBe(true);
    }
  });

  it('coordinator-only routes refuse participant A (403), nobody, a revoked phone, an expired session and a forged token (401), with B’s ids, and write nothing', async () => {
    const problems: string[] = [];
    const before = await snapshot(s);
    const identities: [string, Record<string, string>, number, string | null][] = [
      ['participant A', bearer(p.a.token), 403, null],
      ['nobody', {}, 401, null],
      ['B’s revoked phone', bearer(p.bRevoked.token), 401, 'revoked'],
      ['an expired coordinator session', bearer(expiredSession), 401, 'expired'],
      ['a forged device token', bearer(`vd_${randomBytes(32).toString('base64url')}`), 401, 'unauthorized'],
      ['a forged session token', bearer(`vc_${randomBytes(32).toString('base64url')}`), 401, 'unauthorized'],
    ];
    let probes = 0;
    for (const route of ROUTES.filter((r) => r.access === 'coordinator')) {
      const probe = route.probe!(p);
      for (const method of route.methods as string[]) {
        for (const [who, headers, status, error] of identities) {
          const res = await send(method, probe, headers);
          probes++;
          if (res.statusCode !== status)
            problems.push(`${method} ${probe.url} as ${who}: ${res.statusCode} ${res.body.slice(0, 200)}`);
          else if (method !== 'HEAD' && error && (res.json() as { error: string }).error !== error)
            problems.push(`${method} ${probe.url} as ${who}: ${res.body.slice(0, 200)}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(probes).toBeGreaterThan(100);
    expect(await snapshot(s)).toBe(before);
    // The probes were real requests: the same ones succeed for a coordinator (checked on a read-only route).
    const real = await send('GET', { url: `/api/v1/coordinator/workshops/${p.bWorkshop}` }, bearer(p.coordinator));
    expect(real.statusCode).toBe(200);
  });

  it('sync: A pulls nothing of B’s, even naming B’s scopes, and can change none of B’s records', async () => {
    const bIds = Object.values(p.bRecords);
    const ownedByB = (c: { id: string; data: unknown }) =>
      bIds.includes(c.id) ||
      c.id === p.bMaterial ||
      (c.data !== null && (c.data as { participantId?: string }).participantId === p.bId);
    for (const cursors of [{}, { [`p:${p.bId}`]: 0, [`wp:${p.bWorkshop}`]: 0 }]) {
      for (const token of [p.a.token, null]) {
        const pulled = await sync(s, token, { cursors });
        expect(pulled.status).toBe(200);
        expect(pulled.body.changes.filter(ownedByB)).toEqual([]);
        expect(pulled.raw).not.toContain('B’s');
        const scopes = [...Object.keys(pulled.body.cursors), ...Object.keys(pulled.body.scopeIds ?? {})];
        expect(scopes).not.toContain(`p:${p.bId}`);
        expect(scopes).not.toContain(`wp:${p.bWorkshop}`);
      }
    }
    // B's other phone does get them: the checks above look at real records.
    const bOther = await enrol(s, await issueCode(s, p.coordinator, p.bId));
    const own = await sync(s, bOther.token, {});
    expect(
      own.body.changes
        .filter(ownedByB)
        .map((c) => c.id)
        .sort(),
    ).toEqual([...bIds, p.bMaterial].sort());

    const bRows = () =>
      s.database.db.selectFrom('records').selectAll().where('owner_participant_id', '=', p.bId).execute();
    const before = await bRows();
    // Valid edits of each of B's records (so only ownership can refuse them), deletes, a record of A's own
    // under the id of B's record, a record in B's name, and one for B's workshop, which A did not attend.
    const edits = [
      { collection: 'followUpActions' as const, recordId: p.bRecords.action, fields: { description: 'hijacked' } },
      { collection: 'surveyResponses' as const, recordId: p.bRecords.survey, fields: { otherActions: 'hijacked' } },
      { collection: 'evaluations' as const, recordId: p.bRecords.evaluation, fields: { comment: 'hijacked' } },
    ];
    const mutations: Mutation[] = [
      ...edits.map((e) => ({ ...e, op: 'patch' as const, baseVersion: 0 })),
      ...edits.map(({ collection, recordId }) => ({ collection, recordId, op: 'delete' as const, baseVersion: 0 })),
      ...[
        { recordId: p.bRecords.action, fields: action(p.aId, p.sharedWorkshop) },
        { recordId: randomUUID(), fields: action(p.bId, p.sharedWorkshop) },
        { recordId: randomUUID(), fields: action(p.aId, p.bWorkshop) },
      ].map((c) => ({ ...c, op: 'create' as const, collection: 'followUpActions' as const })),
    ].map((m, i) => ({ ...m, mid: i + 1 }));
    const pushed = await sync(s, p.a.token, { mutations });
    expect(pushed.status).toBe(200);
    expect(pushed.body.results).toHaveLength(mutations.length);
    for (const r of pushed.body.results) {
      expect(r, JSON.stringify(r)).toMatchObject({ status: 'rejected' });
      expect(['forbidden', 'exists'], JSON.stringify(r)).toContain(r.status === 'rejected' ? r.code : r.status);
    }
    expect(await bRows()).toEqual(before);
    // The same kind of edit from B's own phone applies: the refusals above were about ownership.
    const mine = await sync(s, p.b.token, {
      mutations: [{ ...edits[2]!, op: 'patch', baseVersion: 0, mid: 4 }],
    });
    expect(mine.body.results[0]).toMatchObject({ status: 'applied' });
  });

  it('files: A cannot read B’s evidence or the participants-only material of B’s workshop', async () => {
    for (const sha of [p.bEvidenceSha, p.bMaterialSha]) {
      for (const method of ['GET', 'HEAD'] as const) {
        const url = `/api/v1/files/${sha}`;
        const as = async (headers: Record<string, string>) => (await s.app.inject({ method, url, headers })).statusCode;
        expect(await as(bearer(p.a.token)), `${method} ${url} as A`).toBe(403);
        expect(await as({}), `${method} ${url} as nobody`).toBe(401);
        expect(await as(bearer(p.bRevoked.token)), `${method} ${url} as B's revoked phone`).toBe(401);
        expect(await as(bearer(expiredSession)), `${method} ${url} with an expired session`).toBe(401);
        // The files are there: B (and a coordinator) may read them.
        expect(await as(bearer(p.b.token)), `${method} ${url} as B`).toBe(200);
        expect(await as(bearer(p.coordinator)), `${method} ${url} as coordinator`).toBe(200);
      }
    }
  });

  it('uploads: A can neither see, continue, read nor end B’s upload, whatever the method', async () => {
    // Every method, routed or not: none may reach B's upload.
    const methods = ['GET', 'HEAD', 'PATCH', 'DELETE', 'OPTIONS', 'POST', 'PUT', 'TRACE'];
    expect(methods).toEqual(expect.arrayContaining([...(routes.get('/api/v1/uploads/*') ?? [])]));
    const tus = { 'tus-resumable': '1.0.0' };
    const offsetOf = async () => {
      const head = await s.app.inject({ method: 'HEAD', url: p.bUpload, headers: { ...tus, ...bearer(p.b.token) } });
      expect(head.statusCode).toBe(200);
      return Number(head.headers['upload-offset']);
    };
    expect(await offsetOf()).toBe(p.bUploadOffset);
    for (const method of methods) {
      for (const [who, headers] of [
        ['A', bearer(p.a.token)],
        ['nobody', {}],
        ['B’s revoked phone', bearer(p.bRevoked.token)],
      ] as const) {
        const res = await s.app.inject({
          method: method as InjectOptions['method'],
          url: p.bUpload,
          headers: {
            ...tus,
            ...headers,
            'upload-offset': String(p.bUploadOffset),
            'content-type': 'application/offset+octet-stream',
          },
          ...(method === 'PATCH' || method === 'POST' || method === 'PUT' ? { payload: randomBytes(50) } : {}),
        });
        if (method === 'OPTIONS') {
          // The CORS preflight: tus answers it for anyone, with no upload's data.
          expect(res.statusCode).toBe(204);
          expect(res.headers['upload-offset']).toBeUndefined();
          expect(res.body).toBe('');
          continue;
        }
        expect(res.statusCode, `${method} B’s upload as ${who}: ${res.body}`).toBeGreaterThanOrEqual(400);
        if (method === 'HEAD' || method === 'PATCH' || method === 'DELETE' || method === 'GET')
          expect([401, 404], `${method} as ${who}`).toContain(res.statusCode);
      }
    }
    expect(await offsetOf()).toBe(p.bUploadOffset);
    // A creating an upload of A's own is allowed; nobody is not.
    const body = { method: 'POST' as const, url: '/api/v1/uploads' };
    const create = (headers: Record<string, string>) =>
      s.app.inject({
        ...body,
        headers: {
          ...tus,
          ...headers,
          'upload-length': '10',
          'upload-metadata': `filetype ${Buffer.from('image/jpeg').toString('base64')},sha256 ${Buffer.from('a'.repeat(64)).toString('base64')}`,
        },
      });
    expect((await create(bearer(p.a.token))).statusCode).toBe(201);
    expect((await create({})).statusCode).toBe(401);
    expect((await create(bearer(p.bRevoked.token))).statusCode).toBe(401);
  });

  it('sign-out: a device token ends nobody’s session', async () => {
    const before = await snapshot(s);
    const res = await s.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(p.a.token) });
    expect(res.statusCode).toBe(204);
    expect(await snapshot(s)).toBe(before);
    const still = await s.app.inject({ method: 'GET', url: '/api/v1/devices', headers: bearer(p.coordinator) });
    expect(still.statusCode).toBe(200);
  });

  it('public routes answer without a token and carry no participant’s data', async () => {
    for (const route of ROUTES.filter((r) => r.access === 'public')) {
      for (const method of route.methods as string[]) {
        const payload =
          route.path === '/api/v1/enroll'
            ? { code: 'ABCD-EFGH-JKMN', deviceName: 'x' }
            : route.path === '/api/v1/auth/login'
              ? { email: 'nobody@example.org', password: 'wrong' }
              : undefined;
        const res = await send(method, { url: route.path, payload }, {});
        expect(res.statusCode, `${method} ${route.path}`).toBeLessThan(500);
        for (const secret of [p.bId, p.aId, p.b.deviceId, ...Object.values(p.bRecords), 'B’s'])
          expect(res.body).not.toContain(secret);
      }
    }
  });
});
