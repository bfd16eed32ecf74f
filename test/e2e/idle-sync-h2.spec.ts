/**
 * The idle sync as a phone pays for it in production: HTTPS with HTTP/2 at
 * the operator's TLS proxy (README, Configuration), which then speaks plain
 * HTTP/1.1 to Vaka. This test puts such a proxy in front of the real server
 * and counts every byte on the browser's TLS connection (records, framing,
 * compressed headers) while the participant presses "Send now" with nothing
 * new to send.
 */
import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import http from 'node:http';
import http2 from 'node:http2';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { coordinatorToken, enrolThroughUi, participantWithCode } from './helpers';

/** Headers HTTP/2 forbids or the proxy sets itself. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'host']);

function selfSignedCertificate(): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vaka-tls-'));
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
    ],
    { stdio: 'ignore' },
  );
  return { key: readFileSync(key), cert: readFileSync(cert) };
}

/** A TLS + HTTP/2 front like Caddy's or nginx's, forwarding each stream to Vaka over HTTP/1.1. */
function tlsProxy(backendPort: number) {
  const sockets = new Set<net.Socket>();
  const streams: string[] = [];
  const server = http2.createSecureServer({ ...selfSignedCertificate(), allowHTTP1: false });
  server.on('secureConnection', (socket: net.Socket) => {
    sockets.add(socket);
  });
  server.on('stream', (stream, headers) => {
    const method = String(headers[':method']);
    const target = String(headers[':path']);
    streams.push(`${method} ${target}`);
    const forwarded: http.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(headers)) {
      if (!name.startsWith(':') && !HOP_BY_HOP.has(name) && value !== undefined) forwarded[name] = value;
    }
    forwarded.host = String(headers[':authority']);
    const upstream = http.request({ host: '127.0.0.1', port: backendPort, method, path: target, headers: forwarded });
    upstream.on('response', (res) => {
      const back: http2.OutgoingHttpHeaders = { ':status': res.statusCode ?? 502 };
      for (const [name, value] of Object.entries(res.headers)) {
        if (!HOP_BY_HOP.has(name) && value !== undefined) back[name] = value;
      }
      if (stream.destroyed) return;
      stream.respond(back);
      res.pipe(stream);
    });
    upstream.on('error', () => stream.destroy());
    stream.on('error', () => upstream.destroy());
    stream.pipe(upstream);
  });
  /** Every byte both ways on every TLS connection so far, as TCP payload. */
  const bytes = () => [...sockets].reduce((sum, s) => sum + s.bytesRead + s.bytesWritten, 0);
  return {
    streams,
    bytes,
    listen: () =>
      new Promise<number>((resolve) =>
        server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)),
      ),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

test.use({ ignoreHTTPSErrors: true, serviceWorkers: 'block' });

test('over HTTPS with HTTP/2, an enrolled phone’s sync with nothing new is one request under 1 KB', async ({
  page,
  request,
  baseURL,
}) => {
  test.setTimeout(150_000);
  const token = await coordinatorToken(request, baseURL!);
  const code = await participantWithCode(request, token, 'Ana Soares');
  const proxy = tlsProxy(Number(new URL(baseURL!).port));
  const port = await proxy.listen();
  const origin = `https://localhost:${port}`;
  try {
    await enrolThroughUi(page, code, origin);
    await page.goto(`${origin}/settings`);
    const send = page.getByRole('button', { name: 'Send now' });
    await expect(send).toBeVisible({ timeout: 30_000 });
    // Let the sync that opening the app starts finish, and the page fall quiet.
    const syncs = () => proxy.streams.filter((s) => s.startsWith('POST /api/v1/sync')).length;
    let quiet = proxy.streams.length;
    await expect
      .poll(
        async () => {
          // Deliberately a time window: "quiet" means no new stream for this long; nothing else marks it.
          await page.waitForTimeout(1500);
          const settled = proxy.streams.length === quiet;
          quiet = proxy.streams.length;
          return settled && syncs() > 0;
        },
        { timeout: 60_000 },
      )
      .toBe(true);

    const streamsBefore = proxy.streams.length;
    const bytesBefore = proxy.bytes();
    const answered = page.waitForResponse(
      (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/sync',
    );
    await send.click();
    // The answer has reached the page in full, so the proxy has counted every byte of it.
    await (await answered).finished();
    await expect.poll(() => syncs(), { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(() => proxy.streams.length, { timeout: 20_000 }).toBeGreaterThan(streamsBefore);
    // Deliberately a time window: what is checked is that no follow-up request comes, and an absence
    // has no state to wait for. A follow-up would leave as soon as the answer is applied.
    await page.waitForTimeout(2000);
    const during = proxy.streams.slice(streamsBefore);
    const spent = proxy.bytes() - bytesBefore;
    test
      .info()
      .annotations.push({ type: 'idle sync over TLS + HTTP/2', description: `${spent} B, ${during.join(', ')}` });
    expect(during).toEqual(['POST /api/v1/sync']);
    expect(spent).toBeLessThan(1024);
  } finally {
    await proxy.close();
  }
});
