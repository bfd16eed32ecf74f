/**
 * The wire protocol of POST /api/v1/sync: one request carries the device's
 * outbox and its pull cursors; one response carries acknowledgements and the
 * changes since those cursors. The specification, with the invariants
 * [I1]–[I8] that tests cite, is docs/sync-protocol.md.
 *
 * Bump PROTOCOL_VERSION on any incompatible change; the server answers a
 * client older than MIN_PROTOCOL_VERSION with 426 "client_outdated" and a
 * client newer than PROTOCOL_VERSION with 501 "server_outdated".
 *
 * Version 2 keeps an idle sync under 1 KB on the wire: cursors travel under
 * the short ids the server hands out (scopeIds) instead of 36-character
 * workshop ids, and the response leaves out empty lists and false flags.
 * Version 1 clients still get the full response they expect.
 */
import { ENROLMENT_CODE_LENGTH, ENROLMENT_CODE_PATTERN } from '../domain/enrolment-code';
import * as z from 'zod';
import { Id, Timestamp } from '../schemas/common';
import { CollectionName, ParticipantCollection, ScopeName } from '../schemas/collections';

export const PROTOCOL_VERSION = 2;
/** The oldest protocol the server still answers. */
export const MIN_PROTOCOL_VERSION = 1;

/**
 * The answer to a protocol this side does not speak, or null when it does. An older client must update
 * (426 Upgrade Required); a newer client met a server that must be updated: 501 Not Implemented, a
 * server-side condition that no retry by the device can fix (docs/sync-protocol.md, "Versions").
 */
export function protocolMismatch(
  protocol: number,
): { status: 426; error: 'client_outdated' } | { status: 501; error: 'server_outdated' } | null {
  if (protocol < MIN_PROTOCOL_VERSION) return { status: 426, error: 'client_outdated' };
  if (protocol > PROTOCOL_VERSION) return { status: 501, error: 'server_outdated' };
  return null;
}

/** Fields a mutation may carry: a flat object of top-level record fields. */
const Fields = z.record(z.string().max(64), z.unknown());

export const Mutation = z.discriminatedUnion('op', [
  z.object({
    mid: z.number().int().positive(),
    op: z.literal('create'),
    collection: ParticipantCollection,
    recordId: Id,
    fields: Fields,
  }),
  z.object({
    mid: z.number().int().positive(),
    op: z.literal('patch'),
    collection: ParticipantCollection,
    recordId: Id,
    /** The record version the device last saw; decides which fields collide. */
    baseVersion: z.number().int().nonnegative(),
    fields: Fields,
  }),
  z.object({
    mid: z.number().int().positive(),
    op: z.literal('delete'),
    collection: ParticipantCollection,
    recordId: Id,
    baseVersion: z.number().int().nonnegative(),
  }),
]);
export type Mutation = z.infer<typeof Mutation>;

export const Cursors = z.record(ScopeName, z.number().int().nonnegative());
export type Cursors = z.infer<typeof Cursors>;

/** A scope's short id, valid within one server epoch. */
export const ScopeId = z.number().int().positive().max(999_999_999);
export const ScopeIds = z.record(ScopeName, ScopeId);
export type ScopeIds = z.infer<typeof ScopeIds>;

/** Request cursors: keyed by scope name, or by the scope's short id once the server has given one. */
export const RequestCursors = z.record(
  z.string().regex(/^(catalog|(w|wp|p):[0-9a-f-]{36}|[1-9][0-9]{0,8})$/, { error: 'Unknown scope.' }),
  z.number().int().nonnegative(),
);
export type RequestCursors = z.infer<typeof RequestCursors>;

export const SyncRequest = z.object({
  protocol: z.number().int(),
  /** The server epoch the device's cursors belong to; null on first sync. */
  epoch: z.string().max(64).nullable(),
  cursors: RequestCursors.default({}),
  mutations: z
    .array(Mutation)
    .max(2000, { error: 'At most 2000 mutations per request; send the rest next time.' })
    .default([]),
  /** Ask for a smaller page, e.g. on a metered link. */
  maxBytes: z.number().int().min(4096).max(4_000_000).optional(),
});
export type SyncRequest = z.infer<typeof SyncRequest>;

/** A field value the server replaced because a later edit of the same field arrived. */
export const ConflictNote = z.object({
  field: z.string(),
  /** The value that lost. */
  replaced: z.unknown(),
  /** The value that is kept. */
  kept: z.unknown(),
});
export type ConflictNote = z.infer<typeof ConflictNote>;

