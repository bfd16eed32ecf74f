/**
 * The security log (OWASP ASVS 5.0.0 V16.2.1, V16.2.4, V16.2.5,
 * V16.3.1–V16.3.3, V16.4.1), on SQLite and PostgreSQL: the server's real pino
 * stream is captured while a scenario signs in and fails to, enrols and fails
 * to, is refused (401 and 403), hits a rate limit, uses a revoked phone and an
 * expired session, and has an upload refused. Each of these is a structured
 * event with the address and route; and no line of the whole log, request logs
 * included, holds a token, an enrolment code, a password or an e-mail address.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes, randomUUID } from 'node:crypto';
import { DB_KINDS } from './harness';
import { addParticipant, addWorkshop, enrol, issueCode, sync } from './fixtures';
import { startLoggedServer, tusCreate, type LoggedServer } from './security-support';
import { hashPassword } from '../../src/server/auth/tokens';
import { emailFingerprint } from '../../src/server/security-log';

interface Line {
  level: number;
  msg?: string;
  event?: string;
  ip?: string;
  method?: string;
  route?: string;
  status?: number;
  reason?: string;
  [key: string]: unknown;
}

const WARN = 40;
const INFO = 30;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe.each(DB_KINDS)('security log on %s', (kind) => {
  let s: LoggedServer;
  let events: Line[];
  let lines: string[];
  const secrets: Record<string, string> = {};
  const email = `grace.${randomUUID().slice(0, 8)}@pacific-customs.example`;
  const password = `pw ${randomUUID()}`;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    s = await startLoggedServer(kind, { AUTH_RATE_LIMIT_PER_MINUTE: '8' });
    const coordinatorId = randomUUID();
    ids.coordinator = coordinatorId;
    await s.database.db
      .insertInto('coordinators')
      .values({
        id: coordinatorId,
        email,
        name: 'Grace',
        password_hash: await hashPassword(password),
        created_at: new Date().toISOString(),
        disabled_at: null,
      })
      .execute();
    const login = (pw: string, who = email) =>
      s.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: who, password: pw } });

    // Sign-in: a wrong password, an unknown account, a malformed request, then the right one.
    secrets.wrongPassword = `wrong ${randomUUID()}`;
    expect((await login(secrets.wrongPassword)).statusCode).toBe(401);
    expect(
      (await login(secrets.wrongPassword, `nobody.${randomUUID().slice(0, 6)}@elsewhere.example`)).statusCode,
    ).toBe(401);
    expect((await login(password, 'not-an-email')).statusCode).toBe(400);
    const ok = await login(password);
    expect(ok.statusCode).toBe(200);
    secrets.session = (ok.json() as { token: string }).token;
    secrets.password = password;

    // Enrolment: an unknown code, a good one, the good one again, an expired one.
    const workshop = await addWorkshop(s);
    const participant = await addParticipant(s, secrets.session, [workshop]);
    ids.participant = participant;
    secrets.unknownCode = 'ZZZZ-YYYY-XXXX';
    const enrolWith = (code: string) =>
      s.app.inject({ method: 'POST', url: '/api/v1/enroll', payload: { code, deviceName: 'phone' } });
    expect((await enrolWith(secrets.unknownCode)).statusCode).toBe(400);
    secrets.code = await issueCode(s, secrets.session, participant);
    const device = await enrol(s, secrets.code);
    secrets.device = device.token;
    ids.device = device.deviceId;
    expect((await enrolWith(secrets.code)).statusCode).toBe(410);
    secrets.expiredCode = await issueCode(s, secrets.session, participant);
    const later = new Date(s.clock.now.getTime() + 49 * 3600_000);
    const earlier = s.clock.now;
    s.clock.now = later;
    expect((await enrolWith(secrets.expiredCode)).statusCode).toBe(410);
    // ... which also let the session expire.
    expect(
      (await s.app.inject({ method: 'GET', url: '/api/v1/devices', headers: bearer(secrets.session) })).statusCode,
    ).toBe(401);
    s.clock.now = earlier;

    // Refused access: nobody, a device on a coordinator route, a forged token.
    expect((await s.app.inject({ method: 'GET', url: '/api/v1/devices' })).statusCode).toBe(401);
    expect(
      (await s.app.inject({ method: 'GET', url: '/api/v1/devices', headers: bearer(secrets.device) })).statusCode,
    ).toBe(403);
    secrets.forged = `vd_${randomBytes(32).toString('base64url')}`;
    expect((await sync(s, secrets.forged, {})).status).toBe(401);

    // Input refused as invalid: broken JSON, a malformed path parameter.
    const broken = await s.app.inject({
      method: 'POST',
      url: '/api/v1/sync',
      headers: { 'content-type': 'application/json', ...bearer(secrets.device) },
      payload: '{"protocol":',
    });
    expect(broken.statusCode).toBe(400);
    expect((await s.app.inject({ method: 'GET', url: '/api/v1/files/not-a-sha' })).statusCode).toBe(400);

    // A refused upload type, then the device is revoked and used again.
    const script = Buffer.from('<script>alert(1)</script>');
    expect((await tusCreate(s, secrets.device, script.length, 'a'.repeat(64), 'text/html')).status).toBe(415);
    const second = await enrol(s, await issueCode(s, secrets.session, participant));
    secrets.revoked = second.token;
    ids.revoked = second.deviceId;
    const revoke = await s.app.inject({
      method: 'POST',
      url: `/api/v1/devices/${second.deviceId}/revoke`,
      headers: bearer(secrets.session),
    });
    expect(revoke.statusCode).toBe(204);
    expect((await sync(s, secrets.revoked, {})).status).toBe(401);

    // A rate limit hit from another address, a try at forging a log line, and a sign-out.
    for (let i = 0; i < 9; i++)
      await s.app.inject({
        method: 'POST',
        url: '/api/v1/enroll',
        payload: { code: secrets.unknownCode, deviceName: 'x' },
        remoteAddress: '203.0.113.50',
      });
    // The upload's declared type is logged as sent: a line break and a fake event in it must stay inside the line.
    const forged = 'image/x\n{"level":30,"event":"auth.login_succeeded","ip":"10.0.0.1"}\r\n';
    expect((await tusCreate(s, secrets.device, 10, 'a'.repeat(64), forged)).status).toBe(415);
    expect(
      (await s.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(secrets.session) })).statusCode,
    ).toBe(204);

    await new Promise((r) => setTimeout(r, 50));
    lines = s.lines.flatMap((chunk) => chunk.split('\n')).filter((l) => l.trim() !== '');
    events = lines.map((l) => JSON.parse(l) as Line).filter((l) => l.event !== undefined);
  }, 60_000);
  afterAll(async () => {
    await s?.close();
  });

  const find = (event: string, match: Partial<Line> = {}) =>
    events.filter((e) => e.event === event && Object.entries(match).every(([k, v]) => e[k] === v));

  it('writes one JSON object a line, and a forged line in logged input stays inside its own line', () => {
    expect(lines.length).toBeGreaterThan(50);
    for (const l of lines) expect(() => JSON.parse(l), l).not.toThrow();
    // Each security event says when, from where, which request and which route (ASVS 5.0 V16.2.1).
    expect(events.length).toBeGreaterThan(15);
    for (const e of events) {
      expect(e, JSON.stringify(e)).toMatchObject({
        time: expect.any(Number),
        reqId: expect.any(String),
        ip: expect.any(String),
        method: expect.any(String),
        route: expect.stringMatching(/^\/api\//),
      });
    }
    // One sign-in succeeded; the forged event in the upload type above is not a second one.
    expect(find('auth.login_succeeded')).toHaveLength(1);
    expect(find('upload.refused', { reason: 'media_type' }).map((e) => e.mediaType)).toContain(
      'image/x\n{"level":30,"event":"auth.login_succeeded","ip":"10.0.0.1"}\r\n',
    );
  });

  it('logs failed sign-ins as warnings with the reason, the address and the e-mail’s domain and hash only', () => {
    const { emailDomain, emailHash } = emailFingerprint(email);
    const wrong = find('auth.login_failed', { reason: 'wrong_password' });
    expect(wrong).toHaveLength(1);
    expect(wrong[0]).toMatchObject({
      level: WARN,
      ip: '127.0.0.1',
      method: 'POST',
      route: '/api/v1/auth/login',
      status: 401,
      emailDomain: 'pacific-customs.example',
      emailHash,
      coordinatorId: ids.coordinator,
    });
    expect(emailDomain).toBe('pacific-customs.example');
    expect(find('auth.login_failed', { reason: 'unknown_account', emailDomain: 'elsewhere.example' })).toHaveLength(1);
    expect(find('auth.login_failed', { reason: 'invalid_request', status: 400 })).toHaveLength(1);
    expect(find('auth.login_succeeded', { level: INFO, coordinatorId: ids.coordinator, emailHash })).toHaveLength(1);
    expect(find('auth.logout', { coordinatorId: ids.coordinator })).toHaveLength(1);
  });

  it('logs enrolment failures and successes without the code', () => {
    expect(find('enrol.failed', { reason: 'invalid_code', status: 400, ip: '127.0.0.1', level: WARN })).toHaveLength(1);
    expect(find('enrol.failed', { reason: 'code_used', status: 410, participantId: ids.participant })).toHaveLength(1);
    expect(find('enrol.failed', { reason: 'code_expired', status: 410, participantId: ids.participant })).toHaveLength(
      1,
    );
    expect(find('enrol.succeeded', { deviceId: ids.device, participantId: ids.participant })).toHaveLength(1);
  });

  it('logs every refused request (401 and 403) with the caller and the route', () => {
    expect(
      find('access.denied', { status: 401, reason: 'no_credentials', route: '/api/v1/devices', caller: 'anonymous' }),
    ).toHaveLength(1);
    expect(
      find('access.denied', {
        status: 403,
        reason: 'not_permitted',
        route: '/api/v1/devices',
        caller: 'device',
        deviceId: ids.device,
        participantId: ids.participant,
      }),
    ).toHaveLength(1);
    expect(
      find('access.denied', { status: 401, reason: 'unknown_token', route: '/api/v1/sync', level: WARN }),
    ).toHaveLength(1);
    // Every 401 and 403 the server answered has its event (request logs name the status of each answer).
    const answered = lines
      .map((l) => JSON.parse(l) as Line & { reqId?: string; res?: { statusCode?: number } })
      .filter((l) => l.res?.statusCode === 401 || l.res?.statusCode === 403);
    expect(answered.length).toBeGreaterThanOrEqual(7);
    const described = new Set(events.map((e) => e.reqId));
    for (const a of answered) expect(described.has(a.reqId), JSON.stringify(a)).toBe(true);
  });

  it('logs the use of a revoked device, an expired session, a rate-limit hit and a refused upload', () => {
    expect(find('auth.revoked_device_used', { deviceId: ids.revoked, status: 401, level: WARN })).toHaveLength(1);
    expect(find('auth.session_expired', { coordinatorId: ids.coordinator, status: 401 })).toHaveLength(1);
    const limited = find('rate_limit.exceeded', { ip: '203.0.113.50', route: '/api/v1/enroll', status: 429 });
    expect(limited).toHaveLength(1);
    expect(limited[0]!.level).toBe(WARN);
    expect(find('upload.refused', { reason: 'media_type', mediaType: 'text/html', status: 415 })).toHaveLength(1);
    expect(find('admin.write', { coordinatorId: ids.coordinator, route: '/api/v1/devices/:id/revoke' })).toHaveLength(
      1,
    );
  });

  it('logs requests refused as invalid', () => {
    expect(find('input.rejected', { route: '/api/v1/sync', status: 400, level: INFO })).toHaveLength(1);
    expect(find('input.rejected', { route: '/api/v1/files/:sha256', status: 400 })).toHaveLength(1);
  });

  it('never writes a token, an enrolment code, a password or an e-mail address', () => {
    const all = lines.join('\n');
    const variants: [string, string][] = [];
    for (const [name, value] of Object.entries(secrets)) {
      variants.push([name, value]);
      if (/^v[dc]_/.test(value)) variants.push([`${name} without prefix`, value.slice(3)]);
      if (/^[0-9A-Z]{4}-/.test(value)) variants.push([`${name} without dashes`, value.replace(/-/g, '')]);
    }
    variants.push(['e-mail', email], ['e-mail local part', email.split('@')[0]!]);
    expect(variants.length).toBeGreaterThan(12);
    for (const [name, value] of variants) expect(all.includes(value), `${name} is in the log`).toBe(false);
    expect(all).not.toMatch(/bearer /i);
  });
});
