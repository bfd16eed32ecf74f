/**
 * The ASVS 5.0 Level 2 protections of issue #19, each with a test that fails
 * without it (docs/security.md names them): the coordinators' TOTP second
 * factor and its recovery codes, the password rules and change, idle and
 * absolute session limits, and the upload checks by content, purpose and
 * quota. Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import * as OTPAuth from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, startTestServer, type TestServer } from './harness';
import { hashPassword } from '../../src/server/auth/tokens';
import { runAdmin } from '../../src/server/cli/run';
import { passwordProblem } from '../../src/server/auth/passwords';
import { checkContent, safeFileName } from '../../src/server/upload-policy';
import { tusUpload } from './security-support';

const PASSWORD = 'a sturdy passphrase for tests';

async function addCoordinator(s: TestServer): Promise<{ id: string; email: string }> {
  const id = randomUUID();
  const email = `c-${id.slice(0, 8)}@example.org`;
  await s.database.db
    .insertInto('coordinators')
    .values({
      id,
      email,
      name: 'Test Coordinator',
      password_hash: await hashPassword(PASSWORD),
      created_at: s.clock.now.toISOString(),
      disabled_at: null,
    })
    .execute();
  return { id, email };
}

async function login(s: TestServer, email: string, password = PASSWORD) {
  const res = await s.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
  return { status: res.statusCode, body: res.json() as { token: string; secondFactor: string } };
}

function call(s: TestServer, token: string, method: 'GET' | 'POST', url: string, payload?: object) {
  return s.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
}

function codeAt(secret: string, when: Date): string {
  return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30 }).generate({
    timestamp: when.getTime(),
  });
}

/** Sets up a second factor for a fresh session; returns the secret and the recovery codes. */
async function enableTotp(s: TestServer, token: string) {
  const setup = await call(s, token, 'POST', '/api/v1/auth/second-factor/setup');
  expect(setup.statusCode).toBe(200);
  const { secret, otpauthUri } = setup.json() as { secret: string; otpauthUri: string };
  expect(otpauthUri).toMatch(/^otpauth:\/\/totp\/Vaka:.*secret=/);
  const confirm = await call(s, token, 'POST', '/api/v1/auth/second-factor/confirm', {
    code: codeAt(secret, s.clock.now),
  });
  expect(confirm.statusCode).toBe(200);
  return { secret, recoveryCodes: (confirm.json() as { recoveryCodes: string[] }).recoveryCodes };
}

const WORKSHOPS = '/api/v1/coordinator/workshops';

