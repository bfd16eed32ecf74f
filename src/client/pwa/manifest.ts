/**
 * The web app manifest in each interface language. The build writes one
 * file per language (manifest.webmanifest for English, manifest.<lng>.webmanifest
 * for the others) from locales/<lng>/manifest.json, and the page points its
 * <link rel="manifest"> at the chosen language, so the installed app's name,
 * description and shortcuts read in that language. Pure: no DOM, no I/O.
 */
import * as z from 'zod';
import { DEFAULT_LANGUAGE, LANGUAGES, directionOf, type LanguageCode } from '../i18n/languages';

export { manifestFileName, manifestHref } from '../i18n/manifest-href';

const Shortcut = z.object({ name: z.string().min(1), short: z.string().min(1) });

export const ManifestStrings = z.object({
  description: z.string().min(1),
  screenshotLabel: z.string().min(1),
  shortcuts: z.object({ workshops: Shortcut, tools: Shortcut, enrol: Shortcut }),
});
export type ManifestStrings = z.infer<typeof ManifestStrings>;

const shortcutIcons = [{ src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' }];

/** Everything vite-plugin-pwa needs for one language; names and urls are the same in all. */
export function buildManifest(language: LanguageCode, strings: ManifestStrings) {
  const s = ManifestStrings.parse(strings);
  return {
    id: '/',
    name: 'Vaka',
    short_name: 'Vaka',
    description: s.description,
    lang: language,
    dir: directionOf(language),
    start_url: '/',
    scope: '/',
    display: 'standalone' as const,
    theme_color: '#0b5563',
    background_color: '#f7f9fa',
    categories: ['education', 'productivity'],
    icons: [
      { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
      { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
      { src: '/icons/maskable-192.png', sizes: '192x192', type: 'image/png', purpose: 'maskable' },
      { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
    ],
    // Shown by Chrome's richer install sheet, on phones (narrow) and desktops (wide); fetched only then, never
    // precached. Both show the workshop list, so they share one label. manifest.test.ts checks sizes against the files.
    screenshots: [
      {
        src: '/screenshots/workshops-360.png',
        sizes: '720x1480',
        type: 'image/png',
        form_factor: 'narrow' as const,
        label: s.screenshotLabel,
      },
      {
        src: '/screenshots/workshops-1280.png',
        sizes: '1280x800',
        type: 'image/png',
        form_factor: 'wide' as const,
        label: s.screenshotLabel,
      },
    ],
    shortcuts: [
      { name: s.shortcuts.workshops.name, short_name: s.shortcuts.workshops.short, url: '/', icons: shortcutIcons },
      { name: s.shortcuts.tools.name, short_name: s.shortcuts.tools.short, url: '/tools', icons: shortcutIcons },
      { name: s.shortcuts.enrol.name, short_name: s.shortcuts.enrol.short, url: '/enrol', icons: shortcutIcons },
    ],
  };
}

/** The languages that get a file of their own beside the default manifest. */
export const EXTRA_MANIFEST_LANGUAGES = LANGUAGES.map((l) => l.code).filter((code) => code !== DEFAULT_LANGUAGE);
