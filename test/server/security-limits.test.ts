/**
 * Abuse limits (OWASP ASVS 5.0.0 V6.3.1, V2.4.1, V2.2.1, V5.2.1, V3.2.1),
 * on SQLite and PostgreSQL: enrolment and sign-in attempts are rate-limited
 * per address with 429 and Retry-After, and a limited attempt does nothing;
 * request bodies have size limits (413) and a nesting limit (400); uploads
 * over the size limit, of a media type a browser would run, or whose bytes
 * do not match the declared sha256 are refused and leave nothing behind.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { DB_KINDS, startTestServer, type TestServer } from './harness';
import { addParticipant, addWorkshop, coordinatorToken, issueCode, world } from './fixtures';
import { jpegBytes, sha256, snapshot, tusCreate, tusPatch, tusUpload, uploadMetadata } from './security-support';
import { MAX_UPLOAD_BYTES } from '../../src/server/routes/uploads';
import { hashPassword } from '../../src/server/auth/tokens';
import { PROTOCOL_VERSION } from '../../src/shared/sync/protocol';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe.each(DB_KINDS)('rate limits on %s', (kind) => {
  let s: TestServer;
  beforeEach(async () => {
    s = await startTestServer(kind, { AUTH_RATE_LIMIT_PER_MINUTE: '4' });
  });
  afterEach(async () => {
    await s.close();
  });

  it('limits enrolment attempts per address: 429 with Retry-After, and a limited attempt uses no code', async () => {
    // The coordinator's own sign-in happens from another address, so it does not count against this one.
    const coordinator = await coordinatorToken(s);
    const pid = await addParticipant(s, coordinator, [await addWorkshop(s)]);
    const code = await issueCode(s, coordinator, pid);
    const attempt = (payload: object, remoteAddress = '203.0.113.7') =>
      s.app.inject({ method: 'POST', url: '/api/v1/enroll', payload, remoteAddress });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await attempt({ code: 'ABCD-EFGH-JKMN', deviceName: 'x' })).statusCode);
    expect(statuses).toEqual([400, 400, 400, 400]);
    const limited = await attempt({ code, deviceName: 'x' });
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json()).toMatchObject({ error: 'rate_limited', message: expect.stringMatching(/wait/i) });
    // The real code that arrived while limited was not used up, and no device was made.
    expect(await s.database.db.selectFrom('devices').selectAll().execute()).toEqual([]);
    // Another address is not held back.
    const elsewhere = await attempt({ code, deviceName: 'x' }, '198.51.100.4');
    expect(elsewhere.statusCode).toBe(200);
  });

  it('limits coordinator sign-in attempts per address: 429 with Retry-After, and a limited attempt is not checked', async () => {
    await s.database.db
      .insertInto('coordinators')
      .values({
        id: randomUUID(),
        email: 'grace@example.org',
        name: 'Grace',
        password_hash: await hashPassword('the right one'),
        created_at: new Date().toISOString(),
        disabled_at: null,
      })
      .execute();
    const attempt = (password: string, remoteAddress = '203.0.113.9') =>
      s.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'grace@example.org', password },
        remoteAddress,
      });
    for (let i = 0; i < 4; i++) expect((await attempt(`guess ${i}`)).statusCode).toBe(401);
    // Even the right password is not tried any more from this address.
    const limited = await attempt('the right one');
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers['x-ratelimit-limit']).toBe('4');
    expect(limited.json()).toMatchObject({ error: 'rate_limited' });
    expect(limited.body).not.toContain('token');
    expect(await s.database.db.selectFrom('coordinator_sessions').selectAll().execute()).toEqual([]);
    expect((await attempt('the right one', '198.51.100.4')).statusCode).toBe(200);
  });
});

describe.each(DB_KINDS)('body, nesting and upload limits on %s', (kind) => {
  let s: TestServer;
  let ctx: Awaited<ReturnType<typeof world>>;
  beforeAll(async () => {
    s = await startTestServer(kind);
    ctx = await world(s);
  });
  afterAll(async () => {
    await s.close();
  });

  async function refusedWithoutWrites(
    run: () => Promise<{ statusCode: number; body: string }>,
    status: number,
    message?: RegExp,
  ) {
    const before = await snapshot(s);
    const res = await run();
    expect(res.statusCode, res.body.slice(0, 200)).toBe(status);
    if (message) expect(res.body).toMatch(message);
    expect(await snapshot(s)).toBe(before);
    return res;
  }

  it('refuses bodies over 256 KB on ordinary routes and over 8 MB on sync with 413', async () => {
    const json = { 'content-type': 'application/json' };
    await refusedWithoutWrites(
      () =>
        s.app.inject({
          method: 'POST',
          url: '/api/v1/enroll',
          headers: json,
          payload: JSON.stringify({ code: 'A'.repeat(260 * 1024) }),
        }),
      413,
      /too large/,
    );
    await refusedWithoutWrites(
      () =>
        s.app.inject({
          method: 'PUT',
          url: `/api/v1/tool-summaries/${randomUUID()}`,
          headers: { ...json, ...bearer(ctx.coordinator) },
          payload: JSON.stringify({ body: 'x'.repeat(300 * 1024) }),
        }),
      413,
    );
    await refusedWithoutWrites(
      () =>
        s.app.inject({
          method: 'POST',
          url: '/api/v1/sync',
          headers: { ...json, ...bearer(ctx.device.token) },
          payload: JSON.stringify({ protocol: PROTOCOL_VERSION, epoch: null, pad: 'x'.repeat(8 * 1024 * 1024 + 10) }),
        }),
      413,
    );
    // A sync body between the two limits is read (and refused only for what it says).
    const mid = await s.app.inject({
      method: 'POST',
      url: '/api/v1/sync',
      headers: { ...json, ...bearer(ctx.device.token) },
      payload: JSON.stringify({ protocol: PROTOCOL_VERSION, epoch: null, pad: 'x'.repeat(1024 * 1024) }),
    });
    expect(mid.statusCode).toBe(200);
  });

  it('refuses JSON nested deeper than 32 levels with 400 before any route code runs', async () => {
    const nest = (n: number) => '{"a":'.repeat(n - 1) + '{}' + '}'.repeat(n - 1);
    for (const url of ['/api/v1/enroll', '/api/v1/sync', '/api/v1/participants']) {
      await refusedWithoutWrites(
        () =>
          s.app.inject({
            method: 'POST',
            url,
            headers: { 'content-type': 'application/json', ...bearer(ctx.coordinator) },
            payload: nest(33),
          }),
        400,
        /nested more than 32 levels/,
      );
    }
    const ok = await s.app.inject({
      method: 'POST',
      url: '/api/v1/enroll',
      headers: { 'content-type': 'application/json' },
      payload: nest(32),
    });
    expect(ok.statusCode).toBe(400);
    expect(ok.body).not.toMatch(/nested/);
  });

  it('refuses a tus upload over the size limit, declared or sent, and keeps nothing', async () => {
    const over = await refusedWithoutWrites(async () => {
      const r = await tusCreate(s, ctx.device.token, MAX_UPLOAD_BYTES + 1, 'a'.repeat(64));
      return { statusCode: r.status, body: r.body };
    }, 413);
    expect(over.body).toMatch(/size|large/i);
    // Declared small, sent big: the bytes past the declared length are refused.
    const bytes = jpegBytes(1000);
    const created = await tusCreate(s, ctx.device.token, 100, sha256(bytes.subarray(0, 100)));
    expect(created.status).toBe(201);
    const res = await tusPatch(s, ctx.device.token, created.location!, 0, bytes);
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    const row = await s.database.db.selectFrom('files').selectAll().where('sha256', '=', sha256(bytes)).execute();
    expect(row).toEqual([]);
  });

  it('refuses uploads and materials of media types a browser would run (HTML, SVG, XML, JavaScript)', async () => {
    const script = Buffer.from('<script>alert(1)</script>');
    for (const type of ['text/html', 'image/svg+xml', 'application/xhtml+xml', 'text/xml', 'text/javascript']) {
      for (const token of [ctx.device.token, ctx.coordinator]) {
        const res = await refusedWithoutWrites(async () => {
          const r = await tusCreate(s, token, script.length, sha256(script), type);
          return { statusCode: r.status, body: r.body };
        }, 415);
        expect(res.body).toMatch(/media_type_not_allowed/);
      }
    }
    // Anonymous callers still get the tus server's 401, not a hint about types.
    const anon = await tusCreate(s, null, script.length, sha256(script), 'text/html');
    expect(anon.status).toBe(401);
    // An allowed type goes through, and a material may not claim a dangerous type for it.
    const pdf = Buffer.from('%PDF-1.4 fine '.repeat(20));
    const up = await tusUpload(s, ctx.coordinator, pdf, 'application/pdf');
    expect(up.status).toBe(204);
    const id = randomUUID();
    const material = {
      id,
      workshopId: ctx.workshopId,
      title: 'Slides',
      language: 'en',
      mediaType: 'text/html',
      sha256: sha256(pdf),
      audience: 'public',
    };
    const put = (mediaType: string) =>
      s.app.inject({
        method: 'PUT',
        url: `/api/v1/materials/${id}`,
        headers: bearer(ctx.coordinator),
        payload: { ...material, mediaType },
      });
    for (const type of ['text/html', 'image/svg+xml', 'application/javascript'])
      await refusedWithoutWrites(() => put(type), 415, /media_type_not_allowed/);
    expect((await put('application/pdf')).statusCode).toBe(200);
  });

  it('refuses an upload whose bytes do not match its sha256 and keeps nothing of it', async () => {
    const bytes = jpegBytes(2000);
    const wrong = sha256('something else');
    const before = await s.database.db.selectFrom('files').selectAll().execute();
    const res = await tusUpload(s, ctx.device.token, bytes, 'image/jpeg', wrong);
    expect(res.status).toBe(460);
    expect(res.body).toMatch(/sha256/);
    expect(await s.database.db.selectFrom('files').selectAll().execute()).toEqual(before);
    // Nor does the header with a malformed sha256 get an upload started.
    const bad = await s.app.inject({
      method: 'POST',
      url: '/api/v1/uploads',
      headers: {
        ...bearer(ctx.device.token),
        'tus-resumable': '1.0.0',
        'upload-length': '10',
        'upload-metadata': uploadMetadata({ filetype: 'image/jpeg', sha256: 'not-a-sha' }),
      },
    });
    expect(bad.statusCode).toBe(400);
  });
});