export const MutationResult = z.discriminatedUnion('status', [
  z.object({ mid: z.number().int(), status: z.literal('applied'), version: z.number().int() }),
  z.object({
    mid: z.number().int(),
    status: z.literal('merged'),
    version: z.number().int(),
    conflicts: z.array(ConflictNote),
    /** The record as the server now has it, so the device can show the merge. */
    record: z.record(z.string(), z.unknown()).nullable(),
  }),
  z.object({
    mid: z.number().int(),
    status: z.literal('rejected'),
    code: z.enum(['invalid', 'forbidden', 'not_found', 'deleted', 'immutable', 'exists', 'attachment_missing']),
    message: z.string(),
  }),
]);
export type MutationResult = z.infer<typeof MutationResult>;

export const Change = z.object({
  collection: CollectionName,
  id: Id,
  scope: ScopeName,
  version: z.number().int(),
  updatedAt: Timestamp,
  deleted: z.boolean(),
  /** Null for tombstones. */
  data: z.record(z.string(), z.unknown()).nullable(),
});
export type Change = z.infer<typeof Change>;

/**
 * The response as it travels (protocol 2): empty lists, empty maps and false
 * flags are left out.
 */
export const SyncResponseWire = z.object({
  protocol: z.number().int(),
  epoch: z.string(),
  /** Highest mutation id the server has processed for this device. */
  lastMid: z.number().int().nonnegative(),
  results: z.array(MutationResult).optional(),
  changes: z.array(Change).optional(),
  /** Only the cursors that moved or that the device did not send. */
  cursors: Cursors.optional(),
  /** Short ids of the scopes in `cursors` the device named in full: send them instead next time. */
  scopeIds: ScopeIds.optional(),
  /** More changes wait: sync again right away. */
  hasMore: z.boolean().optional(),
  /** The device's cursors belong to another epoch: drop synced data, keep the outbox, apply this snapshot. */
  reset: z.boolean().optional(),
  /** Processing stopped at a gap in mutation ids; resend from lastMid + 1. */
  gap: z.boolean().optional(),
  serverTime: Timestamp,
});
export type SyncResponseWire = z.infer<typeof SyncResponseWire>;

/** The response as a device reads it: left-out fields take their empty values. */
export const SyncResponse = SyncResponseWire.extend({
  results: z.array(MutationResult).default([]),
  changes: z.array(Change).default([]),
  cursors: Cursors.default({}),
  scopeIds: ScopeIds.default({}),
  hasMore: z.boolean().default(false),
  reset: z.boolean().default(false),
  gap: z.boolean().default(false),
});
export type SyncResponse = z.infer<typeof SyncResponse>;

/** Drops what a protocol 2 device fills in by itself. */
export function compactResponse(r: SyncResponse): SyncResponseWire {
  const wire: SyncResponseWire = { protocol: r.protocol, epoch: r.epoch, lastMid: r.lastMid, serverTime: r.serverTime };
  if (r.results.length) wire.results = r.results;
  if (r.changes.length) wire.changes = r.changes;
  if (Object.keys(r.cursors).length) wire.cursors = r.cursors;
  if (Object.keys(r.scopeIds).length) wire.scopeIds = r.scopeIds;
  if (r.hasMore) wire.hasMore = true;
  if (r.reset) wire.reset = true;
  if (r.gap) wire.gap = true;
  return wire;
}

export const ApiError = z.object({
  error: z.string(),
  message: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type ApiError = z.infer<typeof ApiError>;

export const EnrollRequest = z.object({
  code: z
    .string()
    .trim()
    .transform((c) => c.toUpperCase().replace(/[\s-]/g, ''))
    .pipe(
      z.string().regex(ENROLMENT_CODE_PATTERN, {
        error: `An enrolment code has ${ENROLMENT_CODE_LENGTH} letters and digits.`,
      }),
    ),
  deviceName: z.string().trim().min(1).max(100).default('Phone'),
});
export type EnrollRequest = z.infer<typeof EnrollRequest>;

export const EnrollResponse = z.object({
  deviceId: Id,
  deviceToken: z.string(),
  participantId: Id,
  workshopIds: z.array(Id),
});
export type EnrollResponse = z.infer<typeof EnrollResponse>;
