/**
 * Every locale file carries every key English has, with each plural form
 * its language needs. The app loads only the chosen language (no English
 * fallback download), so a missing key would show up as a raw key on screen.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from './languages';
import { SYNC_ERROR_KEYS } from '../../device/sync/errors';

const root = path.resolve(__dirname, '../../../locales');
const PLURAL = /_(zero|one|two|few|many|other)$/;

function flatten(value: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof value === 'string') {
    out.set(prefix, value);
    return out;
  }
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    for (const [k, v] of flatten(child, prefix ? `${prefix}.${key}` : key)) out.set(k, v);
  }
  return out;
}

/** All namespaces of a language (common.json, followup.json, …), keys prefixed "namespace:". */
function load(lng: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of readdirSync(path.join(root, lng)).filter((f) => f.endsWith('.json'))) {
    const ns = file.replace(/\.json$/, '');
    for (const [k, v] of flatten(JSON.parse(readFileSync(path.join(root, lng, file), 'utf8'))))
      out.set(`${ns}:${k}`, v);
  }
  return out;
}

const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe('locale files', () => {
  const en = load('en');
  const baseKeys = new Set([...en.keys()].map((k) => k.replace(PLURAL, '')));

  it('exist for every language the app offers, and nothing else', () => {
    expect(readdirSync(root).sort()).toEqual(LANGUAGES.map((l) => l.code).sort());
  });

  for (const { code } of LANGUAGES) {
    describe(code, () => {
      const strings = load(code);
      const plurals = new Intl.PluralRules(code).resolvedOptions().pluralCategories;

      it('has every key, with the plural forms the language uses', () => {
        const missing: string[] = [];
        for (const base of baseKeys) {
          const isPlural = en.has(`${base}_other`);
          if (!isPlural) {
            if (!strings.has(base)) missing.push(base);
            continue;
          }
          for (const form of plurals) if (!strings.has(`${base}_${form}`)) missing.push(`${base}_${form}`);
        }
        expect(missing).toEqual([]);
      });

      it('has no keys English lacks', () => {
        const extra = [...strings.keys()].filter((k) => !baseKeys.has(k.replace(PLURAL, '')));
        expect(extra).toEqual([]);
      });

      it('keeps the placeholders of each English string', () => {
        const wrong = [...strings.entries()]
          .filter(([key, value]) => {
            const source = en.get(key) ?? en.get(key.replace(PLURAL, '_other'));
            return source !== undefined && placeholders(source).join() !== placeholders(value).join();
          })
          .map(([key]) => key);
        expect(wrong).toEqual([]);
      });
    });
  }

  it('include the keys the sync engine and enrolment report', () => {
    for (const key of [
      ...SYNC_ERROR_KEYS,
      'sync.error.offline',
      'sync.error.server',
      'sync.error.outdated',
      'sync.error.revoked',
      'enroll.error.invalid',
      'enroll.error.expired',
      'enroll.error.rateLimited',
      'enroll.error.offline',
    ]) {
      expect(en.has(`common:${key}`), key).toBe(true);
    }
  });
});
