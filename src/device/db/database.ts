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
import { Dexie, type EntityTable, type Table } from 'dexie';
import type { CollectionName, CollectionRecord } from '../../shared/schemas/collections';
import type { ConflictNote, Cursors, Mutation, ScopeIds } from '../../shared/sync/protocol';
import type { FileChunk, MaterialDownload, SeenMaterial, SeenSession, StoredFile } from '../downloads/types';

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
  /** Short ids the server gave the scopes (protocol 2); absent in states stored by older versions. */
  scopeIds?: ScopeIds;
  /** The next mutation id to hand out; grows by exactly one per outbox entry. */
  nextMid: number;
  lastSuccessAt: string | null;
  lastErrorAt: string | null;
  lastError: string | null;
  /**
   * Set when the server refused the device token (revoked, or unknown after
   * a server restore) so the UI can explain why it must enrol again; cleared
   * at enrolment. Stored because the page may learn it from a background sync.
   */
  authProblem?: 'revoked' | 'unauthorized' | null;
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

/** Any synced record, when code works across collections. */
export type AnyStored = { id: string } & LocalMeta & Record<string, unknown>;

/**
 * A mutation the server refused for good (`rejected`). The entry leaves the
 * outbox so the queue moves on, but what the participant typed is kept here
 * so the UI can show it, explain why and offer to copy or re-enter it.
 */
export interface RejectionEntry {
  seq?: number;
  mid: number;
  collection: CollectionName;
  recordId: string;
  op: Mutation['op'];
  /** The fields the mutation carried; null for deletes. */
  fields: Record<string, unknown> | null;
  code: string;
  message: string;
  at: string;
  seen: boolean;
}

/**
 * An evidence file picked for a record, kept here until its bytes are on the
 * server. Records may only name uploaded files (the server answers
 * `attachment_missing` otherwise), so the record is saved first without it
 * and the uploader adds it to `evidence` once the upload is complete. The
 * bytes live in IndexedDB, not in memory, so they survive a closed app and
 * months offline; `uploadUrl` lets a cut upload resume where it stopped.
 */
export interface PendingUpload {
  id: string;
  collection: 'followUpActions';
  recordId: string;
  name: string;
  mediaType: string;
  byteSize: number;
  sha256: string;
  blob: Blob;
  /** The tus upload's URL once the server has created it; null until then. */
  uploadUrl: string | null;
  /** Bytes the server has confirmed, for "2.1 MB waiting". */
  bytesSent: number;
  /** A reason the upload cannot succeed by retrying (e.g. the server refuses the file). */
  failure: string | null;
  createdAt: string;
}

/**
 * The server's copy of a record that has local edits waiting in the outbox
 * (null: the server does not have it yet). The record the UI reads is this
 * copy with the pending edits replayed on top, so pulled changes and
 * rejected edits can be folded in without losing what is still queued.
 * Rows exist only while the record has outbox entries.
 */
export interface ServerCopy {
  /** `${collection}/${recordId}` */
  key: string;
  collection: CollectionName;
  recordId: string;
  record: AnyStored | null;
}

export const serverCopyKey = (collection: CollectionName, recordId: string): string => `${collection}/${recordId}`;

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
  rejections!: EntityTable<RejectionEntry, 'seq'>;
  serverCopies!: EntityTable<ServerCopy, 'key'>;
  pendingUploads!: EntityTable<PendingUpload, 'id'>;
  files!: EntityTable<StoredFile, 'sha256'>;
  fileChunks!: Table<FileChunk, [string, number]>;
  downloads!: EntityTable<MaterialDownload, 'materialId'>;
  seenSessions!: EntityTable<SeenSession, 'sessionId'>;
  seenMaterials!: EntityTable<SeenMaterial, 'materialId'>;

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
    // v2: rejected mutations are kept for the participant, and records with
    // queued edits keep the server's copy beside them.
    this.version(2)
      .stores({
        rejections: '++seq, recordId',
        serverCopies: 'key, recordId',
      })
      .upgrade(async (tx) => {
        // v1 did not keep the server's copy; the local record (queued edits
        // applied) is the best guess, and a pending create has none.
        const entries = await tx.table<OutboxEntry, number>('outbox').orderBy('mid').toArray();
        const copies = tx.table<ServerCopy, string>('serverCopies');
        for (const entry of entries) {
          const key = serverCopyKey(entry.collection, entry.recordId);
          if (await copies.get(key)) continue;
          const current =
            entry.op === 'create' ? undefined : await tx.table<AnyStored, string>(entry.collection).get(entry.recordId);
          await copies.put({ key, collection: entry.collection, recordId: entry.recordId, record: current ?? null });
        }
      });
    // v3: evidence files wait here until they are uploaded. A new table, so
    // nothing to convert.
    this.version(3).stores({ pendingUploads: 'id, recordId' });
    // v4: material files downloaded in chunks for offline use, and what the
    // participant last saw of agendas and materials. New tables only.
    this.version(4).stores({
      files: 'sha256',
      fileChunks: '[sha256+offset], sha256',
      downloads: 'materialId, workshopId, sha256, pendingSha256',
      seenSessions: 'sessionId, workshopId',
      seenMaterials: 'materialId, workshopId',
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

// The meta table holds two row shapes; Dexie's insert type for a union keeps
// only their common fields, so rows are written through these helpers.

export async function readSyncState(db: VakaDatabase): Promise<SyncState> {
  const row = await db.meta.get('sync');
  return row?.key === 'sync' ? row : { ...INITIAL_SYNC_STATE };
}

export async function writeSyncState(db: VakaDatabase, state: SyncState): Promise<void> {
  await db.table<MetaRow, string>('meta').put(state);
}

export async function readDeviceIdentity(db: VakaDatabase): Promise<DeviceIdentity | null> {
  const row = await db.meta.get('device');
  return row?.key === 'device' ? row : null;
}

export async function writeDeviceIdentity(db: VakaDatabase, identity: DeviceIdentity): Promise<void> {
  await db.table<MetaRow, string>('meta').put(identity);
}

let instance: VakaDatabase | null = null;

/** The app's single database connection, opened on first use. */
export function getDb(): VakaDatabase {
  instance ??= new VakaDatabase();
  return instance;
}
