/**
 * The sync contract: what POST /api/v1/sync promises, as one suite run
 * against every target (test/contract/sync-targets.ts): the real server on
 * SQLite and on PostgreSQL, and the in-memory double the device's tests use,
 * so the double cannot teach the device a protocol the server does not speak.
 * Test names cite the invariants [I1]–[I8] of docs/sync-protocol.md.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import {
  MIN_PROTOCOL_VERSION,
  PROTOCOL_VERSION,
  SyncResponse,
  type Mutation,
  type SyncRequest,
} from '../../src/shared/sync/protocol';
import type { SyncTarget } from './sync-targets';

/** A published workshop, a participant on its roster and one enrolled device. */
async function world(t: SyncTarget) {
  const workshopId = await t.addWorkshop();
  const participantId = await t.addParticipant([workshopId]);
  const device = await t.enrol(participantId);
  return { workshopId, participantId, device };
}

/** A sync at the current protocol; a 200 answer is read as a device reads it (left-out fields filled in). */
async function sync(
  t: SyncTarget,
  token: string | null,
  body: Partial<SyncRequest> & { mutations?: Mutation[] },
): Promise<{ status: number; body: SyncResponse; raw: string }> {
  const res = await t.post(token, { protocol: PROTOCOL_VERSION, epoch: null, cursors: {}, mutations: [], ...body });
  const json: unknown = JSON.parse(res.raw);
  return {
    status: res.status,
    body: res.status === 200 ? SyncResponse.parse(json) : (json as SyncResponse),
    raw: res.raw,
  };
}

/** A valid follow-up action of this participant for this workshop. */
export function action(participantId: string, workshopId: string, overrides: Record<string, unknown> = {}) {
  return {
    participantId,
    workshopId,
    kind: 'share-materials',
    date: '2022-07-01',
    description: 'Shared the workshop slides with the PCA unit on the intranet.',
    audience: 'PCA unit',
    channel: 'intranet',
    ...overrides,
  };
}

