/**
 * Reading an enrolment code as people type it. Codes are Crockford base 32
 * (no I, L, O or U), so a typed O can only mean zero and I or L only one;
 * we read them that way instead of refusing the code. The server's
 * EnrollRequest schema does the authoritative check.
 */

export const CODE_LENGTH = 12;

export type NormalizedCode = { kind: 'ok'; code: string } | { kind: 'length'; length: number } | { kind: 'characters' };

export function normalizeCode(input: string): NormalizedCode {
  const code = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (code.length !== CODE_LENGTH) return { kind: 'length', length: code.length };
  if (!/^[0-9A-HJKMNP-TV-Z]+$/.test(code)) return { kind: 'characters' };
  return { kind: 'ok', code };
}
