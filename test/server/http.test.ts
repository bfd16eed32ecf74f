/**
 * HTTP surface on both databases: OpenAPI description, security headers,
 * compression both ways, content-addressed files with ranges and access
 * control, caching headers of the built app, and the demo content seed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { createHash, randomUUID } from 'node:crypto';
import { DB_KINDS, startTestServer, type TestServer } from './harness';
import { addParticipant, enrol, issueCode, world } from './fixtures';
import { FileStore, registerFile } from '../../src/server/files/store';
import { putRecord } from '../../src/server/sync/publish';
import { PROTOCOL_VERSION } from '../../src/shared/sync/protocol';

describe.each(DB_KINDS)('HTTP surface on %s', (kind) => {
  let s: TestServer;
  let ctx: Awaited<ReturnType<typeof world>>;
  const bytes = Buffer.from('%PDF-1.4 sample material '.repeat(200));
  const sha = createHash('sha256').update(bytes).digest('hex');
  const privateBytes = Buffer.from('participants only '.repeat(50));
  const privateSha = createHash('sha256').update(privateBytes).digest('hex');

  beforeAll(async () => {
    s = await startTestServer(kind);
    ctx = await world(s);
    const store = new FileStore(s.config.filesDir);
    const tmp = path.join(s.config.filesDir, '..', 'upload.bin');
    for (const [b, audience, digest] of [
      [bytes, 'public', sha],
      [privateBytes, 'participants', privateSha],
    ] as const) {
      fs.mkdirSync(path.dirname(tmp), { recursive: true });
      fs.writeFileSync(tmp, b);
      await store.importFile(tmp);
      await registerFile(s.database.db, digest, b.length, 'application/pdf', new Date().toISOString());
      await putRecord(
        s.database.db,
        'materials',
        {
          id: randomUUID(),
          workshopId: ctx.workshopId,
          title: `Slides (${audience})`,
          language: 'en',
          mediaType: 'application/pdf',
          byteSize: b.length,
          sha256: digest,
          version: 1,
          audience,
        },
        new Date().toISOString(),
      );
    }
  });
  afterAll(async () => {
    await s.close();
  });

  it('describes every API route in OpenAPI generated from the zod schemas', async () => {
    const res = await s.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as { openapi: string; paths: Record<string, Record<string, { requestBody?: unknown }>> };
    expect(doc.openapi).toMatch(/^3\./);
    for (const p of [
      '/api/health',
      '/api/v1/sync',
      '/api/v1/enroll',
      '/api/v1/auth/login',
      '/api/v1/participants',
      '/api/v1/devices',
      '/api/v1/files/{sha256}',
    ]) {
      expect(Object.keys(doc.paths)).toContain(p);
    }
    expect(JSON.stringify(doc.paths['/api/v1/sync']!.post!.requestBody)).toContain('mutations');
  });

  it('sends short, strict security headers on API answers', async () => {
    const res = await s.app.inject({ method: 'GET', url: '/api/health' });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toBe("default-src 'none';base-uri 'none';frame-ancestors 'none'");
    expect(res.headers['x-frame-options']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  it('accepts a gzip-compressed sync request and compresses the answer', async () => {
    const body = zlib.gzipSync(JSON.stringify({ protocol: PROTOCOL_VERSION, epoch: null, cursors: {}, mutations: [] }));
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/v1/sync',
      headers: {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        'accept-encoding': 'gzip',
        authorization: `Bearer ${ctx.device.token}`,
      },
      payload: body,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    const json = JSON.parse(zlib.gunzipSync(res.rawPayload).toString()) as { changes: unknown[] };
    expect(json.changes.length).toBeGreaterThan(0);
  });

  it('serves a public file with a strong ETag, immutable caching and byte ranges', async () => {
    const full = await s.app.inject({ method: 'GET', url: `/api/v1/files/${sha}` });
    expect(full.statusCode).toBe(200);
    expect(full.rawPayload.equals(bytes)).toBe(true);
    expect(full.headers.etag).toBe(`"${sha}"`);
    expect(full.headers['cache-control']).toContain('immutable');
    const part = await s.app.inject({
      method: 'GET',
      url: `/api/v1/files/${sha}`,
      headers: { range: 'bytes=100-199', 'if-range': `"${sha}"` },
    });
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 100-199/${bytes.length}`);
    expect(part.rawPayload.equals(bytes.subarray(100, 200))).toBe(true);
    const stale = await s.app.inject({
      method: 'GET',
      url: `/api/v1/files/${sha}`,
      headers: { range: 'bytes=100-199', 'if-range': '"other"' },
    });
    expect(stale.statusCode).toBe(200);
    const bad = await s.app.inject({
      method: 'GET',
      url: `/api/v1/files/${sha}`,
      headers: { range: `bytes=${bytes.length + 5}-` },
    });
    expect(bad.statusCode).toBe(416);
    const cached = await s.app.inject({
      method: 'GET',
      url: `/api/v1/files/${sha}`,
      headers: { 'if-none-match': `"${sha}"` },
    });
    expect(cached.statusCode).toBe(304);
  });

  it('keeps participants-only files for that workshop’s participants', async () => {
    const anon = await s.app.inject({ method: 'GET', url: `/api/v1/files/${privateSha}` });
    expect(anon.statusCode).toBe(401);
    const mine = await s.app.inject({
      method: 'GET',
      url: `/api/v1/files/${privateSha}`,
      headers: { authorization: `Bearer ${ctx.device.token}` },
    });
    expect(mine.statusCode).toBe(200);
    const { addWorkshop } = await import('./fixtures');
    const elsewhere = await addWorkshop(s);
    const outsider = await enrol(
      s,
      await issueCode(s, ctx.coordinator, await addParticipant(s, ctx.coordinator, [elsewhere])),
    );
    const theirs = await s.app.inject({
      method: 'GET',
      url: `/api/v1/files/${privateSha}`,
      headers: { authorization: `Bearer ${outsider.token}` },
    });
    expect(theirs.statusCode).toBe(403);
  });

  it('only enrolled participants of the workshop pull its participants-only materials', async () => {
    const { sync } = await import('./fixtures');
    const anon = await sync(s, null, {});
    expect(
      anon.body.changes
        .filter((c) => c.collection === 'materials')
        .map((c) => (c.data as { audience: string }).audience),
    ).toEqual(['public']);
    const mine = await sync(s, ctx.device.token, {});
    expect(mine.body.changes.filter((c) => c.collection === 'materials')).toHaveLength(2);
  });

  it('answers 404 with JSON for unknown API paths', async () => {
    const res = await s.app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: 'not_found' });
  });
});

describe('built app caching and demo content', () => {
  let s: TestServer;
  let staticDir: string;
  beforeAll(async () => {
    staticDir = fs.mkdtempSync(path.join(fs.realpathSync('/tmp'), 'vaka-static-'));
    fs.mkdirSync(path.join(staticDir, 'assets'));
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Vaka</title>');
    fs.writeFileSync(path.join(staticDir, 'sw.js'), 'self.addEventListener("install", () => {});');
    fs.writeFileSync(path.join(staticDir, 'assets', 'index-abc123.js'), 'console.log(1)');
    s = await startTestServer('sqlite', { STATIC_DIR: staticDir });
  });
  afterAll(async () => {
    await s.close();
    fs.rmSync(staticDir, { recursive: true, force: true });
  });

  it('serves the app with a strict content security policy', async () => {
    const res = await s.app.inject({ method: 'GET', url: '/' });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('makes hashed assets immutable and revalidates index.html and sw.js', async () => {
    const asset = await s.app.inject({ method: 'GET', url: '/assets/index-abc123.js' });
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const sw = await s.app.inject({ method: 'GET', url: '/sw.js' });
    expect(sw.headers['cache-control']).toBe('no-cache');
    const index = await s.app.inject({ method: 'GET', url: '/' });
    expect(index.statusCode).toBe(200);
    expect(index.headers['cache-control']).toBe('no-cache');
  });

  it('answers deep links with index.html so the app can route them', async () => {
    const res = await s.app.inject({ method: 'GET', url: '/workshops/123', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<title>Vaka</title>');
  });
});
