/**
 * Malformed content packs (issue #9, part 3): fast-check breaks a copy of
 * the demo pack, one file at a time, and the loader must refuse it with the
 * file, where in it, and why:
 *   - syntax: the JSON cut short, a stray character, a character deleted.
 *     The message must name the file and the line (a coordinator fixes a
 *     70 KB file in a text editor, which counts lines, not byte offsets);
 *   - structure: a value somewhere in the pack replaced by a wrong type, a
 *     huge string, deep nesting or a prototype-pollution key, or removed.
 *     The loader either accepts the pack (the change was harmless) or throws
 *     a ContentPackError whose every line reads "file: path: message", never
 *     another kind of error, and Object.prototype stays clean.
 * The CSV half of the issue has nothing to test yet: there is no CSV import
 * (src/coordinator/csv.ts only exports reports).
 * Seeded: FUZZ_SEED replays a run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ContentPackError, loadContentPack } from '../../src/server/content/pack';

const DEMO = fileURLToPath(new URL('../../src/server/content/demo/', import.meta.url));
const seed = Number(process.env.FUZZ_SEED ?? 20261127);

let dir = '';
let originals: Map<string, string>;
const pollutionBefore = Object.getOwnPropertyNames(Object.prototype).sort().join(',');

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vaka-pack-fuzz-'));
  fs.cpSync(DEMO, dir, { recursive: true });
  originals = new Map(
    fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]),
  );
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Loads the pack with one file replaced, then puts the file back. */
async function loadWith(file: string, text: string): Promise<unknown> {
  fs.writeFileSync(path.join(dir, file), text);
  try {
    await loadContentPack(dir);
    return null;
  } catch (error) {
    return error;
  } finally {
    fs.writeFileSync(path.join(dir, file), originals.get(file)!);
  }
}

const lineOf = (text: string, offset: number) => text.slice(0, offset).split('\n').length;

describe('malformed content packs', () => {
  it('the untouched demo pack loads', async () => {
    await expect(loadContentPack(dir)).resolves.toMatchObject({ files: [...originals.keys()].sort() });
  });

  it('fuzz: broken JSON is refused naming the file and the line', async () => {
    const files = [...originals.keys()];
    const damage = fc.record({
      file: fc.constantFrom(...files),
      at: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
      how: fc.constantFrom('cut', 'stray', 'delete'),
      stray: fc.constantFrom(',', '}', ']', '"', 'tru', '\u0000', '{', ':', '/* */'),
    });
    await fc.assert(
      fc.asyncProperty(damage, async ({ file, at, how, stray }) => {
        const text = originals.get(file)!;
        const offset = Math.floor(at * text.length);
        const broken =
          how === 'cut'
            ? text.slice(0, offset)
            : how === 'stray'
              ? text.slice(0, offset) + stray + text.slice(offset)
              : text.slice(0, offset) + text.slice(offset + 1);
        let stillJson = true;
        try {
          JSON.parse(broken);
        } catch {
          stillJson = false;
        }
        fc.pre(!stillJson);
        const error = await loadWith(file, broken);
        expect(error).toBeInstanceOf(ContentPackError);
        const message = (error as Error).message;
        expect(message).toMatch(new RegExp(`^${file.replace('.', '\\.')}: `));
        expect(message).toMatch(/not valid JSON/i);
        // The line a text editor shows, near where the damage is.
        const reported = /\bline (\d+)/i.exec(message);
        expect(reported, `no line number in: ${message}`).not.toBeNull();
        expect(Math.abs(Number(reported![1]) - lineOf(broken, Math.min(offset, broken.length)))).toBeLessThanOrEqual(2);
      }),
      { numRuns: 60, seed },
    );
  });

  it('fuzz: a wrong value anywhere is refused as "file: path: message", or harmlessly accepted', async () => {
    const files = [...originals.keys()];
    const pollution = fc.constantFrom('__proto__', 'constructor', 'prototype');
    const weird = fc.oneof(
      fc.constant(undefined),
      fc.constant(null),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.string({ maxLength: 20 }),
      fc.constant('x'.repeat(100_000)),
      fc.constant('2022-02-30'),
      fc.integer({ min: 100, max: 3000 }).map((n) => JSON.parse('['.repeat(n) + ']'.repeat(n)) as unknown),
      fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), pollution), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
      pollution.map((k) => JSON.parse(`{"${k}": {"polluted": true}}`) as unknown),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...files), fc.nat(), weird, async (file, pick, value) => {
        const doc = JSON.parse(originals.get(file)!) as unknown;
        const paths: (string | number)[][] = [];
        const walk = (node: unknown, trail: (string | number)[]) => {
          if (trail.length > 0) paths.push(trail);
          if (Array.isArray(node)) node.forEach((v, i) => walk(v, [...trail, i]));
          else if (typeof node === 'object' && node !== null)
            for (const [k, v] of Object.entries(node)) walk(v, [...trail, k]);
        };
        walk(doc, []);
        const target = paths[pick % paths.length]!;
        let parent = doc as Record<string | number, unknown>;
        for (const k of target.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
        const last = target[target.length - 1]!;
        if (value === undefined) {
          if (Array.isArray(parent)) parent.splice(Number(last), 1);
          else Reflect.deleteProperty(parent, last);
        } else parent[last] = value;
        const error = await loadWith(file, JSON.stringify(doc, null, 2));
        if (error !== null) {
          expect(error, String(error)).toBeInstanceOf(ContentPackError);
          for (const line of (error as ContentPackError).problems)
            expect(line).toMatch(/^[\w.-]+\.json: [^:]+(\.[^:]+)*: .+/);
        }
        expect(Object.getOwnPropertyNames(Object.prototype).sort().join(',')).toBe(pollutionBefore);
      }),
      { numRuns: 150, seed },
    );
  }, 120_000);
});
