/** Enrolment: storing the identity, renumbering the queue, switching participants, and error keys. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readDeviceIdentity, readSyncState, writeSyncState, type VakaDatabase } from '../../device/db/database';
import { createRecord } from '../../device/db/writes';
import { enroll, enrollErrorFor } from './enroll';
import { fakeUuid } from '../../device/sync/testing/fake-sync-server';
import {
  enrolledClient,
  evaluationData,
  freshDb,
  materialData,
  workshopData,
} from '../../device/sync/testing/fixtures';
import { FakeSyncServer } from '../../device/sync/testing/fake-sync-server';

const opened: VakaDatabase[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

function db(): VakaDatabase {
  const d = freshDb('enroll');
  opened.push(d);
  return d;
}

const okBody = (participantId = fakeUuid(), workshopIds = [fakeUuid()]) => ({
  deviceId: fakeUuid(),
  deviceToken: 'vkd_secret',
  participantId,
  workshopIds,
});

function answering(status: number, body: unknown, seen: RequestInit[] = []): typeof fetch {
  return (async (_url: RequestInfo | URL, init?: RequestInit) => {
    seen.push(init ?? {});
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
}

describe('enroll', () => {
  it('stores the identity, asks for persistent storage and sends the normalised code', async () => {
    const database = db();
    const seen: RequestInit[] = [];
    const persist = vi.fn(async () => true);
    const body = okBody();
    const result = await enroll('7kq2-m9xa 4ptr', {
      db: database,
      deviceName: 'Mele’s phone',
      fetchImpl: answering(200, body, seen),
      storage: { persist },
    });
    expect(result).toMatchObject({
      ok: true,
      persisted: true,
      identity: { key: 'device', deviceToken: 'vkd_secret', participantId: body.participantId },
    });
    expect(await readDeviceIdentity(database)).toMatchObject({
      deviceId: body.deviceId,
      workshopIds: body.workshopIds,
    });
    expect(JSON.parse(seen[0]!.body as string)).toEqual({ code: '7KQ2M9XA4PTR', deviceName: 'Mele’s phone' });
    expect(persist).toHaveBeenCalledOnce();
  });

  it('also takes (db, code, deviceName, fetch)', async () => {
    const database = db();
    const result = await enroll(database, '7KQ2M9XA4PTR', 'Tablet', answering(200, okBody()));
    expect(result.ok).toBe(true);
    expect(await readDeviceIdentity(database)).not.toBeNull();
  });

  it('renumbers queued entries from 1, since the server sees a new device, and clears an old auth problem', async () => {
    const server = new FakeSyncServer();
    const participantId = fakeUuid();
    const workshopId = fakeUuid();
    const { db: database } = await enrolledClient(server, participantId, [workshopId], 'renumber');
    opened.push(database);
    await writeSyncState(database, {
      ...(await readSyncState(database)),
      nextMid: 40,
      authProblem: 'unauthorized',
      lastError: 'sync.error.unauthorized',
    });
    await createRecord(database, 'evaluations', evaluationData(workshopId));
    await createRecord(database, 'evaluations', evaluationData(workshopId));
    expect((await database.outbox.toArray()).map((e) => e.mid)).toEqual([40, 41]);
    const result = await enroll('7KQ2M9XA4PTR', {
      db: database,
      fetchImpl: answering(200, okBody(participantId, [workshopId])),
      storage: null,
    });
    expect(result).toMatchObject({ ok: true, persisted: false });
    expect((await database.outbox.toArray()).map((e) => e.mid)).toEqual([1, 2]);
    expect(await database.evaluations.count()).toBe(2);
    expect(await readSyncState(database)).toMatchObject({ nextMid: 3, authProblem: null, lastError: null });
  });

  it('removes another participant’s data when someone else enrols on the phone', async () => {
    const server = new FakeSyncServer();
    const workshopId = fakeUuid();
    const { db: database } = await enrolledClient(server, fakeUuid(), [workshopId], 'switch');
    opened.push(database);
    await database.workshops.put({
      ...workshopData(workshopId),
      summary: '',
      sponsor: null,
      administrations: [],
      surveyOpensAfterMonths: 6,
      surveyDueAfterDays: 21,
      status: 'published',
      translations: {},
      toolSlugs: [],
      _version: 1,
      _deleted: false,
      _updatedAt: 'x',
    });
    await database.materials.put({
      ...materialData(workshopId, 'participants'),
      sample: false,
      sessionIds: [],
      _version: 1,
      _deleted: false,
      _updatedAt: 'x',
    });
    await createRecord(database, 'evaluations', evaluationData(workshopId));
    await enroll('7KQ2M9XA4PTR', { db: database, fetchImpl: answering(200, okBody()), storage: null });
    expect(await database.evaluations.count()).toBe(0);
    expect(await database.outbox.count()).toBe(0);
    expect(await database.materials.count()).toBe(0);
    expect(await database.workshops.count()).toBe(1);
  });

  it.each([
    [400, { error: 'invalid_code', message: 'x' }, 'enrol.error.invalid'],
    [410, { error: 'code_used', message: 'x' }, 'enrol.error.invalid'],
    [410, { error: 'code_expired', message: 'x' }, 'enrol.error.expired'],
    [429, { error: 'rate_limited', message: 'x' }, 'enrol.error.rateLimited'],
    [503, { error: 'unavailable', message: 'x' }, 'enrol.error.unknown'],
    [200, { unexpected: true }, 'enrol.error.unknown'],
  ])('maps HTTP %i %j to %s and stores nothing', async (status, body, key) => {
    const database = db();
    const result = await enroll('7KQ2M9XA4PTR', { db: database, fetchImpl: answering(status, body), storage: null });
    expect(result).toMatchObject({ ok: false, error: key });
    expect(await readDeviceIdentity(database)).toBeNull();
  });

  it('says offline when no answer arrives, and invalid for a malformed code without asking the server', async () => {
    const database = db();
    const failing = vi.fn(async () => {
      throw new TypeError('Failed to fetch');
    });
    expect(await enroll('7KQ2M9XA4PTR', { db: database, fetchImpl: failing as unknown as typeof fetch })).toMatchObject(
      { ok: false, error: 'enrol.error.offline' },
    );
    failing.mockClear();
    expect(await enroll('SHORT', { db: database, fetchImpl: failing as unknown as typeof fetch })).toMatchObject({
      ok: false,
      error: 'enrol.error.invalid',
    });
    expect(failing).not.toHaveBeenCalled();
  });

  it('maps bare statuses', () => {
    expect(enrollErrorFor(404, null)).toBe('enrol.error.invalid');
    expect(enrollErrorFor(429, null)).toBe('enrol.error.rateLimited');
    expect(enrollErrorFor(500, null)).toBe('enrol.error.unknown');
  });
});
