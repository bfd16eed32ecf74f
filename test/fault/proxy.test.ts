/**
 * The fault proxy does what the harness counts on: a request cut mid-way is
 * never handled by the server, an answer cut mid-way was handled, a
 * duplicate is handled twice while the client sees one answer, delays still
 * answer, chunked bodies are framed, and one seed gives one plan.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import net from 'node:net';
import { FaultProxy, NO_FAULTS, type FaultKind, type FaultPlan } from './proxy';

let server: http.Server;
let port = 0;
const handled: string[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      handled.push(body);
      const answer = JSON.stringify({ echo: body, padding: 'x'.repeat(2000) });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) });
      res.end(answer);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as net.AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const only = (kind: FaultKind): FaultPlan => ({ ...NO_FAULTS, [kind]: 1 });

async function withProxy<T>(plan: FaultPlan, fn: (url: string, proxy: FaultProxy) => Promise<T>, seed = 1): Promise<T> {
  const proxy = new FaultProxy({ targetPort: port, seed, plan, maxDelayMs: 50 });
  const p = await proxy.start();
  try {
    return await fn(`http://127.0.0.1:${p}/x`, proxy);
  } finally {
    await proxy.close();
  }
}

async function post(url: string, body: string): Promise<{ ok: true; echo: string } | { ok: false }> {
  try {
    const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    const json = (await res.json()) as { echo: string };
    return { ok: true, echo: json.echo };
  } catch {
    return { ok: false };
  }
}

const settle = () => new Promise((r) => setTimeout(r, 150));

describe('fault proxy', () => {
  it('passes requests untouched with no faults planned', async () => {
    handled.length = 0;
    const res = await withProxy(NO_FAULTS, (url) => post(url, 'hello'));
    expect(res).toEqual({ ok: true, echo: 'hello' });
    expect(handled).toEqual(['hello']);
  });

  it('a request cut mid-way never reaches the handler, and the client sees an error', async () => {
    handled.length = 0;
    for (let i = 0; i < 10; i++) {
      const res = await withProxy(only('dropRequest'), (url) => post(url, `body ${i} ${'y'.repeat(500)}`), i + 1);
      expect(res.ok).toBe(false);
    }
    await settle();
    expect(handled).toEqual([]);
  });

  it('an answer cut mid-way comes after the handler ran, and the client sees an error', async () => {
    handled.length = 0;
    const res = await withProxy(only('dropResponse'), (url) => post(url, 'processed'));
    expect(res.ok).toBe(false);
    expect(handled).toEqual(['processed']);
  });

  it('a duplicate is handled twice while the client gets one answer', async () => {
    handled.length = 0;
    await withProxy(only('duplicate'), async (url) => {
      for (let i = 0; i < 4; i++) expect(await post(url, `dup ${i}`)).toEqual({ ok: true, echo: `dup ${i}` });
      // Late copies are sent up to 3 × maxDelayMs after the original.
      await new Promise((r) => setTimeout(r, 400));
    });
    expect(handled.sort()).toEqual(['dup 0', 'dup 0', 'dup 1', 'dup 1', 'dup 2', 'dup 2', 'dup 3', 'dup 3']);
  });

  it('a delayed request still gets its answer', async () => {
    handled.length = 0;
    const res = await withProxy(only('delay'), (url) => post(url, 'late'));
    expect(res).toEqual({ ok: true, echo: 'late' });
  });

  it('frames chunked request bodies', async () => {
    handled.length = 0;
    const body = await withProxy(NO_FAULTS, async (url) => {
      const u = new URL(url);
      return new Promise<string>((resolve, reject) => {
        const req = http.request(
          {
            host: u.hostname,
            port: u.port,
            path: u.pathname,
            method: 'POST',
            headers: { 'transfer-encoding': 'chunked' },
          },
          (res) => {
            let text = '';
            res.on('data', (c: Buffer) => (text += c.toString()));
            res.on('end', () => resolve(text));
          },
        );
        req.on('error', reject);
        req.write('part one, ');
        setTimeout(() => req.end('part two'), 20);
      });
    });
    expect((JSON.parse(body) as { echo: string }).echo).toBe('part one, part two');
    expect(handled).toEqual(['part one, part two']);
  });

  it('draws the same plan from the same seed', async () => {
    const plan: FaultPlan = { delay: 0.2, dropRequest: 0.2, dropResponse: 0.2, duplicate: 0.2 };
    const run = (seed: number) =>
      withProxy(
        plan,
        async (url, proxy) => {
          const seen: (FaultKind | null)[] = [];
          for (let i = 0; i < 12; i++) {
            const before = { ...proxy.counts };
            await post(url, `r${i}`);
            seen.push(
              (['delay', 'dropRequest', 'dropResponse', 'duplicate'] as const).find(
                (k) => proxy.counts[k] > before[k],
              ) ?? null,
            );
          }
          return seen;
        },
        seed,
      );
    const a = await run(42);
    expect(await run(42)).toEqual(a);
    expect(new Set(a).size).toBeGreaterThan(2);
    await new Promise((r) => setTimeout(r, 200));
  });
});
