/**
 * Where each language's web app manifest is served. Kept apart from
 * manifest.ts so the page's first chunk links the right file without
 * carrying the manifest builder and its schema.
 */
import { DEFAULT_LANGUAGE, type LanguageCode } from '../../i18n/languages';

export function manifestFileName(language: LanguageCode): string {
  return language === DEFAULT_LANGUAGE ? 'manifest.webmanifest' : `manifest.${language}.webmanifest`;
}

export function manifestHref(language: LanguageCode): string {
  return `/${manifestFileName(language)}`;
}
