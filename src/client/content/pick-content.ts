/**
 * Published content (workshops, tool summaries) in the reader's language.
 * Coordinators write the base text in English and may add a translation per
 * field. Where the reader's language has none, the English is shown and the
 * screen says so; the text is then tagged lang="en", so a screen reader reads
 * it with an English voice and the page's language stays truthful.
 */

/** The language every published base text is written in (see shared/schemas/workshop.ts). */
export const CONTENT_LANGUAGE = 'en';

export interface ContentText {
  text: string;
  /** Set only when the text is not in the reader's language: the language it is in. */
  lang: typeof CONTENT_LANGUAGE | undefined;
}

export function pickContent(base: string, translated: string | undefined, language: string): ContentText {
  if (translated) return { text: translated, lang: undefined };
  const readsEnglish = language.toLowerCase().split('-')[0] === CONTENT_LANGUAGE;
  // An empty base text shows nothing, so nothing falls back.
  return { text: base, lang: readsEnglish || base === '' ? undefined : CONTENT_LANGUAGE };
}
