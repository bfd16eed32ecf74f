/**
 * The enrolment code as defined once: the pattern accepts exactly the
 * canonical codes, people's typing (case, spaces, dashes, O for 0, I or L
 * for 1) reads as the code they meant, and printing groups it by four.
 */
import { describe, expect, it } from 'vitest';
import {
  ENROLMENT_CODE_ALPHABET,
  ENROLMENT_CODE_LENGTH,
  ENROLMENT_CODE_PATTERN,
  formatEnrolmentCode,
  normalizeEnrolmentCode,
} from './enrolment-code';

describe('enrolment code', () => {
  it('uses Crockford base 32: 32 distinct symbols, no I, L, O or U', () => {
    expect(new Set(ENROLMENT_CODE_ALPHABET).size).toBe(32);
    expect(ENROLMENT_CODE_ALPHABET).toMatch(/^[0-9A-Z]+$/);
    for (const letter of 'ILOU') expect(ENROLMENT_CODE_ALPHABET).not.toContain(letter);
  });

  it('pattern accepts exactly the length, only the alphabet, no separators', () => {
    const code = ENROLMENT_CODE_ALPHABET.slice(0, ENROLMENT_CODE_LENGTH);
    expect(ENROLMENT_CODE_PATTERN.test(code)).toBe(true);
    expect(ENROLMENT_CODE_PATTERN.test(code.slice(1))).toBe(false);
    expect(ENROLMENT_CODE_PATTERN.test(`${code}0`)).toBe(false);
    expect(ENROLMENT_CODE_PATTERN.test(`U${code.slice(1)}`)).toBe(false);
    expect(ENROLMENT_CODE_PATTERN.test(code.toLowerCase())).toBe(false);
    expect(ENROLMENT_CODE_PATTERN.test(formatEnrolmentCode(code))).toBe(false);
  });

  it('reads a code as people type it', () => {
    expect(ENROLMENT_CODE_LENGTH).toBe(12);
    const code = 'AB12CD34EF56';
    expect(normalizeEnrolmentCode(code)).toEqual({ kind: 'ok', code });
    expect(normalizeEnrolmentCode(' ab12-cd34 ef56 ')).toEqual({ kind: 'ok', code: 'AB12CD34EF56' });
    expect(normalizeEnrolmentCode('OIL0-0000-0000')).toEqual({ kind: 'ok', code: '011000000000' });
  });

  it('says whether a code is the wrong length or has a character outside the alphabet', () => {
    expect(normalizeEnrolmentCode('AB12-CD34')).toEqual({ kind: 'length', length: 8 });
    expect(normalizeEnrolmentCode('')).toEqual({ kind: 'length', length: 0 });
    expect(normalizeEnrolmentCode('AB12-CD34-EF5U')).toEqual({ kind: 'characters' });
    expect(normalizeEnrolmentCode('AB12-CD34-EF5!')).toEqual({ kind: 'characters' });
  });

  it('prints groups of four, and the printed form reads back as the code', () => {
    expect(formatEnrolmentCode('AB12CD34EF56')).toBe('AB12-CD34-EF56');
    expect(formatEnrolmentCode('')).toBe('');
    const code = ENROLMENT_CODE_ALPHABET.slice(-ENROLMENT_CODE_LENGTH);
    expect(normalizeEnrolmentCode(formatEnrolmentCode(code))).toEqual({ kind: 'ok', code });
  });
});
