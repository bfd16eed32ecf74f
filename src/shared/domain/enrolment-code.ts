/**
 * The enrolment code as a product fact, defined once: its length and
 * alphabet are used by the server that issues codes, the schema that checks
 * them, the phone that reads what people type, and the translated messages.
 *
 * Codes are Crockford base 32 (no I, L, O or U), so a typed O can only mean
 * zero and I or L only one; `normalizeEnrolmentCode` reads them that way
 * instead of refusing the code.
 */

export const ENROLMENT_CODE_LENGTH = 12;

/** Crockford base 32: digits and letters without I, L, O and U. */
export const ENROLMENT_CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A canonical code: exactly the length, only the alphabet, no separators. */
export const ENROLMENT_CODE_PATTERN = new RegExp(`^[${ENROLMENT_CODE_ALPHABET}]{${ENROLMENT_CODE_LENGTH}}$`);

export type NormalizedEnrolmentCode =
  { kind: 'ok'; code: string } | { kind: 'length'; length: number } | { kind: 'characters' };

/** Reads a code as people type it: any case, spaces or dashes, O for 0, I or L for 1. */
export function normalizeEnrolmentCode(input: string): NormalizedEnrolmentCode {
  const code = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (code.length !== ENROLMENT_CODE_LENGTH) return { kind: 'length', length: code.length };
  if (!ENROLMENT_CODE_PATTERN.test(code)) return { kind: 'characters' };
  return { kind: 'ok', code };
}

/** Groups of four for printing and reading aloud: ABCD-EFGH-JKMN. */
export function formatEnrolmentCode(code: string): string {
  return code.match(/.{1,4}/g)?.join('-') ?? code;
}
