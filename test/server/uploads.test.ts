/**
 * [I8] Resumable evidence uploads over a real port with tus-js-client: an
 * upload cut at random points resumes from the server's offset and ends
 * with the right sha256; a corrupted upload is refused; a record naming a
 * file is accepted only once the file is complete; strangers cannot touch
 * someone else's upload.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomUUID } from 'node:crypto';
import { jpegBytes } from './security-support';
import * as tus from 'tus-js-client';
import { DB_KINDS, startTestServer, type TestServer } from './harness';
import { action, addParticipant, enrol, issueCode, sync, world } from './fixtures';
import { mulberry32 } from '../support/random';

function upload(
  base: string,
  token: string,
  bytes: Buffer,
  sha: string,
  opts: { chunkSize?: number; abortAt?: number } = {},
) {
  return new Promise<{ url: string | null; aborted: boolean; error?: string }>((resolve) => {
    let aborted = false;
    const u: tus.Upload = new tus.Upload(bytes, {
      endpoint: `${base}/api/v1/uploads`,
      headers: { authorization: `Bearer ${token}` },
      metadata: { filename: 'evidence.jpg', filetype: 'image/jpeg', sha256: sha },
      chunkSize: opts.chunkSize ?? 64 * 1024,
      retryDelays: [],
      onProgress(sent) {
        if (opts.abortAt !== undefined && !aborted && sent >= opts.abortAt) {
          aborted = true;
          void u.abort().then(() => resolve({ url: u.url, aborted: true }));
        }
      },
      onSuccess() {
        resolve({ url: u.url, aborted: false });
      },
      onError(err) {
        resolve({ url: u.url, aborted: false, error: String(err) });
      },
    });
    u.start();
  });
}

describe.each(DB_KINDS)('resumable uploads on %s', (kind) => {
  let s: TestServer;
  let base: string;
  let ctx: Awaited<ReturnType<typeof world>>;
  beforeAll(async () => {
    s = await startTestServer(kind);
    ctx = await world(s);
    await s.app.listen({ port: 0, host: '127.0.0.1' });
    const addr = s.app.server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });
  afterAll(async () => {
    await s.close();
  });

  it('resumes uploads cut at random points and ends with the right sha256', async () => {
    const seed = Number(process.env.UPLOAD_SEED ?? 42);
    const rand = mulberry32(seed);
    for (let round = 0; round < 3; round++) {
      const bytes = jpegBytes(300_000 + Math.floor(rand() * 200_000));
      const sha = createHash('sha256').update(bytes).digest('hex');
      const first = await upload(base, ctx.device.token, bytes, sha, {
        chunkSize: 32 * 1024,
        abortAt: Math.floor(rand() * bytes.length * 0.8),
      });
      expect(first.aborted).toBe(true);
      const head = await fetch(first.url!, {
        method: 'HEAD',
        headers: { authorization: `Bearer ${ctx.device.token}`, 'tus-resumable': '1.0.0' },
      });
      const offset = Number(head.headers.get('upload-offset'));
      expect(offset).toBeGreaterThan(0);
      expect(offset).toBeLessThan(bytes.length);
      // Resume from the server's offset, as tus-js-client does with a stored URL.
      const rest = await new Promise<string | undefined>((resolve) => {
        const u = new tus.Upload(bytes, {
          uploadUrl: first.url!,
          headers: { authorization: `Bearer ${ctx.device.token}` },
          metadata: { filename: 'evidence.jpg', filetype: 'image/jpeg', sha256: sha },
          chunkSize: 32 * 1024,
          retryDelays: [],
          onSuccess: () => resolve(undefined),
          onError: (e) => resolve(String(e)),
        });
        u.start();
      });
      expect(rest).toBeUndefined();
      const file = await fetch(`${base}/api/v1/files/${sha}`, {
        headers: { authorization: `Bearer ${ctx.device.token}` },
      });
      expect(file.status).toBe(403); // no record names it yet, so nobody but a coordinator may read it
      const row = await s.database.db.selectFrom('files').selectAll().where('sha256', '=', sha).executeTakeFirst();
      expect(row?.byte_size).toBe(bytes.length);
    }
  });

  it('refuses a corrupted upload and keeps nothing of it', async () => {
    const bytes = jpegBytes(100_000);
    const wrong = createHash('sha256').update('something else').digest('hex');
    const res = await upload(base, ctx.device.token, bytes, wrong);
    expect(res.error).toMatch(/sha256|460/);
    const row = await s.database.db.selectFrom('files').selectAll().where('sha256', '=', wrong).executeTakeFirst();
    expect(row).toBeUndefined();
  });

  it('accepts a record naming a file only once the file is complete', async () => {
    const bytes = jpegBytes(50_000);
    const sha = createHash('sha256').update(bytes).digest('hex');
    const evidence = [{ sha256: sha, name: 'workshop.jpg', mediaType: 'image/jpeg', byteSize: bytes.length }];
    const early = await sync(s, ctx.device.token, {
      mutations: [
        {
          mid: 1,
          op: 'create',
          collection: 'followUpActions',
          recordId: randomUUID(),
          fields: action(ctx.device.participantId, ctx.workshopId, {
            kind: 'in-house-workshop',
            attendees: 25,
            evidence,
          }),
        },
      ],
    });
    expect(early.body.results[0]).toMatchObject({ status: 'rejected', code: 'attachment_missing' });
    const done = await upload(base, ctx.device.token, bytes, sha);
    expect(done.error).toBeUndefined();
    const later = await sync(s, ctx.device.token, {
      mutations: [
        {
          mid: 2,
          op: 'create',
          collection: 'followUpActions',
          recordId: randomUUID(),
          fields: action(ctx.device.participantId, ctx.workshopId, {
            kind: 'in-house-workshop',
            attendees: 25,
            evidence,
          }),
        },
      ],
    });
    expect(later.body.results[0]).toMatchObject({ status: 'applied' });
    const file = await fetch(`${base}/api/v1/files/${sha}`, {
      headers: { authorization: `Bearer ${ctx.device.token}` },
    });
    expect(file.status).toBe(200);
    const anon = await fetch(`${base}/api/v1/files/${sha}`);
    expect(anon.status).toBe(401);
  });

  it('refuses uploads without a device, and hides one participant’s upload from another', async () => {
    const bytes = jpegBytes(10_000);
    const sha = createHash('sha256').update(bytes).digest('hex');
    const anon = await fetch(`${base}/api/v1/uploads`, {
      method: 'POST',
      headers: {
        'tus-resumable': '1.0.0',
        'upload-length': String(bytes.length),
        'upload-metadata': `sha256 ${Buffer.from(sha).toString('base64')}`,
      },
    });
    expect(anon.status).toBe(401);
    const cut = await upload(base, ctx.device.token, jpegBytes(200_000), sha, {
      chunkSize: 16 * 1024,
      abortAt: 20_000,
    });
    const stranger = await enrol(
      s,
      await issueCode(s, ctx.coordinator, await addParticipant(s, ctx.coordinator, [ctx.workshopId])),
    );
    const head = await fetch(cut.url!, {
      method: 'HEAD',
      headers: { authorization: `Bearer ${stranger.token}`, 'tus-resumable': '1.0.0' },
    });
    expect(head.status).toBe(404);
  });

  it('grants no other site cross-origin access to uploads', async () => {
    const bytes = jpegBytes(1_000);
    const sha = createHash('sha256').update(bytes).digest('hex');
    const created = await fetch(`${base}/api/v1/uploads`, {
      method: 'POST',
      headers: {
        origin: 'https://evil.example',
        authorization: `Bearer ${ctx.device.token}`,
        'tus-resumable': '1.0.0',
        'upload-length': String(bytes.length),
        'upload-metadata': [
          `filename ${Buffer.from('evidence.jpg').toString('base64')}`,
          `filetype ${Buffer.from('image/jpeg').toString('base64')}`,
          `sha256 ${Buffer.from(sha).toString('base64')}`,
        ].join(','),
      },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('access-control-allow-origin')).toBeNull();
  });
});