describe.each(DB_KINDS)('ASVS level 2 on %s', (kind) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(kind);
  });
  afterAll(async () => {
    await s.close();
  });

  it('[V6.5] a coordinator with a second factor reaches no coordinator route before the TOTP code', async () => {
    const who = await addCoordinator(s);
    const first = await login(s, who.email);
    expect(first.body.secondFactor).toBe('done');
    const { secret } = await enableTotp(s, first.body.token);

    const second = await login(s, who.email);
    expect(second.body.secondFactor).toBe('verify');
    const blocked = await call(s, second.body.token, 'GET', WORKSHOPS);
    expect(blocked.statusCode).toBe(401);
    expect(blocked.json()).toMatchObject({ error: 'second_factor_required' });
    // Nor may it replace the factor it owes.
    expect((await call(s, second.body.token, 'POST', '/api/v1/auth/second-factor/setup')).statusCode).toBe(401);

    s.clock.now = new Date(s.clock.now.getTime() + 60_000);
    const ok = await call(s, second.body.token, 'POST', '/api/v1/auth/second-factor/verify', {
      code: codeAt(secret, s.clock.now),
    });
    expect(ok.statusCode).toBe(200);
    expect((await call(s, second.body.token, 'GET', WORKSHOPS)).statusCode).toBe(200);

    // [V6.5.1] The same code, again, in another session: refused.
    const third = await login(s, who.email);
    const replay = await call(s, third.body.token, 'POST', '/api/v1/auth/second-factor/verify', {
      code: codeAt(secret, s.clock.now),
    });
    expect(replay.statusCode).toBe(401);
  });

  it('[V6.5.1, V6.6] recovery codes work once each; the operator can reset a lost factor', async () => {
    const who = await addCoordinator(s);
    const { recoveryCodes } = await enableTotp(s, (await login(s, who.email)).body.token);
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    const stored = await s.database.db
      .selectFrom('coordinator_recovery_codes')
      .select('code_hash')
      .where('coordinator_id', '=', who.id)
      .execute();
    expect(stored.map((r) => r.code_hash)).not.toContain(recoveryCodes[0]);

    const a = await login(s, who.email);
    const used = await call(s, a.body.token, 'POST', '/api/v1/auth/second-factor/verify', {
      code: recoveryCodes[0]!.toUpperCase(),
    });
    expect(used.json()).toEqual({ used: 'recovery_code' });
    const b = await login(s, who.email);
    const again = await call(s, b.body.token, 'POST', '/api/v1/auth/second-factor/verify', { code: recoveryCodes[0]! });
    expect(again.statusCode).toBe(401);

    const env =
      s.config.database.kind === 'postgres'
        ? { DATABASE_URL: s.config.database.url }
        : { DATABASE_PATH: s.config.database.path, DATABASE_URL: '' };
    const out: string[] = [];
    const code = await runAdmin(
      ['reset-mfa', '--email', who.email],
      { stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => out.push(t) } },
      { ...env, LOG_LEVEL: 'silent' },
    );
    expect(code, out.join('')).toBe(0);
    // Every session ended, and the next sign-in needs no code.
    expect((await call(s, a.body.token, 'GET', WORKSHOPS)).statusCode).toBe(401);
    expect((await login(s, who.email)).body.secondFactor).toBe('done');
  });

  it('[V6.5, V2.4.1] wrong codes are limited: the fifth ends the session', async () => {
    const who = await addCoordinator(s);
    await enableTotp(s, (await login(s, who.email)).body.token);
    const { token } = (await login(s, who.email)).body;
    const answers: number[] = [];
    for (let i = 0; i < 5; i++)
      answers.push((await call(s, token, 'POST', '/api/v1/auth/second-factor/verify', { code: '000000' })).statusCode);
    expect(answers).toEqual([401, 401, 401, 401, 401]);
    const after = await call(s, token, 'POST', '/api/v1/auth/second-factor/verify', { code: '000000' });
    expect(after.json()).toMatchObject({ error: 'unauthorized' });
  });

  it('[V7.3.1, V7.3.2] a session ends after the idle time and after its absolute lifetime', async () => {
    const who = await addCoordinator(s);
    const { token } = (await login(s, who.email)).body;
    const start = s.clock.now.getTime();
    // Active every 20 minutes: still signed in after an hour.
    for (let minutes = 20; minutes <= 60; minutes += 20) {
      s.clock.now = new Date(start + minutes * 60_000);
      expect((await call(s, token, 'GET', WORKSHOPS)).statusCode).toBe(200);
    }
    s.clock.now = new Date(start + 60 * 60_000 + 31 * 60_000);
    const idle = await call(s, token, 'GET', WORKSHOPS);
    expect(idle.statusCode).toBe(401);
    expect(idle.json()).toMatchObject({ error: 'expired' });

    const fresh = (await login(s, who.email)).body.token;
    const t0 = s.clock.now.getTime();
    for (let minutes = 25; minutes <= 12 * 60; minutes += 25) {
      s.clock.now = new Date(t0 + minutes * 60_000);
      await call(s, fresh, 'GET', WORKSHOPS);
    }
    s.clock.now = new Date(t0 + 12 * 3600_000 + 60_000);
    expect((await call(s, fresh, 'GET', WORKSHOPS)).statusCode).toBe(401);
  });

  it('[V6.2.2, V6.2.3, V7.4.3] a password change asks the old one, refuses common ones and ends other sessions', async () => {
    const who = await addCoordinator(s);
    const here = (await login(s, who.email)).body.token;
    const there = (await login(s, who.email)).body.token;
    const wrong = await call(s, here, 'POST', '/api/v1/auth/password', {
      currentPassword: 'not it at all',
      newPassword: 'a different sturdy phrase',
    });
    expect(wrong.statusCode).toBe(403);
    for (const weak of ['short one', 'password1234', 'qazwsxedcrfv']) {
      const res = await call(s, here, 'POST', '/api/v1/auth/password', {
        currentPassword: PASSWORD,
        newPassword: weak,
      });
      expect(res.statusCode, weak).toBe(400);
    }
    const changed = await call(s, here, 'POST', '/api/v1/auth/password', {
      currentPassword: PASSWORD,
      newPassword: 'a different sturdy phrase',
    });
    expect(changed.statusCode).toBe(204);
    expect((await call(s, here, 'GET', WORKSHOPS)).statusCode).toBe(200);
    expect((await call(s, there, 'GET', WORKSHOPS)).statusCode).toBe(401);
    expect((await login(s, who.email)).status).toBe(401);
    expect((await login(s, who.email, 'a different sturdy phrase')).status).toBe(200);
  });

  it('[V5.2.2] refuses a program renamed to .pdf, by its bytes, with a sentence a person understands', async () => {
    const who = await addCoordinator(s);
    const { token } = (await login(s, who.email)).body;
    const exe = Buffer.concat([
      Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff', 'latin1'),
      randomBytes(4000),
    ]);
    const refused = await tusUpload(s, token, exe, 'application/pdf');
    expect(refused.status).toBe(415);
    expect(refused.body).toMatch(/not what its name says: its contents are not a PDF/);
    const row = await s.database.db.selectFrom('files').selectAll().execute();
    expect(row.map((r) => r.media_type)).not.toContain('application/x-msdownload');
    const pdf = Buffer.from('%PDF-1.4 real slides '.repeat(30));
    expect((await tusUpload(s, token, pdf, 'application/pdf')).status).toBe(204);
  });
});