export function syncContractSuite(name: string, makeTarget: () => Promise<SyncTarget>): void {
  describe(`sync contract: ${name}`, () => {
    let t: SyncTarget;
    beforeEach(async () => {
      t = await makeTarget();
    });
    afterEach(async () => {
      await t.close();
    });

    it('lets anyone pull published workshops without a token, and hides drafts', async () => {
      const { workshopId } = await world(t);
      const draft = await t.addWorkshop({ status: 'draft', title: 'Draft workshop' });
      const res = await sync(t, null, {});
      expect(res.status).toBe(200);
      const ids = res.body.changes.filter((c) => c.collection === 'workshops').map((c) => c.id);
      expect(ids).toContain(workshopId);
      expect(Object.keys(res.body.cursors)).toContain(`w:${workshopId}`);
      expect(Object.keys(res.body.cursors)).not.toContain(`w:${draft}`);
      expect(res.body.changes.find((c) => c.id === draft)).toMatchObject({ deleted: true, data: null });
      expect(res.raw).not.toContain('Draft workshop');
      expect(res.body.changes.some((c) => c.collection === 'participants')).toBe(false);
    });

    it('refuses mutations without a device token', async () => {
      const m: Mutation = { mid: 1, op: 'create', collection: 'followUpActions', recordId: randomUUID(), fields: {} };
      const res = await sync(t, null, { mutations: [m] });
      expect(res.status).toBe(401);
    });

    it('[I2] applies a create once, and a repeated request returns the stored result without duplicates', async () => {
      const { workshopId, device } = await world(t);
      const recordId = randomUUID();
      const m: Mutation = {
        mid: 1,
        op: 'create',
        collection: 'followUpActions',
        recordId,
        fields: action(device.participantId, workshopId),
      };
      const first = await sync(t, device.token, { mutations: [m] });
      expect(first.status).toBe(200);
      expect(first.body.results).toEqual([{ mid: 1, status: 'applied', version: expect.any(Number) }]);
      expect(first.body.lastMid).toBe(1);
      const before = await t.stateCounts();
      for (let i = 0; i < 3; i++) {
        const again = await sync(t, device.token, { mutations: [m] });
        expect(again.body.results).toEqual(first.body.results);
        expect(again.body.lastMid).toBe(1);
      }
      expect(await t.stateCounts()).toEqual(before);
    });

    it('echo suppression: a device does not get its own writes back, another device of the participant does', async () => {
      const { workshopId, device, participantId } = await world(t);
      const other = await t.enrol(participantId);
      const recordId = randomUUID();
      await sync(t, device.token, {
        mutations: [
          { mid: 1, op: 'create', collection: 'followUpActions', recordId, fields: action(participantId, workshopId) },
        ],
      });
      const own = await sync(t, device.token, {});
      expect(own.body.changes.find((c) => c.id === recordId)).toBeUndefined();
      const theirs = await sync(t, other.token, {});
      expect(theirs.body.changes.find((c) => c.id === recordId)?.data).toMatchObject({ kind: 'share-materials' });
    });

    it('[I3] stops at a gap in mids and resumes when the missing one arrives', async () => {
      const { workshopId, device } = await world(t);
      const mk = (mid: number): Mutation => ({
        mid,
        op: 'create',
        collection: 'followUpActions',
        recordId: randomUUID(),
        fields: action(device.participantId, workshopId),
      });
      const gap = await sync(t, device.token, { mutations: [mk(1), mk(3)] });
      expect(gap.body.lastMid).toBe(1);
      expect(gap.body.gap).toBe(true);
      expect(gap.body.results.map((r) => r.mid)).toEqual([1]);
      const resumed = await sync(t, device.token, { mutations: [mk(2), mk(3)] });
      expect(resumed.body.lastMid).toBe(3);
      expect(resumed.body.gap).toBe(false);
    });

    it('[I3] rejects an invalid mutation permanently and still advances lastMid', async () => {
      const { workshopId, device } = await world(t);
      const bad: Mutation = {
        mid: 1,
        op: 'create',
        collection: 'followUpActions',
        recordId: randomUUID(),
        fields: action(device.participantId, workshopId, { kind: 'bribe-officials', date: 'yesterday' }),
      };
      const good: Mutation = {
        mid: 2,
        op: 'create',
        collection: 'followUpActions',
        recordId: randomUUID(),
        fields: action(device.participantId, workshopId),
      };
      const res = await sync(t, device.token, { mutations: [bad, good] });
      expect(res.body.lastMid).toBe(2);
      expect(res.body.results[0]).toMatchObject({ mid: 1, status: 'rejected', code: 'invalid' });
      expect(res.body.results[0]!.status === 'rejected' && res.body.results[0]!.message).toMatch(/kind|date/);
      expect(res.body.results[1]).toMatchObject({ mid: 2, status: 'applied' });
    });

    it('[I6] merges different fields edited on two devices; the same field keeps the later arrival and logs the other', async () => {
      const { workshopId, device, participantId } = await world(t);
      const other = await t.enrol(participantId);
      const recordId = randomUUID();
      const created = await sync(t, device.token, {
        mutations: [
          { mid: 1, op: 'create', collection: 'followUpActions', recordId, fields: action(participantId, workshopId) },
        ],
      });
      const base = created.body.results[0]!.status === 'applied' ? created.body.results[0]!.version : -1;
      const a = await sync(t, device.token, {
        mutations: [
          {
            mid: 2,
            op: 'patch',
            collection: 'followUpActions',
            recordId,
            baseVersion: base,
            fields: { audience: 'Audit unit', description: 'From phone A' },
          },
        ],
      });
      expect(a.body.results[0]).toMatchObject({ status: 'applied' });
      const b = await sync(t, other.token, {
        mutations: [
          {
            mid: 1,
            op: 'patch',
            collection: 'followUpActions',
            recordId,
            baseVersion: base,
            fields: { channel: 'email', description: 'From phone B' },
          },
        ],
      });
      const result = b.body.results[0]!;
      expect(result.status).toBe('merged');
      if (result.status !== 'merged') return;
      expect(result.conflicts).toEqual([{ field: 'description', replaced: 'From phone A', kept: 'From phone B' }]);
      expect(result.record).toMatchObject({ audience: 'Audit unit', channel: 'email', description: 'From phone B' });
      expect(await t.conflictLog()).toEqual([{ field: 'description', replaced: 'From phone A', kept: 'From phone B' }]);
      const pulled = await sync(t, device.token, {});
      expect(pulled.body.changes.find((c) => c.id === recordId)?.data).toMatchObject({
        audience: 'Audit unit',
        channel: 'email',
        description: 'From phone B',
      });
    });

    it('[I6] a device’s own queued edits build on each other without conflicts', async () => {
      const { workshopId, device } = await world(t);
      const recordId = randomUUID();
      // Created and edited twice offline: every patch still carries baseVersion 0.
      const res = await sync(t, device.token, {
        mutations: [
          {
            mid: 1,
            op: 'create',
            collection: 'followUpActions',
            recordId,
            fields: action(device.participantId, workshopId),
          },
          {
            mid: 2,
            op: 'patch',
            collection: 'followUpActions',
            recordId,
            baseVersion: 0,
            fields: { description: 'first edit' },
          },
          {
            mid: 3,
            op: 'patch',
            collection: 'followUpActions',
            recordId,
            baseVersion: 0,
            fields: { description: 'second edit', audience: 'Board' },
          },
        ],
      });
      expect(res.body.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
      expect(await t.conflictLog()).toEqual([]);
    });

    it('[I6] concurrent means changed by another writer since the base and not overwritten by this device since', async () => {
      const { workshopId, device, participantId } = await world(t);
      const other = await t.enrol(participantId);
      const recordId = randomUUID();
      const created = await sync(t, device.token, {
        mutations: [
          { mid: 1, op: 'create', collection: 'followUpActions', recordId, fields: action(participantId, workshopId) },
        ],
      });
      const base = created.body.results[0]!.status === 'applied' ? created.body.results[0]!.version : -1;
      await sync(t, other.token, {
        mutations: [
          {
            mid: 1,
            op: 'patch',
            collection: 'followUpActions',
            recordId,
            baseVersion: base,
            fields: { description: 'B' },
          },
        ],
      });
      // Two edits queued offline on the first device, both from the same base.
      const res = await sync(t, device.token, {
        mutations: [
          {
            mid: 2,
            op: 'patch',
            collection: 'followUpActions',
            recordId,
            baseVersion: base,
            fields: { description: 'A1' },
          },
          {
            mid: 3,
            op: 'patch',
            collection: 'followUpActions',
            recordId,
            baseVersion: base,
            fields: { description: 'A2' },
          },
        ],
      });
      // The first overwrites B's change (a merge, logged); the second builds on the device's own write.
      expect(res.body.results.map((r) => r.status)).toEqual(['merged', 'applied']);
      expect(await t.conflictLog()).toEqual([{ field: 'description', replaced: 'B', kept: 'A1' }]);
    });

    it('[I6] a delete beats a concurrent edit', async () => {
      const { workshopId, device, participantId } = await world(t);
      const other = await t.enrol(participantId);
      const recordId = randomUUID();
      const created = await sync(t, device.token, {
        mutations: [
          { mid: 1, op: 'create', collection: 'followUpActions', recordId, fields: action(participantId, workshopId) },
        ],
      });
      const base = created.body.results[0]!.status === 'applied' ? created.body.results[0]!.version : -1;
      await sync(t, device.token, {
        mutations: [{ mid: 2, op: 'delete', collection: 'followUpActions', recordId, baseVersion: base }],
      });
      const edit = await sync(t, other.token, {
        mutations: [
          {
            mid: 1,
            op: 'patch',
            collection: 'followUpActions',
            recordId,
            baseVersion: base,
            fields: { description: 'late edit' },
          },
        ],
      });
      expect(edit.body.results[0]).toMatchObject({ status: 'rejected', code: 'deleted' });
      const pulled = await sync(t, other.token, {});
      expect(pulled.body.changes.find((c) => c.id === recordId)).toMatchObject({ deleted: true, data: null });
    });

    it('[I6] the server clock orders nothing a device says: moving it a day back changes no outcome', async () => {
      const { workshopId, device } = await world(t);
      const recordId = randomUUID();
      t.setClock(new Date('2026-11-28T00:00:00Z'));
      const c = await sync(t, device.token, {
        mutations: [
          {
            mid: 1,
            op: 'create',
            collection: 'followUpActions',
            recordId,
            fields: action(device.participantId, workshopId),
          },
        ],
      });
      t.setClock(new Date('2026-11-27T00:00:00Z'));
      const base = c.body.results[0]!.status === 'applied' ? c.body.results[0]!.version : -1;
      const p = await sync(t, device.token, {
        mutations: [
          {
            mid: 2,
            op: 'patch',
            collection: 'followUpActions',
            recordId,
            baseVersion: base,
            fields: { description: 'edited later, clock earlier' },
          },
        ],
      });
      expect(p.body.results[0]).toMatchObject({ status: 'applied' });
      expect(p.body.results[0]!.status === 'applied' && p.body.results[0]!.version).toBeGreaterThan(base);
    });

    it('[I7] a participant can neither read nor write another participant’s records', async () => {
      const { workshopId, device } = await world(t);
      const otherId = await t.addParticipant([workshopId]);
      const intruder = await t.enrol(otherId);
      const recordId = randomUUID();
      await sync(t, device.token, {
        mutations: [
          {
            mid: 1,
            op: 'create',
            collection: 'followUpActions',
            recordId,
            fields: action(device.participantId, workshopId),
          },
        ],
      });
      const read = await sync(t, intruder.token, {});
      expect(read.body.changes.find((c) => c.id === recordId)).toBeUndefined();
      expect(Object.keys(read.body.cursors)).not.toContain(`p:${device.participantId}`);
      const write = await sync(t, intruder.token, {
        mutations: [
          {
            mid: 1,
            op: 'patch',
            collection: 'followUpActions',
            recordId,
            baseVersion: 0,
            fields: { description: 'hijacked' },
          },
          {
            mid: 2,
            op: 'create',
            collection: 'followUpActions',
            recordId: randomUUID(),
            fields: action(device.participantId, workshopId),
          },
          { mid: 3, op: 'delete', collection: 'followUpActions', recordId, baseVersion: 0 },
        ],
      });
      expect(write.body.results.map((r) => r.status === 'rejected' && r.code)).toEqual([
        'forbidden',
        'forbidden',
        'forbidden',
      ]);
      const pulledCursors = await sync(t, intruder.token, { cursors: { [`p:${device.participantId}`]: 0 } });
      expect(pulledCursors.body.changes.find((c) => c.id === recordId)).toBeUndefined();
    });

    it('[I7] refuses records for a workshop the participant did not attend', async () => {
      const { device } = await world(t);
      const res = await sync(t, device.token, {
        mutations: [
          {
            mid: 1,
            op: 'create',
            collection: 'followUpActions',
            recordId: randomUUID(),
            fields: action(device.participantId, randomUUID()),
          },
        ],
      });
      expect(res.body.results[0]).toMatchObject({ status: 'rejected', code: 'forbidden' });
    });

    it('[I7] a revoked device gets 401 "revoked"', async () => {
      const { device } = await world(t);
      await t.revoke(device);
      const after = await sync(t, device.token, {});
      expect(after.status).toBe(401);
      expect(JSON.parse(after.raw)).toMatchObject({ error: 'revoked' });
    });

    it('answers an outdated client with 426 and a plain message', async () => {
      const res = await t.post(null, { protocol: MIN_PROTOCOL_VERSION - 1, epoch: null, cursors: {}, mutations: [] });
      expect(res.status).toBe(426);
      expect(JSON.parse(res.raw)).toMatchObject({
        error: 'client_outdated',
        message: expect.stringMatching(/update/i),
      });
    });

    it('answers a client newer than the server with 501 "server_outdated", distinct from client_outdated', async () => {
      const { device, workshopId } = await world(t);
      const m: Mutation = {
        mid: 1,
        op: 'create',
        collection: 'followUpActions',
        recordId: randomUUID(),
        fields: action(device.participantId, workshopId),
      };
      const res = await t.post(device.token, {
        protocol: PROTOCOL_VERSION + 1,
        epoch: null,
        cursors: {},
        mutations: [m],
      });
      expect(res.status).toBe(501);
      expect(JSON.parse(res.raw)).toMatchObject({
        error: 'server_outdated',
        message: expect.stringMatching(/server/i),
      });
      // Nothing was processed: the same device still syncs at its own protocol.
      const again = await sync(t, device.token, {});
      expect(again.status).toBe(200);
      expect(again.body.lastMid).toBe(0);
    });

    it('hands out short scope ids, and an idle sync under them is a few dozen bytes each way', async () => {
      const { device } = await world(t);
      const first = await sync(t, device.token, {});
      expect(Object.keys(first.body.scopeIds).sort()).toEqual(Object.keys(first.body.cursors).sort());
      const short = Object.fromEntries(
        Object.entries(first.body.cursors).map(([scope, seq]) => [String(first.body.scopeIds[scope]), seq]),
      );
      const idle = await sync(t, device.token, { epoch: first.body.epoch, cursors: short });
      expect(idle.status).toBe(200);
      // Nothing moved: no cursors, no ids, no empty lists or false flags on the wire.
      expect(Object.keys(JSON.parse(idle.raw) as object).sort()).toEqual([
        'epoch',
        'lastMid',
        'protocol',
        'serverTime',
      ]);
      expect(idle.raw.length).toBeLessThan(120);
      // The same cursors under their names also work, and get their ids back.
      const named = await sync(t, device.token, { epoch: first.body.epoch, cursors: first.body.cursors });
      expect(named.body.changes).toEqual([]);
      expect(named.body.cursors).toEqual({});
    });

    it('pulls a scope from its start when its short id is unknown, and a short id never opens another scope', async () => {
      const { workshopId, device } = await world(t);
      const other = await t.enrol(await t.addParticipant([workshopId]));
      await sync(t, other.token, {
        mutations: [
          {
            mid: 1,
            op: 'create',
            collection: 'followUpActions',
            recordId: randomUUID(),
            fields: action(other.participantId, workshopId),
          },
        ],
      });
      const theirs = await sync(t, other.token, {});
      const theirScopeId = theirs.body.scopeIds[`p:${other.participantId}`];
      expect(theirScopeId).toBeGreaterThan(0);
      const mine = await sync(t, device.token, {
        epoch: theirs.body.epoch,
        cursors: { [String(theirScopeId)]: 0, '999999': 5 },
      });
      expect(mine.status).toBe(200);
      expect(mine.body.reset).toBe(false);
      expect(mine.body.changes.some((c) => c.scope === `p:${other.participantId}`)).toBe(false);
      expect(mine.raw).not.toContain(other.participantId);
      expect(mine.body.changes.some((c) => c.collection === 'workshops' && c.id === workshopId)).toBe(true);
    });

    it('still answers protocol 1 clients in full, without short ids', async () => {
      await world(t);
      const res = await t.post(null, { protocol: 1, epoch: null, cursors: {}, mutations: [] });
      expect(res.status).toBe(200);
      const body = JSON.parse(res.raw) as Record<string, unknown>;
      expect(body).toMatchObject({ protocol: 1, results: [], hasMore: false, reset: false, gap: false });
      expect(body).not.toHaveProperty('scopeIds');
      const idle = await t.post(null, { protocol: 1, epoch: body.epoch, cursors: body.cursors, mutations: [] });
      expect(JSON.parse(idle.raw)).toMatchObject({ protocol: 1, changes: [], cursors: {}, results: [] });
    });

    it('[I5] pages by bytes, never skips or repeats a change, and cursors only move forward', async () => {
      const { device, workshopId } = await world(t);
      const ids: string[] = [];
      const mutations: Mutation[] = [];
      for (let i = 1; i <= 60; i++) {
        const id = randomUUID();
        ids.push(id);
        mutations.push({
          mid: i,
          op: 'create',
          collection: 'followUpActions',
          recordId: id,
          fields: action(device.participantId, workshopId, { description: `Action ${i} `.padEnd(400, 'x') }),
        });
      }
      await sync(t, device.token, { mutations });
      // A second device of the same participant pulls everything in small pages.
      const reader = await t.enrol(device.participantId);
      let cursors: Record<string, number> = {};
      let epoch: string | null = null;
      const seen: string[] = [];
      let pages = 0;
      for (;;) {
        const res = await sync(t, reader.token, { cursors, epoch, maxBytes: 4096 });
        pages++;
        for (const [scope, c] of Object.entries(res.body.cursors)) {
          expect(c).toBeGreaterThanOrEqual(cursors[scope] ?? 0);
        }
        cursors = { ...cursors, ...res.body.cursors };
        epoch = res.body.epoch;
        seen.push(...res.body.changes.filter((c) => c.collection === 'followUpActions').map((c) => c.id));
        if (!res.body.hasMore) break;
        expect(pages).toBeLessThan(100);
      }
      expect(pages).toBeGreaterThan(3);
      expect(new Set(seen).size).toBe(seen.length);
      expect(new Set(seen)).toEqual(new Set(ids));
      const idle = await sync(t, reader.token, { cursors, epoch });
      expect(idle.body.changes).toEqual([]);
      expect(idle.body.cursors).toEqual({});
    });

    it('[I5] answers reset when the epoch changed (restored backup) or a cursor is ahead of the server', async () => {
      const { device } = await world(t);
      const first = await sync(t, device.token, {});
      const cursors = first.body.cursors;
      const wrongEpoch = await sync(t, device.token, { cursors, epoch: 'another-epoch' });
      expect(wrongEpoch.body.reset).toBe(true);
      expect(wrongEpoch.body.changes.length).toBeGreaterThan(0);
      const ahead = await sync(t, device.token, { cursors: { ...cursors, catalog: 10_000 }, epoch: first.body.epoch });
      expect(ahead.body.reset).toBe(true);
    });

    it('a submitted survey response is never edited in place; an amendment is a new revision', async () => {
      const { workshopId, device } = await world(t);
      const first = randomUUID();
      const submitted = {
        participantId: device.participantId,
        workshopId,
        status: 'submitted',
        submittedAt: '2022-12-20T01:00:00.000Z',
        actionsTaken: ['share-materials'],
        directEffects: { answer: 'yes', details: 'Faster release.' },
        workEfficiency: { answer: 'yes', details: '' },
        newProjects: { answer: 'no', details: '' },
      };
      const r1 = await sync(t, device.token, {
        mutations: [{ mid: 1, op: 'create', collection: 'surveyResponses', recordId: first, fields: submitted }],
      });
      expect(r1.body.results[0]).toMatchObject({ status: 'applied' });
      const edit = await sync(t, device.token, {
        mutations: [
          {
            mid: 2,
            op: 'patch',
            collection: 'surveyResponses',
            recordId: first,
            baseVersion: 0,
            fields: { otherActions: 'x' },
          },
        ],
      });
      expect(edit.body.results[0]).toMatchObject({ status: 'rejected', code: 'immutable' });
      const amend = await sync(t, device.token, {
        mutations: [
          {
            mid: 3,
            op: 'create',
            collection: 'surveyResponses',
            recordId: randomUUID(),
            fields: { ...submitted, revision: 2, supersedes: first },
          },
        ],
      });
      expect(amend.body.results[0]).toMatchObject({ status: 'applied' });
      const incomplete = await sync(t, device.token, {
        mutations: [
          {
            mid: 4,
            op: 'create',
            collection: 'surveyResponses',
            recordId: randomUUID(),
            fields: { ...submitted, newProjects: { answer: null, details: '' } },
          },
        ],
      });
      expect(incomplete.body.results[0]).toMatchObject({
        status: 'rejected',
        code: 'invalid',
        message: expect.stringMatching(/newProjects/),
      });
    });
  });
}
