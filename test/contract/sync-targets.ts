/**
 * What the sync contract suite runs against: the real server (through
 * Fastify's inject) on SQLite or PostgreSQL, and the in-memory test double
 * the device's tests use (src/device/sync/testing/fake-sync-server.ts). Each
 * target sets up the same world through its own means (coordinator API on
 * the server, direct writes on the double) and answers POST /api/v1/sync.
 */
import { randomUUID } from 'node:crypto';
import { startTestServer, type DbKind, type TestServer } from '../server/harness';
import { addParticipant, addWorkshop, coordinatorToken, enrol, issueCode } from '../server/fixtures';
import { FakeSyncServer } from '../../src/device/sync/testing/fake-sync-server';
import type { ConflictNote, SyncRequest } from '../../src/shared/sync/protocol';

export interface ContractDevice {
  deviceId: string;
  token: string;
  participantId: string;
}

export interface RawAnswer {
  status: number;
  raw: string;
}

export interface SyncTarget {
  /** A published workshop (overrides, e.g. a draft, allowed). */
  addWorkshop(overrides?: Record<string, unknown>): Promise<string>;
  /** A participant on the roster of these workshops. */
  addParticipant(workshopIds: string[]): Promise<string>;
  /** A new device of this participant. */
  enrol(participantId: string): Promise<ContractDevice>;
  revoke(device: ContractDevice): Promise<void>;
  /** POST /api/v1/sync with exactly this body. */
  post(token: string | null, payload: Record<string, unknown>): Promise<RawAnswer>;
  /** Sets the server's clock. */
  setClock(at: Date): void;
  /** Every replaced value, oldest first. */
  conflictLog(): Promise<ConflictNote[]>;
  /** Sizes of the server's state, which a replayed request must leave as they are. */
  stateCounts(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

export async function serverTarget(kind: DbKind): Promise<SyncTarget & { server: TestServer }> {
  const s = await startTestServer(kind);
  let coordinator: string | null = null;
  const asCoordinator = async () => (coordinator ??= await coordinatorToken(s));
  return {
    server: s,
    addWorkshop: (overrides) => addWorkshop(s, overrides),
    addParticipant: async (workshopIds) => addParticipant(s, await asCoordinator(), workshopIds),
    enrol: async (participantId) => enrol(s, await issueCode(s, await asCoordinator(), participantId)),
    async revoke(device) {
      const res = await s.app.inject({
        method: 'POST',
        url: `/api/v1/devices/${device.deviceId}/revoke`,
        headers: { authorization: `Bearer ${await asCoordinator()}` },
      });
      if (res.statusCode !== 204) throw new Error(`revoke failed: ${res.body}`);
    },
    async post(token, payload) {
      const res = await s.app.inject({
        method: 'POST',
        url: '/api/v1/sync',
        headers: token ? { authorization: `Bearer ${token}` } : {},
        payload,
      });
      return { status: res.statusCode, raw: res.body };
    },
    setClock(at) {
      s.clock.now = at;
    },
    async conflictLog() {
      const rows = await s.database.db.selectFrom('conflict_log').selectAll().orderBy('id').execute();
      return rows.map((r) => ({ field: r.field, replaced: JSON.parse(r.replaced), kept: JSON.parse(r.kept) }));
    },
    async stateCounts() {
      const out: Record<string, number> = {};
      for (const t of ['records', 'mutation_results', 'devices', 'conflict_log'] as const) {
        const r = await s.database.db
          .selectFrom(t)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        out[t] = Number(r.n);
      }
      return out;
    },
    close: () => s.close(),
  };
}

export async function doubleTarget(): Promise<SyncTarget & { server: FakeSyncServer }> {
  const fake = new FakeSyncServer();
  const rosters = new Map<string, string[]>();
  return {
    server: fake,
    async addWorkshop(overrides = {}) {
      const id = randomUUID();
      fake.adminWrite('workshops', {
        id,
        title: 'WCO Sub-regional Workshop on Data Analytics for Pacific Islands',
        kind: 'sub-regional',
        topic: 'Data analytics',
        startDate: '2022-06-14',
        endDate: '2022-06-16',
        timeZone: 'Pacific/Fiji',
        mode: 'hybrid',
        venue: { city: 'Nadi', country: 'Fiji' },
        organisers: ['WCO', 'ROCB A/P'],
        ...overrides,
      });
      return id;
    },
    async addParticipant(workshopIds) {
      const id = randomUUID();
      fake.adminWrite('participants', { id, fullName: 'Test Participant', memberCode: 'FJ', email: null });
      rosters.set(id, workshopIds);
      return id;
    },
    async enrol(participantId) {
      const device = fake.enrol(participantId, rosters.get(participantId) ?? []);
      return { deviceId: device.deviceId, token: device.token, participantId };
    },
    async revoke(device) {
      fake.revoke(device.token);
    },
    async post(token, payload) {
      // The double parses the body with the protocol's schema itself, as the server's route does.
      const res = await fake.handle({ url: '/api/v1/sync', token, body: payload as SyncRequest });
      return { status: res.status, raw: JSON.stringify(res.body) };
    },
    setClock(at) {
      fake.clock = at;
    },
    async conflictLog() {
      return fake.conflictLog.map(({ field, replaced, kept }) => ({ field, replaced, kept }));
    },
    async stateCounts() {
      return {
        records: fake.records.size,
        mutation_results: [...fake.devices.values()].reduce((n, d) => n + d.results.size, 0),
        devices: fake.devices.size,
        conflict_log: fake.conflictLog.length,
      };
    },
    close: async () => undefined,
  };
}
