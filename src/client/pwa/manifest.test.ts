/**
 * The per-language manifests: every language's strings fill every translated
 * field, the rest is shared; and every image a manifest names is a file whose
 * real type and pixel size (read from its PNG header) are the ones declared.
 */
import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../i18n/languages';
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

/** The pixel size and type of a PNG, from its signature and IHDR chunk (PNG spec §5.2, §11.2.2). */
function pngHeader(path: string): { type: string; sizes: string } {
  const bytes = readFileSync(path);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (!bytes.subarray(0, 8).equals(signature) || bytes.toString('latin1', 12, 16) !== 'IHDR') {
    return { type: 'not a PNG', sizes: '' };
  }
  return { type: 'image/png', sizes: `${bytes.readUInt32BE(16)}x${bytes.readUInt32BE(20)}` };
}

describe('manifest images match their files', () => {
  const publicFile = (src: string) => `public${src}`;

  it.each(LANGUAGES.map((l) => l.code))('declares the real type and size of every %s image', (code) => {
    const manifest = buildManifest(code, strings(code));
    const images = [...manifest.icons, ...manifest.screenshots, ...manifest.shortcuts.flatMap((s) => s.icons)];
    expect(images.length).toBeGreaterThan(0);
    for (const image of images) {
      expect(pngHeader(publicFile(image.src)), image.src).toEqual({ type: image.type, sizes: image.sizes });
    }
  });

  it('offers a narrow and a wide screenshot, each in the shape its form factor promises and small', () => {
    const { screenshots } = buildManifest('en', strings('en'));
    expect(screenshots.map((s) => s.form_factor).sort()).toEqual(['narrow', 'wide']);
    for (const shot of screenshots) {
      const [width, height] = pngHeader(publicFile(shot.src)).sizes.split('x').map(Number) as [number, number];
      if (shot.form_factor === 'wide') expect(width, shot.src).toBeGreaterThan(height);
      else expect(height, shot.src).toBeGreaterThan(width);
      // Fetched over a workshop's connection when the install sheet opens.
      expect(statSync(publicFile(shot.src)).size, shot.src).toBeLessThan(150 * 1024);
    }
  });

  it('reads the size from the header, not the file name', () => {
    expect(pngHeader('public/icons/apple-touch-icon-180.png')).toEqual({ type: 'image/png', sizes: '180x180' });
    expect(pngHeader('public/favicon.svg').type).toBe('not a PNG');
  });
});