describe.each(DB_KINDS)('second factor required, and the upload quota, on %s', (kind) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(kind, { COORDINATOR_MFA: 'required', UPLOAD_QUOTA_MB: '0.01' });
  });
  afterAll(async () => {
    await s.close();
  });

  it('[V6.3.3] with COORDINATOR_MFA=required a coordinator without one must set it up before anything else', async () => {
    const who = await addCoordinator(s);
    const { token, secondFactor } = (await login(s, who.email)).body;
    expect(secondFactor).toBe('setup');
    expect((await call(s, token, 'GET', WORKSHOPS)).json()).toMatchObject({ error: 'second_factor_required' });
    await enableTotp(s, token);
    expect((await call(s, token, 'GET', WORKSHOPS)).statusCode).toBe(200);
  });

  it('[V5.2.4] refuses an upload past the uploader’s quota, saying how much is left', async () => {
    const who = await addCoordinator(s);
    const { token } = (await login(s, who.email)).body;
    await enableTotp(s, token);
    const pdf = (n: number) => Buffer.concat([Buffer.from('%PDF-1.4 '), randomBytes(n)]);
    expect((await tusUpload(s, token, pdf(6000), 'application/pdf')).status).toBe(204);
    const over = await tusUpload(s, token, pdf(6000), 'application/pdf');
    expect(over.status).toBe(413);
    expect(over.body).toMatch(/only 0\.\d MB of your 0\.0 MB for uploads is left|only .* of your .* is left/);
  });
});

describe('upload and password rules', () => {
  it('[V5.2.2] matches declared types to content per purpose', async () => {
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(200)]);
    expect(await checkContent(jpeg, 'image/jpeg', 'evidence')).toEqual({ ok: true });
    expect((await checkContent(jpeg, 'application/pdf', 'evidence')).ok).toBe(false);
    expect((await checkContent(randomBytes(200), 'image/jpeg', 'evidence')).ok).toBe(false);
    expect(await checkContent(Buffer.from('name,score\nA,1\n'), 'text/csv', 'evidence')).toEqual({ ok: true });
    expect((await checkContent(Buffer.from('PK\x03\x04'), 'application/zip', 'evidence')).ok).toBe(false);
    expect(await checkContent(randomBytes(200).fill(1, 0, 4), 'application/octet-stream', 'materials')).toEqual({
      ok: true,
    });
  });

  it('[V5.3.2] cleans declared file names', () => {
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('C:\\Users\\x\\report.pdf')).toBe('report.pdf');
    expect(safeFileName('..hidden')).toBe('hidden');
    expect(safeFileName('a\u202egnp.exe')).toBe('a_gnp.exe');
    expect(safeFileName(`${'x'.repeat(300)}.pdf`)).toHaveLength(120);
    expect(safeFileName(undefined)).toBe('file');
  });

  it('[V6.2.1, V6.2.4] needs 12 characters and refuses the shipped list of common passwords', () => {
    expect(passwordProblem('elevenchars')).toBe('too_short');
    expect(passwordProblem('qazwsxedcrfv')).toBe('common');
    expect(passwordProblem('password1234')).toBe('common');
    expect(passwordProblem('iloveyou2024!')).toBe('common');
    expect(passwordProblem('basketballbasketball')).toBe('common');
    expect(passwordProblem('maria.santos.2024', 'maria.santos@example.org')).toBe('contains_email');
    expect(passwordProblem('tide pools at dusk')).toBeNull();
  });
});
