/**
 * The device's database (IndexedDB through Dexie). Everything the app shows
 * is read from here, so every screen works offline; the network only fills
 * and drains it. Unsynced writes live in `outbox` next to the record they
 * change and are committed in the same transaction with strict durability
 * (Chrome's default "relaxed" durability can report a commit before it is on
 * disk).
 *
 * Schema versions are append-only: add `this.version(n + 1)` with an upgrade
 * function, never edit an old one, and add a fixture of the old shape to the
 * upgrade test.
 */
import { Dexie, type EntityTable } from 'dexie';
import type { CollectionName, CollectionRecord } from '../../shared/schemas/collections';
import type { ConflictNote, Cursors, Mutation } from '../../shared/sync/protocol';

/** Server bookkeeping kept beside each synced record. */
export interface LocalMeta {
  /** Server version the device last saw; 0 for a record the server has not acknowledged yet. */
  _version: number;
  _deleted: boolean;
  _updatedAt: string;
}

export type Stored<C extends CollectionName> = CollectionRecord[C] & LocalMeta;

/** A mutation waiting for the server's acknowledgement, keyed by its per-device id. */
export type OutboxEntry = Mutation & { queuedAt: string };

/** A merge the server made that the participant should be told about. */
export interface ConflictEntry {
  seq?: number;
  collection: CollectionName;
  recordId: string;
  conflicts: ConflictNote[];
  at: string;
  seen: boolean;
}

export interface SyncState {
  key: 'sync';
  epoch: string | null;
  cursors: Cursors;
  /** The next mutation id to hand out; grows by exactly one per outbox entry. */
  nextMid: number;
  lastSuccessAt: string | null;
  lastErrorAt: string | null;
  lastError: string | null;
}

export interface DeviceIdentity {
  key: 'device';
  deviceId: string;
  deviceToken: string;
  participantId: string;
  workshopIds: string[];
  enrolledAt: string;
}

export interface Setting {
  key: string;
  value: unknown;
}

export type MetaRow = SyncState | DeviceIdentity;

export class VakaDatabase extends Dexie {
  workshops!: EntityTable<Stored<'workshops'>, 'id'>;
  agendaSessions!: EntityTable<Stored<'agendaSessions'>, 'id'>;
  materials!: EntityTable<Stored<'materials'>, 'id'>;
  toolSummaries!: EntityTable<Stored<'toolSummaries'>, 'id'>;
  participants!: EntityTable<Stored<'participants'>, 'id'>;
  followUpActions!: EntityTable<Stored<'followUpActions'>, 'id'>;
  surveyResponses!: EntityTable<Stored<'surveyResponses'>, 'id'>;
  evaluations!: EntityTable<Stored<'evaluations'>, 'id'>;
  outbox!: EntityTable<OutboxEntry, 'mid'>;
  conflicts!: EntityTable<ConflictEntry, 'seq'>;
  meta!: EntityTable<MetaRow, 'key'>;
  settings!: EntityTable<Setting, 'key'>;

  constructor(name = 'vaka') {
    super(name, { chromeTransactionDurability: 'strict' });
    this.version(1).stores({
      workshops: 'id, startDate',
      agendaSessions: 'id, workshopId, [workshopId+date]',
      materials: 'id, workshopId',
      toolSummaries: 'id, &slug',
      participants: 'id',
      followUpActions: 'id, workshopId, [workshopId+kind]',
      surveyResponses: 'id, workshopId, [workshopId+revision]',
      evaluations: 'id, workshopId',
      outbox: 'mid, recordId',
      conflicts: '++seq, recordId',
      meta: 'key',
      settings: 'key',
    });
  }

  table_<C extends CollectionName>(collection: C): EntityTable<Stored<C>, 'id'> {
    return this[collection] as unknown as EntityTable<Stored<C>, 'id'>;
  }
}

export const INITIAL_SYNC_STATE: SyncState = {
  key: 'sync',
  epoch: null,
  cursors: {},
  nextMid: 1,
  lastSuccessAt: null,
  lastErrorAt: null,
  lastError: null,
};

let instance: VakaDatabase | null = null;

/** The app's single database connection, opened on first use. */
export function getDb(): VakaDatabase {
  instance ??= new VakaDatabase();
  return instance;
}
