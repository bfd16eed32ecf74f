/**
 * The one conflict rule of sync (docs/sync-protocol.md, "Merge rule" and
 * [I6]): how a pushed mutation meets the record as stored. The server's apply,
 * the in-memory test server and the device's replay of queued edits all call
 * these functions, so the three cannot drift apart. Pure: no I/O and no
 * clock; order is arrival at the server, never a device's clock.
 */
import type { CollectionName } from '../schemas/collections';
import type { ConflictNote } from './protocol';

export type Fields = Record<string, unknown>;

/** Per field: the version (scope seq) of its last change and the device that made it (null: a server-side write). */
export interface FieldVersion {
  v: number;
  d: string | null;
}
export type FieldVersions = Record<string, FieldVersion>;

/** What the rule needs to know of a stored record. */
export interface MergeBase {
  collection: CollectionName;
  data: Fields;
  fieldVersions: FieldVersions;
  deleted: boolean;
}

/** Fields a device may not change after creation: they decide ownership and scope. */
export const FIXED_FIELDS: ReadonlySet<string> = new Set(['id', 'participantId', 'workshopId']);

export interface MergeRejection {
  ok: false;
  code: 'deleted' | 'immutable' | 'invalid';
  message: string;
}

export interface PatchMerge {
  ok: true;
  /** The record after the patch. */
  data: Fields;
  /** Fields whose value the patch changed: their versions move to the new write. */
  changedFields: string[];
  /** Fields another writer changed since the patch's base, overwritten by this later arrival. */
  conflicts: ConflictNote[];
  /**
   * Another writer changed the record since the patch's base: the device must get the whole
   * record back (status `merged`), because echo suppression would hide the others' change.
   */
  concurrent: boolean;
}

export interface DeleteMerge {
  ok: true;
  /** Already a tombstone: nothing to write, the delete is acknowledged as it stands. */
  alreadyDeleted: boolean;
}

/** Structural equality for JSON-like values: a field set to the value it has is no change. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  const ra = a as Fields;
  const rb = b as Fields;
  const ka = Object.keys(ra).filter((k) => ra[k] !== undefined);
  const kb = Object.keys(rb).filter((k) => rb[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => sameValue(ra[k], rb[k]));
}

/**
 * A field changed since the device's base version by someone other than that device. The device's own
 * earlier writes (queued edits that reached the server before this one) never count: they build on each other.
 */
export function changedByOthers(
  fieldVersions: FieldVersions,
  field: string,
  baseVersion: number,
  deviceId: string | null,
): boolean {
  const fv = fieldVersions[field];
  return fv !== undefined && fv.v > baseVersion && fv.d !== deviceId;
}

/** A submitted survey response is the record of what was reported: it is never edited in place. */
function isImmutable(base: MergeBase): boolean {
  return base.collection === 'surveyResponses' && base.data.status === 'submitted';
}

/**
 * Merges a patch into a stored record. `deviceId` is the pushing device; the device itself replays its
 * queued edits with empty field versions and null (no conflicts to find, only whether the edit takes).
 */
export function mergePatch(
  base: MergeBase,
  patch: { fields: Fields; baseVersion: number },
  deviceId: string | null,
): PatchMerge | MergeRejection {
  if (base.deleted) {
    return { ok: false, code: 'deleted', message: 'This record was deleted on another device; the deletion wins.' };
  }
  if (isImmutable(base)) {
    return {
      ok: false,
      code: 'immutable',
      message: 'A submitted response cannot be changed; amend it to make a new revision.',
    };
  }
  const fixed = Object.keys(patch.fields).filter(
    (f) => FIXED_FIELDS.has(f) && !sameValue(patch.fields[f], base.data[f]),
  );
  if (fixed.length)
    return { ok: false, code: 'invalid', message: `These fields cannot be changed: ${fixed.join(', ')}.` };

  const data: Fields = { ...base.data };
  const changedFields: string[] = [];
  const conflicts: ConflictNote[] = [];
  for (const [field, value] of Object.entries(patch.fields)) {
    if (FIXED_FIELDS.has(field) || sameValue(base.data[field], value)) continue;
    // The same field changed by someone else since the base: this later arrival wins, the loser is reported.
    if (changedByOthers(base.fieldVersions, field, patch.baseVersion, deviceId)) {
      conflicts.push({ field, replaced: base.data[field] ?? null, kept: value });
    }
    data[field] = value;
    changedFields.push(field);
  }
  const concurrent = Object.keys(base.fieldVersions).some((f) =>
    changedByOthers(base.fieldVersions, f, patch.baseVersion, deviceId),
  );
  return { ok: true, data, changedFields, conflicts, concurrent };
}

/** A delete wins over edits, but a submitted survey response stays. */
export function mergeDelete(base: MergeBase): DeleteMerge | MergeRejection {
  if (base.deleted) return { ok: true, alreadyDeleted: true };
  if (isImmutable(base)) return { ok: false, code: 'immutable', message: 'A submitted response cannot be deleted.' };
  return { ok: true, alreadyDeleted: false };
}

/** Field versions after a write at `version`: the changed fields now belong to `deviceId`. */
export function stampFields(
  previous: FieldVersions,
  changedFields: readonly string[],
  version: number,
  deviceId: string | null,
): FieldVersions {
  const next = { ...previous };
  for (const f of changedFields) next[f] = { v: version, d: deviceId };
  return next;
}
