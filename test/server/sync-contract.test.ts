/**
 * Runs the sync contract suite (test/contract/sync-contract-suite.ts) against
 * the real server on SQLite and PostgreSQL and against the device's test
 * double, so the three cannot disagree; then the server's own duties around
 * sync that the double does not model (health, device list, enrolment codes).
 * Test names cite the invariants [I1]–[I8] of docs/sync-protocol.md.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DB_KINDS, startTestServer, type TestServer } from './harness';
import { addParticipant, enrol, issueCode, sync, world } from './fixtures';
import { syncContractSuite } from '../contract/sync-contract-suite';
import { doubleTarget, serverTarget } from '../contract/sync-targets';

for (const kind of DB_KINDS) syncContractSuite(`server on ${kind}`, () => serverTarget(kind));
syncContractSuite('test double', doubleTarget);

describe.each(DB_KINDS)('sync server on %s', (kind) => {
  let s: TestServer;
  beforeEach(async () => {
    s = await startTestServer(kind);
  });
  afterEach(async () => {
    await s.close();
  });

  it('answers health with the database in use', async () => {
    const res = await s.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', database: kind, files: 'disk' });
  });

  it('documents both version answers of POST /api/v1/sync in the OpenAPI document: 426 and 501', async () => {
    const res = await s.app.inject({ method: 'GET', url: '/api/openapi.json' });
    const doc = res.json() as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    const responses = doc.paths['/api/v1/sync']?.post?.responses ?? {};
    expect(Object.keys(responses)).toEqual(expect.arrayContaining(['200', '426', '501']));
    expect(JSON.stringify(responses['501'])).toContain('message');
  });

  it('lists devices with their last contact for coordinators only', async () => {
    const { device, coordinator } = await world(s);
    await sync(s, device.token, {});
    const res = await s.app.inject({
      method: 'GET',
      url: '/api/v1/devices',
      headers: { authorization: `Bearer ${coordinator}` },
    });
    expect(res.statusCode).toBe(200);
    expect((res.json() as { devices: { id: string; lastSeenAt: string }[] }).devices).toEqual([
      expect.objectContaining({ id: device.deviceId, lastSeenAt: expect.any(String) }),
    ]);
    const asDevice = await s.app.inject({
      method: 'GET',
      url: '/api/v1/devices',
      headers: { authorization: `Bearer ${device.token}` },
    });
    expect(asDevice.statusCode).toBe(403);
  });

  it('enrolment codes are single-use', async () => {
    const { coordinator, workshopId } = await world(s);
    const pid = await addParticipant(s, coordinator, [workshopId]);
    const code = await issueCode(s, coordinator, pid);
    await enrol(s, code);
    const again = await s.app.inject({
      method: 'POST',
      url: '/api/v1/enroll',
      payload: { code, deviceName: 'second' },
    });
    expect(again.statusCode).toBe(410);
    expect(again.json()).toMatchObject({ error: 'code_used' });
  });

  it('enrolment codes expire', async () => {
    const { coordinator, workshopId } = await world(s);
    const pid = await addParticipant(s, coordinator, [workshopId]);
    const code = await issueCode(s, coordinator, pid);
    s.clock.now = new Date(s.clock.now.getTime() + 49 * 3600_000);
    const res = await s.app.inject({ method: 'POST', url: '/api/v1/enroll', payload: { code, deviceName: 'late' } });
    expect(res.statusCode).toBe(410);
    expect(res.json()).toMatchObject({ error: 'code_expired' });
  });
});
