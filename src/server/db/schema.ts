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
  /** Base32 TOTP secret once the second factor is set up (auth/second-factor.ts). */
  totp_secret: string | null;
  /** A secret shown as a QR code but not yet confirmed with a code from the app. */
  totp_pending_secret: string | null;
  /** The last TOTP time step accepted, so a code is never accepted twice. */
  totp_last_step: number | null;
  password_changed_at: string | null;
}

export interface CoordinatorSessionsTable {
  token_hash: string;
  coordinator_id: string;
  created_at: string;
  /** The absolute end of the session, whatever the activity. */
  expires_at: string;
  /** Null until the first request after sign-in; the idle timeout counts from it. */
  last_seen_at: string | null;
  /** 'done', or what the coordinator still has to do: 'verify' a code or 'setup' a second factor. */
  second_factor: Generated<string>;
  second_factor_failures: Generated<number>;
}

export interface CoordinatorRecoveryCodesTable {
  coordinator_id: string;
  code_hash: string;
  used_at: string | null;
}

/** Bytes each uploader (participant id, or coordinator:<id>) has stored, counted once per file. */
export interface UploadUsageTable {
  owner: string;
  sha256: string;
  byte_size: number;
  created_at: string;
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

/** One message to one participant by one channel; the unique key makes it at most one row ever. */
export interface MessageJobsTable {
  id: string;
  participant_id: string;
  workshop_id: string;
  kind: string;
  key: string;
  channel: string;
  state: string;
  send_at: string;
  next_attempt_at: string;
  attempts: number;
  lease_owner: string | null;
  lease_until: string | null;
  message_id: string;
  reason: string | null;
  sent_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface MessageWorkshopsTable {
  workshop_id: string;
  /** JSON array of days before the due date. */
  reminder_days: string;
  paused_at: string | null;
  results_published_at: string | null;
}

/** When the messages runner first saw a roster line: the participant's "added at". */
export interface MessageRosterSeenTable {
  workshop_id: string;
  participant_id: string;
  first_seen_at: string;
}

export interface MessagePreferencesTable {
  participant_id: string;
  channels: string;
  language: string;
  email_unsubscribed_at: string | null;
  updated_at: string;
}

/** One-click unsubscribe and single-use sign-in tokens, stored as SHA-256. */
export interface MessageTokensTable {
  token_hash: string;
  purpose: string;
  participant_id: string;
  workshop_id: string | null;
  created_at: string;
  expires_at: string | null;
  used_at: string | null;
}

export interface PushSubscriptionsTable {
  endpoint: string;
  participant_id: string;
  device_id: string | null;
  p256dh: string;
  auth: string;
  created_at: string;
}

/** Attempts per client key and route in the current window (http/rate-limit-store.ts). */
export interface RateLimitsTable {
  key: string;
  count: number;
  /** Milliseconds since the epoch. */
  reset_at: number;
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
  coordinator_recovery_codes: CoordinatorRecoveryCodesTable;
  upload_usage: UploadUsageTable;
  conflict_log: ConflictLogTable;
  files: FilesTable;
  message_jobs: MessageJobsTable;
  message_workshops: MessageWorkshopsTable;
  message_roster_seen: MessageRosterSeenTable;
  message_preferences: MessagePreferencesTable;
  message_tokens: MessageTokensTable;
  push_subscriptions: PushSubscriptionsTable;
  rate_limits: RateLimitsTable;
}
