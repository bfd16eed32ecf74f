/**
 * The laws of the one merge rule ([I6], docs/sync-protocol.md "Merge rule"),
 * stated as properties over random records, patches and writers.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  FIXED_FIELDS,
  mergeDelete,
  mergePatch,
  sameValue,
  stampFields,
  type FieldVersions,
  type Fields,
  type MergeBase,
} from './merge';

const FIELD_NAMES = ['description', 'audience', 'channel', 'date', 'notes'] as const;
const DEVICES = ['device-a', 'device-b', 'device-c'] as const;

const value = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.integer({ min: -3, max: 3 }),
  fc.constant(null),
  fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }),
  fc.record({ answer: fc.constantFrom('yes', 'no'), details: fc.string({ maxLength: 3 }) }),
);
/** A writer: a device, or null for a server-side write (a coordinator, a content import). */
const writer = fc.constantFrom<string | null>(...DEVICES, null);
const device = fc.constantFrom<string>(...DEVICES);
const fields = fc.dictionary(fc.constantFrom(...FIELD_NAMES), value, { maxKeys: FIELD_NAMES.length });

/** A live follow-up action as the server stores it: every field with the version and writer of its last change. */
const stored = fc
  .tuple(fields, fc.dictionary(fc.constantFrom(...FIELD_NAMES), fc.tuple(fc.integer({ min: 1, max: 20 }), writer)))
  .map(([data, versions]): MergeBase => {
    const fieldVersions: FieldVersions = {};
    for (const [f, [v, d]] of Object.entries(versions)) if (f in data) fieldVersions[f] = { v, d };
    return {
      collection: 'followUpActions',
      data: { id: 'r1', participantId: 'p1', workshopId: 'w1', ...data },
      fieldVersions,
      deleted: false,
    };
  });
const baseVersion = fc.integer({ min: 0, max: 20 });

const maxVersion = (base: MergeBase) => Math.max(0, ...Object.values(base.fieldVersions).map((fv) => fv.v));

/** The record after the server wrote a successful patch at the next version. */
function written(base: MergeBase, patch: Fields, baseV: number, by: string): MergeBase {
  const merge = mergePatch(base, { fields: patch, baseVersion: baseV }, by);
  if (!merge.ok) throw new Error(merge.message);
  return {
    ...base,
    data: merge.data,
    fieldVersions: stampFields(base.fieldVersions, merge.changedFields, maxVersion(base) + 1, by),
  };
}

