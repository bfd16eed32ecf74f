/** Enrolment codes as people type them: case, spaces, dashes and look-alike letters. */
import { describe, expect, it } from 'vitest';
import { normalizeCode } from './code';

describe('normalizeCode', () => {
  it('accepts a code typed in lower case with dashes and spaces', () => {
    expect(normalizeCode(' 7kq2-m9xa 4ptr ')).toEqual({ kind: 'ok', code: '7KQ2M9XA4PTR' });
  });

  it('reads O as zero and I or L as one, as Crockford base 32 does', () => {
    expect(normalizeCode('7KQ2-M9XA-4PTO')).toEqual({ kind: 'ok', code: '7KQ2M9XA4PT0' });
    expect(normalizeCode('iKQ2-M9XA-4PTl')).toEqual({ kind: 'ok', code: '1KQ2M9XA4PT1' });
  });

  it('reports the length when the code is short or long', () => {
    expect(normalizeCode('7KQ2-M9XA')).toEqual({ kind: 'length', length: 8 });
    expect(normalizeCode('7KQ2-M9XA-4PTR-9')).toEqual({ kind: 'length', length: 13 });
  });

  it('refuses characters no code contains', () => {
    expect(normalizeCode('7KQ2-M9XA-4PTU')).toEqual({ kind: 'characters' });
    expect(normalizeCode('7KQ2-M9XA-4PT!')).toEqual({ kind: 'characters' });
  });
});
