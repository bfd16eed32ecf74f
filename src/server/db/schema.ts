/**
 * The server's tables as Kysely sees them. Booleans are integers (0/1) and
 * JSON is text, so one set of queries runs on SQLite and PostgreSQL alike.
 */
import type { Generated } from 'kysely';

export interface MetaTable {
  key: string;
  value: string;
}

/** One counter per pull scope, bumped inside every writing transaction. */
export interface ScopeSeqTable {
  scope: string;
  seq: number;
}

/** Short ids of pull scopes, so cursors travel as small numbers (protocol 2). */
export interface ScopeIdsTable {
  sid: Generated<number>;
  scope: string;
}

/** Every synced record of every collection, as JSON, with its sync bookkeeping. */
export interface RecordsTable {
  id: string;
  collection: string;
  scope: string;
  seq: number;
  owner_participant_id: string | null;
  workshop_id: string | null;
  data: string;
  /** JSON object: field name → {v: seq of its last change, d: device that made it}; decides which concurrent edits collide. */
  field_versions: string;
  deleted: number;
  origin_device_id: string | null;
  updated_at: string;
}

export interface RosterTable {
  workshop_id: string;
  participant_id: string;
}

export interface DevicesTable {
  id: string;
  participant_id: string;
  token_hash: string;
  name: string;
  last_mid: number;
  created_at: string;
  last_seen_at: string | null;
  revoked_at: string | null;
}

export interface MutationResultsTable {
  device_id: string;
  mid: number;
  result: string;
}

export interface EnrolmentCodesTable {
  code_hash: string;
  participant_id: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  device_id: string | null;
}

export interface CoordinatorsTable {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  created_at: string;
  disabled_at: string | null;
}

export interface CoordinatorSessionsTable {
  token_hash: string;
  coordinator_id: string;
  created_at: string;
  expires_at: string;
}

export interface ConflictLogTable {
  id: Generated<number>;
  collection: string;
  record_id: string;
  field: string;
  replaced: string;
  kept: string;
  device_id: string;
  seq: number;
  at: string;
}

export interface FilesTable {
  sha256: string;
  byte_size: number;
  media_type: string;
  created_at: string;
}

export interface Database {
  meta: MetaTable;
  scope_seq: ScopeSeqTable;
  scope_ids: ScopeIdsTable;
  records: RecordsTable;
  roster: RosterTable;
  devices: DevicesTable;
  mutation_results: MutationResultsTable;
  enrolment_codes: EnrolmentCodesTable;
  coordinators: CoordinatorsTable;
  coordinator_sessions: CoordinatorSessionsTable;
  conflict_log: ConflictLogTable;
  files: FilesTable;
}
