/** The fetch transport: headers, gzip request bodies, and how answers are handed back. */
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, type SyncRequest } from '../../shared/sync/protocol';
import { createFetchTransport } from './transport';

interface Captured {
  url: string;
  init: RequestInit;
}

function fakeFetch(response: () => Response, captured: Captured[]): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    captured.push({ url: String(input), init: init ?? {} });
    return response();
  }) as typeof fetch;
}

const request = (mutations: number): SyncRequest => ({
  protocol: PROTOCOL_VERSION,
  epoch: null,
  cursors: {},
  mutations: Array.from({ length: mutations }, (_, i) => ({
    mid: i + 1,
    op: 'create' as const,
    collection: 'followUpActions' as const,
    recordId: '01890000-0000-7000-8000-000000000000',
    fields: { description: 'Shared the PCA slides with the audit unit and the regional office' },
  })),
});

describe('createFetchTransport', () => {
  it('gzips larger bodies and sends the bearer token', async () => {
    const captured: Captured[] = [];
    const transport = createFetchTransport({
      fetchImpl: fakeFetch(
        () =>
          new Response(JSON.stringify({ ok: 1 }), {
            status: 200,
            headers: { 'Content-Type': 'application/json', 'Retry-After': '5' },
          }),
        captured,
      ),
    });
    const body = request(40);
    const answer = await transport({ url: '/api/v1/sync', body, token: 'secret' });
    expect(answer).toEqual({
      status: 200,
      headers: expect.objectContaining({ 'retry-after': '5' }) as unknown,
      body: { ok: 1 },
    });
    const sent = captured[0]!;
    const headers = sent.init.headers as Record<string, string>;
    expect(headers.authorization).toBe('Bearer secret');
    expect(headers['content-encoding']).toBe('gzip');
    expect(sent.init.credentials).toBe('omit');
    const raw = Buffer.from(sent.init.body as ArrayBuffer);
    expect(raw.length).toBeLessThan(JSON.stringify(body).length / 4);
    expect(JSON.parse(gunzipSync(raw).toString('utf8'))).toEqual(body);
  });

  it('sends small bodies as they are and no token before enrolment', async () => {
    const captured: Captured[] = [];
    const transport = createFetchTransport({
      fetchImpl: fakeFetch(() => new Response(null, { status: 204 }), captured),
    });
    const answer = await transport({ url: '/api/v1/sync', body: request(0), token: null });
    expect(answer.body).toBeNull();
    const headers = captured[0]!.init.headers as Record<string, string>;
    expect(headers.authorization).toBeUndefined();
    expect(headers['content-encoding']).toBeUndefined();
    const { mutations, ...rest } = request(0);
    expect(mutations).toEqual([]);
    expect(JSON.parse(captured[0]!.init.body as string)).toEqual(rest);
  });

  it('hands back error answers and non-JSON bodies instead of throwing', async () => {
    const transport = createFetchTransport({
      fetchImpl: fakeFetch(() => new Response('<html>Bad gateway</html>', { status: 502 }), []),
    });
    await expect(transport({ url: '/x', body: request(0), token: null })).resolves.toMatchObject({
      status: 502,
      body: null,
    });
  });

  it('rejects when no answer arrives', async () => {
    const transport = createFetchTransport({
      fetchImpl: (async () => {
        throw new TypeError('Failed to fetch');
      }) as typeof fetch,
    });
    await expect(transport({ url: '/x', body: request(0), token: null })).rejects.toThrow('Failed to fetch');
  });
});
