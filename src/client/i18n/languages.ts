/**
 * The languages Vaka's interface speaks, their writing direction, and how a
 * device's preferences (navigator.languages) map onto them. Adding a language
 * is one line here plus locales/<lng>/common.json.
 */

export const LANGUAGES = [
  { code: 'en', nativeName: 'English', dir: 'ltr' },
  { code: 'fr', nativeName: 'Français', dir: 'ltr' },
  { code: 'pt', nativeName: 'Português', dir: 'ltr' },
  { code: 'fa', nativeName: 'فارسی', dir: 'rtl' },
] as const;

export type LanguageCode = (typeof LANGUAGES)[number]['code'];

export const DEFAULT_LANGUAGE: LanguageCode = 'en';

export function isLanguageCode(value: unknown): value is LanguageCode {
  return typeof value === 'string' && LANGUAGES.some((l) => l.code === value);
}

export function directionOf(code: LanguageCode): 'ltr' | 'rtl' {
  return LANGUAGES.find((l) => l.code === code)?.dir ?? 'ltr';
}

/**
 * First supported language in the device's preference order, matched on the
 * primary subtag (pt-BR → pt, fa-AF → fa); English when none matches.
 */
export function pickLanguage(preferences: readonly string[]): LanguageCode {
  for (const tag of preferences) {
    const primary = tag.toLowerCase().split('-')[0];
    // Dari is written in the same script and is close enough to read the UI.
    const mapped = primary === 'prs' ? 'fa' : primary;
    if (isLanguageCode(mapped)) return mapped;
  }
  return DEFAULT_LANGUAGE;
}