describe('the merge rule', () => {
  it('[I6] a delete wins: no patch from anyone takes on a deleted record', () => {
    fc.assert(
      fc.property(stored, fields, baseVersion, device, (base, patch, baseV, by) => {
        const del = mergeDelete(base);
        expect(del).toEqual({ ok: true, alreadyDeleted: false });
        const result = mergePatch({ ...base, deleted: true }, { fields: patch, baseVersion: baseV }, by);
        expect(result).toMatchObject({ ok: false, code: 'deleted' });
        expect(mergeDelete({ ...base, deleted: true })).toEqual({ ok: true, alreadyDeleted: true });
      }),
    );
  });

  it('[I2] re-applying the same patch after it took effect changes nothing and reports nothing', () => {
    fc.assert(
      fc.property(stored, fields, baseVersion, device, (base, patch, baseV, by) => {
        const once = written(base, patch, baseV, by);
        const again = mergePatch(once, { fields: patch, baseVersion: baseV }, by);
        expect(again.ok).toBe(true);
        if (!again.ok) return;
        expect(again.changedFields).toEqual([]);
        expect(again.conflicts).toEqual([]);
        expect(again.data).toEqual(once.data);
      }),
    );
  });

  it('[I6] a device’s own queued edits never count as conflicts or as concurrent', () => {
    fc.assert(
      fc.property(stored, fields, baseVersion, device, (base, patch, baseV, by) => {
        // Everything written since the base is this device's own.
        const own: FieldVersions = Object.fromEntries(
          Object.entries(base.fieldVersions).map(([f, fv]) => [f, fv.v > baseV ? { ...fv, d: by } : fv]),
        );
        const result = mergePatch({ ...base, fieldVersions: own }, { fields: patch, baseVersion: baseV }, by);
        expect(result).toMatchObject({ ok: true, conflicts: [], concurrent: false });
      }),
    );
  });

  it('[I6] the later arrival wins every field it carries; fields it does not carry keep their value', () => {
    fc.assert(
      fc.property(stored, fields, baseVersion, device, (base, patch, baseV, by) => {
        const result = mergePatch(base, { fields: patch, baseVersion: baseV }, by);
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        for (const f of Object.keys(result.data)) {
          expect(result.data[f]).toEqual(f in patch ? patch[f] : base.data[f]);
        }
        expect(result.changedFields.sort()).toEqual(
          Object.keys(patch)
            .filter((f) => !sameValue(patch[f], base.data[f]))
            .sort(),
        );
      }),
    );
  });

  it('[I6] a conflict is a field another writer changed since the base, reported with both values', () => {
    fc.assert(
      fc.property(stored, fields, baseVersion, device, (base, patch, baseV, by) => {
        const result = mergePatch(base, { fields: patch, baseVersion: baseV }, by);
        if (!result.ok) return;
        const byOthers = (f: string) => {
          const fv = base.fieldVersions[f];
          return fv !== undefined && fv.v > baseV && fv.d !== by;
        };
        expect(result.conflicts).toEqual(
          result.changedFields
            .filter(byOthers)
            .map((f) => ({ field: f, replaced: base.data[f] ?? null, kept: patch[f] })),
        );
        expect(result.concurrent).toBe(Object.keys(base.fieldVersions).some(byOthers));
      }),
    );
  });

  it('[I4] two devices’ patches from the same base converge: either order gives the same record on distinct fields, the later arrival on shared ones', () => {
    fc.assert(
      fc.property(stored, fields, fields, (base, pa, pb) => {
        const seen = maxVersion(base);
        const ab = written(written(base, pa, seen, 'device-a'), pb, seen, 'device-b');
        const ba = written(written(base, pb, seen, 'device-b'), pa, seen, 'device-a');
        for (const f of new Set([...Object.keys(ab.data), ...Object.keys(ba.data)])) {
          if (f in pa && f in pb) {
            expect(ab.data[f]).toEqual(pb[f]);
            expect(ba.data[f]).toEqual(pa[f]);
          } else {
            expect(ab.data[f]).toEqual(ba.data[f]);
          }
        }
      }),
    );
  });

  it('[I6] the second of two concurrent edits of one field reports the first as replaced', () => {
    fc.assert(
      fc.property(stored, value, value, (base, va, vb) => {
        fc.pre(!sameValue(va, vb) && !sameValue(va, base.data.description));
        const seen = maxVersion(base);
        const afterA = written(base, { description: va }, seen, 'device-a');
        const b = mergePatch(afterA, { fields: { description: vb }, baseVersion: seen }, 'device-b');
        expect(b).toMatchObject({
          ok: true,
          concurrent: true,
          conflicts: [{ field: 'description', replaced: va, kept: vb }],
        });
      }),
    );
  });

  it('refuses changes to the fields that decide ownership and scope, and ignores them when unchanged', () => {
    fc.assert(
      fc.property(stored, fc.constantFrom(...FIXED_FIELDS), fc.string({ minLength: 1 }), device, (base, f, v, by) => {
        fc.pre(v !== base.data[f]);
        expect(mergePatch(base, { fields: { [f]: v }, baseVersion: 0 }, by)).toMatchObject({
          ok: false,
          code: 'invalid',
        });
        expect(mergePatch(base, { fields: { [f]: base.data[f] }, baseVersion: 0 }, by)).toMatchObject({
          ok: true,
          changedFields: [],
        });
      }),
    );
  });

  it('never edits or deletes a submitted survey response', () => {
    fc.assert(
      fc.property(fields, baseVersion, device, (patch, baseV, by) => {
        const submitted: MergeBase = {
          collection: 'surveyResponses',
          data: { id: 'r1', participantId: 'p1', workshopId: 'w1', status: 'submitted' },
          fieldVersions: {},
          deleted: false,
        };
        expect(mergePatch(submitted, { fields: patch, baseVersion: baseV }, by)).toMatchObject({
          ok: false,
          code: 'immutable',
        });
        expect(mergeDelete(submitted)).toMatchObject({ ok: false, code: 'immutable' });
      }),
    );
  });
});

describe('sameValue', () => {
  it('is structural equality of JSON values, blind to key order', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => sameValue(v, structuredClone(v))));
    fc.assert(fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => sameValue(a, b) === sameValue(b, a)));
    expect(sameValue({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 })).toBe(true);
    expect(sameValue({ a: 1 }, { a: 2 })).toBe(false);
    expect(sameValue([1], { 0: 1 })).toBe(false);
  });
});
