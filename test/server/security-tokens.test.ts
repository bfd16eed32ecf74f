/**
 * Secrets and sessions (OWASP ASVS 5.0.0 V6.4.1, V7.2.3, V7.3.2, V7.4.1,
 * V7.4.2, V11.4.2, V11.5.1, V14.3.2), on SQLite and PostgreSQL: device and
 * session tokens are 256-bit values from node:crypto's CSPRNG, enrolment
 * codes 60-bit ones, all stored only as SHA-256 (no row of any table holds
 * one in clear after enrolment and sign-in); coordinator passwords are
 * Argon2id with OWASP's parameters; revoked devices, used, expired and
 * unknown codes, ended, expired and disabled sessions are refused.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHash, randomUUID } from 'node:crypto';
import * as nodeCrypto from 'node:crypto';
import { DB_KINDS, startTestServer, type TestServer } from './harness';
import { addParticipant, addWorkshop, coordinatorToken, enrol, issueCode, sync, world } from './fixtures';
import { allRows } from './security-support';
import {
  DEVICE_TOKEN_PREFIX,
  SESSION_TOKEN_PREFIX,
  hashPassword,
  newEnrolmentCode,
  newToken,
  verifyPassword,
} from '../../src/server/auth/tokens';

// Wrap (not replace) the CSPRNG functions, so the tests can see that tokens and codes come from them.
vi.mock('node:crypto', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:crypto')>();
  return {
    ...original,
    default: original,
    randomBytes: vi.fn(original.randomBytes),
    randomInt: vi.fn(original.randomInt),
  };
});

const sha256 = (v: string) => createHash('sha256').update(v).digest('hex');
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Shannon entropy per character of a sample, in bits. */
function bitsPerChar(samples: string[]): number {
  const counts = new Map<string, number>();
  let n = 0;
  for (const s of samples)
    for (const c of s) {
      counts.set(c, (counts.get(c) ?? 0) + 1);
      n++;
    }
  let h = 0;
  for (const k of counts.values()) h -= (k / n) * Math.log2(k / n);
  return h;
}

