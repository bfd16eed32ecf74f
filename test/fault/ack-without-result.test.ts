/**
 * A device's answer is lost after the server committed a batch, and the
 * device resends a smaller batch (the engine's batch size is its own
 * choice). The server's lastMid then acknowledges mutations that were not in
 * the resent request, with no result for them. If one of those was merged
 * with another device's edit, the device must still end up with the merged
 * record: the server leaves the device's own writes out of its pulls, so the
 * answer is the only place the device can learn it.
 * Found by the fault harness on SQLite (seed 439982: a device kept a stale
 * description for good); this test provokes the same sequence directly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { DB_KINDS, startTestServer, type TestServer } from '../server/harness';
import { enrol, issueCode, world } from '../server/fixtures';
import { VakaDatabase, writeDeviceIdentity } from '../../src/device/db/database';
import { createRecord, updateRecord } from '../../src/device/db/writes';
import { syncOnce } from '../../src/device/sync/engine';
import type { SyncTransport } from '../../src/device/sync/transport';

describe.each(DB_KINDS)('an acknowledgement without its result on %s', (kind) => {
  let s: TestServer;
  let ctx: Awaited<ReturnType<typeof world>>;
  beforeAll(async () => {
    s = await startTestServer(kind);
    ctx = await world(s);
  });
  afterAll(async () => {
    await s.close();
  });

  /** A real client on fake-indexeddb; `loseNextAnswer` makes the next request commit on the server and fail on the device. */
  async function device() {
    const d = await enrol(s, await issueCode(s, ctx.coordinator, ctx.participantId));
    const db = new VakaDatabase(`ack-${kind}-${randomUUID()}`);
    await writeDeviceIdentity(db, {
      key: 'device',
      deviceId: d.deviceId,
      deviceToken: d.token,
      participantId: ctx.participantId,
      workshopIds: [ctx.workshopId],
      enrolledAt: new Date().toISOString(),
    });
    const control = { loseNextAnswer: false };
    const transport: SyncTransport = async ({ body, token }) => {
      const res = await s.app.inject({
        method: 'POST',
        url: '/api/v1/sync',
        headers: token ? { authorization: `Bearer ${token}` } : {},
        payload: body,
      });
      if (control.loseNextAnswer) {
        control.loseNextAnswer = false;
        throw new TypeError('connection cut after the server committed');
      }
      return { status: res.statusCode, headers: {}, body: res.json() as unknown };
    };
    const sync = (batchSize?: number) =>
      syncOnce(db, transport, { lock: 'none', locks: null, ...(batchSize ? { batchSize } : {}) });
    return { db, control, sync };
  }

  it('a device whose merged edit was acknowledged without a result still converges to the server', async () => {
    const a = await device();
    const b = await device();
    const other = await createRecord(a.db, 'followUpActions', {
      workshopId: ctx.workshopId,
      kind: 'other',
      date: '2022-07-01',
      description: 'Another record',
    });
    const r = await createRecord(a.db, 'followUpActions', {
      workshopId: ctx.workshopId,
      kind: 'share-materials',
      date: '2022-07-01',
      description: 'Original description',
    });
    await a.sync();
    await b.sync();

    // B edits the description; A, which has not seen it, edits the audience of the same record.
    await updateRecord(b.db, 'followUpActions', r.id, { description: 'Description from B' });
    await b.sync();
    await updateRecord(a.db, 'followUpActions', other.id, { description: 'Another record, edited' });
    await updateRecord(a.db, 'followUpActions', r.id, { audience: 'Audience from A' });

    // A sends both edits; the server merges the second with B's edit and commits; the answer is lost.
    a.control.loseNextAnswer = true;
    await expect(a.sync(10)).rejects.toThrow();
    // A resends one entry at a time: the first answer already acknowledges both, with one result.
    await a.sync(1);
    await a.sync();
    await b.sync();

    const server = await s.database.db
      .selectFrom('records')
      .select('data')
      .where('id', '=', r.id)
      .executeTakeFirstOrThrow();
    const data = JSON.parse(server.data) as Record<string, unknown>;
    expect(data).toMatchObject({ description: 'Description from B', audience: 'Audience from A' });
    expect(await a.db.outbox.count()).toBe(0);
    expect(await b.db.followUpActions.get(r.id)).toMatchObject({
      description: 'Description from B',
      audience: 'Audience from A',
    });
    expect(await a.db.followUpActions.get(r.id), 'device A converged to the server').toMatchObject({
      description: 'Description from B',
      audience: 'Audience from A',
    });
  });
});
