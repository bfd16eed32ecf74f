/**
 * The languages a coordinator can translate published content into besides
 * English (the base text): the workshop form and the tool summary editor
 * offer one fieldset each.
 */
export const TRANSLATED = ['fr', 'pt', 'fa'] as const;
export type Translated = (typeof TRANSLATED)[number];
