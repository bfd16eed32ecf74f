/**
 * Where each language's web app manifest is served: `<link rel="manifest">`
 * follows the interface language (i18n.ts). Kept apart from
 * pwa/manifest.ts so the page's first chunk links the right file without
 * carrying the manifest builder and its schema.
 */
import { DEFAULT_LANGUAGE, type LanguageCode } from './languages';

export function manifestFileName(language: LanguageCode): string {
  return language === DEFAULT_LANGUAGE ? 'manifest.webmanifest' : `manifest.${language}.webmanifest`;
}

export function manifestHref(language: LanguageCode): string {
  return `/${manifestFileName(language)}`;
}
