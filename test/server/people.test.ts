/**
 * The people services (src/server/people/) that the coordinator API and the
 * operator CLI share, on SQLite and PostgreSQL: revoking a device twice, by
 * either path, keeps the first revocation time; putting someone on a roster
 * twice, by either path, adds nothing; an unknown workshop refuses the
 * whole participant; issued codes are in the shared code format.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { DB_KINDS, startTestServer, type TestServer } from './harness';
import { addWorkshop, world } from './fixtures';
import { revokeDevice, listDevices } from '../../src/server/people/devices';
import { createParticipant } from '../../src/server/people/participants';
import { issueEnrolmentCodeFor } from '../../src/server/people/enrolment-codes';
import { ENROLMENT_CODE_PATTERN, normalizeEnrolmentCode } from '../../src/shared/domain/enrolment-code';

describe.each(DB_KINDS)('people services on %s', (kind) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(kind);
  }, 60_000);
  afterAll(async () => {
    await s.close();
  });

  const revokedAt = async (deviceId: string) =>
    (
      await s.database.db
        .selectFrom('devices')
        .select('revoked_at')
        .where('id', '=', deviceId)
        .executeTakeFirstOrThrow()
    ).revoked_at;

  it('keeps the first revocation time when the API revokes a device twice', async () => {
    s.clock.now = new Date('2026-11-27T08:00:00Z');
    const w = await world(s);
    const revoke = () =>
      s.app.inject({
        method: 'POST',
        url: `/api/v1/devices/${w.device.deviceId}/revoke`,
        headers: { authorization: `Bearer ${w.coordinator}` },
      });
    // Minutes apart, within the coordinator session's idle timeout (docs/security.md).
    s.clock.now = new Date('2026-11-27T08:10:00Z');
    expect((await revoke()).statusCode).toBe(204);
    expect(await revokedAt(w.device.deviceId)).toBe('2026-11-27T08:10:00.000Z');
    s.clock.now = new Date('2026-11-27T08:20:00Z');
    expect((await revoke()).statusCode).toBe(204);
    expect(await revokedAt(w.device.deviceId)).toBe('2026-11-27T08:10:00.000Z');
  });

  it('keeps the first revocation time when the CLI’s service revokes a device the API revoked', async () => {
    s.clock.now = new Date('2026-11-27T08:00:00Z');
    const w = await world(s);
    s.clock.now = new Date('2026-11-27T08:15:00Z');
    const api = await s.app.inject({
      method: 'POST',
      url: `/api/v1/devices/${w.device.deviceId}/revoke`,
      headers: { authorization: `Bearer ${w.coordinator}` },
    });
    expect(api.statusCode).toBe(204);
    const again = await revokeDevice(s.database.db, w.device.deviceId, new Date('2026-12-01T00:00:00Z'));
    expect(again).toEqual({ kind: 'revoked', revokedAt: '2026-11-27T08:15:00.000Z' });
    expect(await revokedAt(w.device.deviceId)).toBe('2026-11-27T08:15:00.000Z');
    expect(await revokeDevice(s.database.db, randomUUID(), new Date())).toEqual({ kind: 'not_found' });
    const listed = await listDevices(s.database.db, { participantId: w.participantId });
    expect(listed).toEqual([
      expect.objectContaining({ id: w.device.deviceId, revokedAt: '2026-11-27T08:15:00.000Z', lastMid: 0 }),
    ]);
  });

  it('puts a participant on a roster once, however often the API or the CLI’s service is asked', async () => {
    const { coordinator } = await world(s);
    const [w1, w2] = [await addWorkshop(s), await addWorkshop(s)];
    const participant = { id: randomUUID(), fullName: 'Mele Tupou', email: null, memberCode: 'TO', position: '' };
    const post = () =>
      s.app.inject({
        method: 'POST',
        url: '/api/v1/participants',
        headers: { authorization: `Bearer ${coordinator}` },
        payload: { participant, workshopIds: [w1, w1] },
      });
    expect((await post()).statusCode).toBe(201);
    expect((await post()).statusCode).toBe(201);
    const viaService = await createParticipant(
      s.database.db,
      { participant, workshopIds: [w1, w2, w2] },
      new Date('2026-11-28T00:00:00Z'),
      { enrolmentCodeTtlHours: 48 },
    );
    expect(viaService).toMatchObject({ kind: 'created', id: participant.id });
    const again = await createParticipant(s.database.db, { participant, workshopIds: [w2] }, new Date());
    expect(again).toEqual({ kind: 'created', id: participant.id, code: null });
    const roster = await s.database.db
      .selectFrom('roster')
      .select('workshop_id')
      .where('participant_id', '=', participant.id)
      .orderBy('workshop_id')
      .execute();
    expect(roster.map((r) => r.workshop_id)).toEqual([w1, w2].sort());
  });

  it('refuses a participant whose workshop is unknown or withdrawn, and stores nothing of them', async () => {
    const workshop = await addWorkshop(s);
    const unknown = randomUUID();
    const participant = { id: randomUUID(), fullName: 'Nobody', email: null, memberCode: 'FJ', position: '' };
    const outcome = await createParticipant(
      s.database.db,
      { participant, workshopIds: [workshop, unknown] },
      new Date(),
      { enrolmentCodeTtlHours: 48 },
    );
    expect(outcome).toEqual({ kind: 'unknown_workshops', missing: [unknown] });
    const stored = await s.database.db.selectFrom('records').select('id').where('id', '=', participant.id).execute();
    expect(stored).toEqual([]);
    const codes = await s.database.db
      .selectFrom('enrolment_codes')
      .select('code_hash')
      .where('participant_id', '=', participant.id)
      .execute();
    expect(codes).toEqual([]);
  });

  it('issues codes in the shared format, and none for an unknown participant', async () => {
    const { participantId } = await world(s);
    const issued = await issueEnrolmentCodeFor(s.database.db, participantId, 48, new Date('2026-11-28T00:00:00Z'));
    expect(issued!.code).toMatch(ENROLMENT_CODE_PATTERN);
    expect(normalizeEnrolmentCode(issued!.display)).toEqual({ kind: 'ok', code: issued!.code });
    expect(issued!.expiresAt).toBe('2026-11-30T00:00:00.000Z');
    expect(await issueEnrolmentCodeFor(s.database.db, randomUUID(), 48, new Date())).toBeNull();
  });
});
