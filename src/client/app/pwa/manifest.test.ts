/** The per-language manifests: every language's strings fill every translated field, the rest is shared. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../i18n/languages';
import { ManifestStrings, buildManifest, manifestFileName, manifestHref } from './manifest';

const strings = (code: string) =>
  ManifestStrings.parse(JSON.parse(readFileSync(`locales/${code}/manifest.json`, 'utf8')) as unknown);

describe('localized web app manifests', () => {
  const english = buildManifest('en', strings('en'));

  it.each(LANGUAGES.map((l) => l.code))('builds the %s manifest in that language', (code) => {
    const manifest = buildManifest(code, strings(code));
    expect(manifest.lang).toBe(code);
    expect(manifest.dir).toBe(code === 'fa' ? 'rtl' : 'ltr');
    expect(manifest.shortcuts.map((s) => s.url)).toEqual(['/', '/tools', '/enrol']);
    expect(manifest.icons).toEqual(english.icons);
    expect(manifest.start_url).toBe('/');
    expect(manifest.display).toBe('standalone');
    if (code !== 'en') {
      expect(manifest.description).not.toBe(english.description);
      for (const [i, shortcut] of manifest.shortcuts.entries()) {
        expect(shortcut.name).not.toBe(english.shortcuts[i]!.name);
      }
    }
  });

  it('names the files the build writes and the page links', () => {
    expect(manifestFileName('en')).toBe('manifest.webmanifest');
    expect(manifestHref('fa')).toBe('/manifest.fa.webmanifest');
  });

  it('refuses a strings file with a missing shortcut, naming it', () => {
    const broken = { ...strings('fr'), shortcuts: { workshops: { name: 'Ateliers', short: 'Ateliers' } } };
    expect(() => buildManifest('fr', broken as never)).toThrow(/tools/);
  });
});
