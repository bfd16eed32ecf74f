/**
 * Turning what a form holds into a record's values: a new record's id, and
 * the "one per line" text areas for lists (organisers, speakers).
 */

/** A new record id: the server accepts any UUID version. */
export function newId(): string {
  return crypto.randomUUID();
}

export function linesOf(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}
