/**
 * GET /api/metrics: absent (404) without METRICS_TOKEN; with it, only the
 * bearer of that token gets the Prometheus text, which counts requests by
 * route and reports mutations applied, conflicts, the message queue and
 * uploaded bytes from the database.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { DB_KINDS, startTestServer, type TestServer } from './harness';
import { action, sync, world } from './fixtures';

const TOKEN = 'metrics-token-0123456789';

describe.each(DB_KINDS)('metrics on %s', (kind) => {
  let s: TestServer;
  afterEach(async () => {
    await s.close();
  });

  it('answers 404 when no METRICS_TOKEN is configured', async () => {
    s = await startTestServer(kind);
    const res = await s.app.inject({
      method: 'GET',
      url: '/api/metrics',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(res.statusCode).toBe(404);
  });

  it('answers only the configured token, with request latency by route and the database totals', async () => {
    s = await startTestServer(kind, { METRICS_TOKEN: TOKEN });
    const { workshopId, device } = await world(s);
    const applied = await sync(s, device.token, {
      mutations: [
        {
          mid: 1,
          op: 'create',
          collection: 'followUpActions',
          recordId: randomUUID(),
          fields: action(device.participantId, workshopId),
        },
      ],
    });
    expect(applied.body.results).toEqual([{ mid: 1, status: 'applied', version: expect.any(Number) }]);
    await s.app.inject({ method: 'GET', url: '/api/health' });

    expect((await s.app.inject({ method: 'GET', url: '/api/metrics' })).statusCode).toBe(401);
    const wrong = await s.app.inject({ method: 'GET', url: '/api/metrics', headers: { authorization: 'Bearer nope' } });
    expect(wrong.statusCode).toBe(401);

    const res = await s.app.inject({
      method: 'GET',
      url: '/api/metrics',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const text = res.body;
    expect(text).toMatch(
      /vaka_http_request_duration_seconds_count\{method="GET",route="\/api\/health",status="200"\} 1/,
    );
    expect(text).toMatch(/vaka_http_request_duration_seconds_bucket\{[^}]*route="\/api\/v1\/sync"[^}]*\} \d/);
    expect(text).toMatch(/^vaka_mutations_applied 1$/m);
    expect(text).toMatch(/^vaka_conflicts_logged 0$/m);
    expect(text).toMatch(/^vaka_message_jobs_queued \d+$/m);
    expect(text).toMatch(/^vaka_upload_bytes 0$/m);
  });
});