describe('token and code generation', () => {
  it('device and session tokens are 256 bits from crypto.randomBytes, base64url after a prefix', () => {
    const randomBytes = vi.mocked(nodeCrypto.randomBytes);
    randomBytes.mockClear();
    const tokens = Array.from({ length: 500 }, (_, i) => newToken(i % 2 ? DEVICE_TOKEN_PREFIX : SESSION_TOKEN_PREFIX));
    expect(randomBytes).toHaveBeenCalledTimes(500);
    for (const call of randomBytes.mock.calls) expect(call[0]).toBeGreaterThanOrEqual(32);
    for (const t of tokens) {
      expect(t).toMatch(/^v[dc]_[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(t.slice(3), 'base64url')).toHaveLength(32);
    }
    expect(new Set(tokens).size).toBe(tokens.length);
    // 64 symbols carry 6 bits each; a uniform source comes close over 21,500 characters.
    expect(bitsPerChar(tokens.map((t) => t.slice(3, 45)))).toBeGreaterThan(5.95);
  });

  it('enrolment codes are 12 Crockford base-32 characters (60 bits) from crypto.randomInt', () => {
    const randomInt = vi.mocked(nodeCrypto.randomInt);
    randomInt.mockClear();
    const codes = Array.from({ length: 500 }, () => newEnrolmentCode());
    expect(randomInt).toHaveBeenCalledTimes(500 * 12);
    for (const call of randomInt.mock.calls) expect(call).toEqual([32]);
    for (const c of codes) expect(c).toMatch(/^[0-9A-HJKMNP-TV-Z]{12}$/);
    expect(new Set(codes).size).toBe(codes.length);
    expect(bitsPerChar(codes)).toBeGreaterThan(4.95);
  });

  it('hashes passwords with Argon2id, at least 19 MiB and 2 passes, salted', async () => {
    const a = await hashPassword('correct horse battery staple');
    const b = await hashPassword('correct horse battery staple');
    const m = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(a);
    expect(m, a).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThanOrEqual(19456);
    expect(Number(m![2])).toBeGreaterThanOrEqual(2);
    expect(Buffer.from(m![4]!, 'base64').length).toBeGreaterThanOrEqual(16);
    expect(a).not.toBe(b);
    expect(await verifyPassword(a, 'correct horse battery staple')).toBe(true);
    expect(await verifyPassword(a, 'correct horse battery stapl')).toBe(false);
    // A hash of any other kind never verifies.
    expect(await verifyPassword(sha256('correct horse battery staple'), 'correct horse battery staple')).toBe(false);
  });
});

describe.each(DB_KINDS)('secrets at rest and refused credentials on %s', (kind) => {
  let s: TestServer;
  beforeEach(async () => {
    // The 12-hour absolute lifetime is tested here, so the idle timeout (asvs-level-2.test.ts) is set past it.
    s = await startTestServer(kind, { COORDINATOR_IDLE_MINUTES: String(24 * 60) });
  });
  afterEach(async () => {
    await s.close();
  });

  it('keeps no device token, enrolment code, session token or password in clear in any row after enrolment and sign-in', async () => {
    const password = `pw-${randomUUID()}`;
    const email = `grace-${randomUUID().slice(0, 6)}@example.org`;
    await s.database.db
      .insertInto('coordinators')
      .values({
        id: randomUUID(),
        email,
        name: 'Grace',
        password_hash: await hashPassword(password),
        created_at: new Date().toISOString(),
        disabled_at: null,
      })
      .execute();
    const login = await s.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
    expect(login.statusCode).toBe(200);
    expect(login.headers['cache-control']).toBe('no-store');
    const session = (login.json() as { token: string }).token;
    expect(session).toMatch(/^vc_[A-Za-z0-9_-]{43}$/);

    const workshop = await addWorkshop(s);
    const participant = await addParticipant(s, session, [workshop]);
    const usedCode = await issueCode(s, session, participant);
    const pendingCode = await issueCode(s, session, participant);
    expect(usedCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    const enrolled = await s.app.inject({
      method: 'POST',
      url: '/api/v1/enroll',
      payload: { code: usedCode, deviceName: 'phone' },
    });
    expect(enrolled.statusCode).toBe(200);
    expect(enrolled.headers['cache-control']).toBe('no-store');
    const device = (enrolled.json() as { deviceToken: string; deviceId: string }).deviceToken;
    expect(device).toMatch(/^vd_[A-Za-z0-9_-]{43}$/);
    expect((await sync(s, device, {})).status).toBe(200);

    const rows = (await allRows(s)).join('\n');
    const plain = (c: string) => c.replace(/-/g, '');
    const secrets = {
      session,
      device,
      password,
      usedCode,
      pendingCode,
      usedCodePlain: plain(usedCode),
      pendingCodePlain: plain(pendingCode),
      sessionBody: session.slice(3),
      deviceBody: device.slice(3),
    };
    for (const [name, secret] of Object.entries(secrets)) expect(rows, `${name} stored in clear`).not.toContain(secret);
    // What is stored instead: their SHA-256 (and the password's Argon2id).
    expect(rows).toContain(sha256(session));
    expect(rows).toContain(sha256(device));
    expect(rows).toContain(sha256(plain(usedCode)));
    expect(rows).toContain(sha256(plain(pendingCode)));
    expect(rows).toMatch(/\$argon2id\$/);
  });

  it('refuses a revoked device everywhere it could go, with 401 revoked', async () => {
    const { device, coordinator } = await world(s);
    expect((await sync(s, device.token, {})).status).toBe(200);
    const revoke = await s.app.inject({
      method: 'POST',
      url: `/api/v1/devices/${device.deviceId}/revoke`,
      headers: bearer(coordinator),
    });
    expect(revoke.statusCode).toBe(204);
    const after = await sync(s, device.token, {});
    expect(after.status).toBe(401);
    expect(JSON.parse(after.raw)).toMatchObject({ error: 'revoked' });
    const file = await s.app.inject({
      method: 'GET',
      url: `/api/v1/files/${'a'.repeat(64)}`,
      headers: bearer(device.token),
    });
    expect(file.statusCode).toBe(401);
    expect(file.json()).toMatchObject({ error: 'revoked' });
    const upload = await s.app.inject({
      method: 'POST',
      url: '/api/v1/uploads',
      headers: { ...bearer(device.token), 'tus-resumable': '1.0.0', 'upload-length': '10' },
    });
    expect(upload.statusCode).toBe(401);
    expect(upload.body).toMatch(/revoked/);
  });

  it('refuses unknown (400), used (410) and expired (410) enrolment codes; the code expires at its TTL to the second', async () => {
    const coordinator = await coordinatorToken(s);
    const workshop = await addWorkshop(s);
    const pid = await addParticipant(s, coordinator, [workshop]);
    const tryCode = (code: string) =>
      s.app.inject({ method: 'POST', url: '/api/v1/enroll', payload: { code, deviceName: 'phone' } });

    const unknown = await tryCode('ABCD-EFGH-JKMN');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ error: 'invalid_code' });

    const used = await issueCode(s, coordinator, pid);
    await enrol(s, used);
    const again = await tryCode(used);
    expect(again.statusCode).toBe(410);
    expect(again.json()).toMatchObject({ error: 'code_used' });

    const start = s.clock.now;
    const late = await issueCode(s, coordinator, pid);
    const inTime = await issueCode(s, coordinator, pid);
    s.clock.now = new Date(start.getTime() + 48 * 3600_000 - 1000);
    expect((await tryCode(inTime)).statusCode).toBe(200);
    s.clock.now = new Date(start.getTime() + 48 * 3600_000);
    const expired = await tryCode(late);
    expect(expired.statusCode).toBe(410);
    expect(expired.json()).toMatchObject({ error: 'code_expired' });
    // Refused codes made no device.
    expect(await s.database.db.selectFrom('devices').selectAll().execute()).toHaveLength(2);
  });

  it('ends coordinator sessions after 12 hours, at sign-out, and when the account is disabled', async () => {
    const devices = (token: string) => s.app.inject({ method: 'GET', url: '/api/v1/devices', headers: bearer(token) });
    const start = s.clock.now;
    const token = await coordinatorToken(s);
    s.clock.now = new Date(start.getTime() + 12 * 3600_000 - 1000);
    expect((await devices(token)).statusCode).toBe(200);
    s.clock.now = new Date(start.getTime() + 12 * 3600_000);
    const expired = await devices(token);
    expect(expired.statusCode).toBe(401);
    expect(expired.json()).toMatchObject({ error: 'expired' });

    s.clock.now = start;
    const other = await coordinatorToken(s);
    expect((await devices(other)).statusCode).toBe(200);
    const out = await s.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(other) });
    expect(out.statusCode).toBe(204);
    const ended = await devices(other);
    expect(ended.statusCode).toBe(401);
    expect(ended.json()).toMatchObject({ error: 'unauthorized' });

    const third = await coordinatorToken(s);
    expect((await devices(third)).statusCode).toBe(200);
    await s.database.db.updateTable('coordinators').set({ disabled_at: start.toISOString() }).execute();
    expect((await devices(third)).statusCode).toBe(401);
  });

  it('refuses a disabled account’s password like a wrong one', async () => {
    const email = `off-${randomUUID().slice(0, 6)}@example.org`;
    await s.database.db
      .insertInto('coordinators')
      .values({
        id: randomUUID(),
        email,
        name: 'Off',
        password_hash: await hashPassword('right password'),
        created_at: new Date().toISOString(),
        disabled_at: new Date().toISOString(),
      })
      .execute();
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password: 'right password' },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: 'unauthorized', message: 'E-mail or password is wrong.' });
  });
});
