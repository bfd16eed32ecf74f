/**
 * Secrets and their hashes. Device and session tokens are 256-bit random
 * values stored only as SHA-256 (their entropy makes a slow hash pointless);
 * passwords, which people choose, get Argon2id. Enrolment codes are drawn
 * uniformly from the alphabet and length in shared/domain/enrolment-code.ts;
 * they are single-use and short-lived (people/enrolment-codes.ts).
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import { ENROLMENT_CODE_ALPHABET, ENROLMENT_CODE_LENGTH } from '../../shared/domain/enrolment-code';

export const DEVICE_TOKEN_PREFIX = 'vd_';
export const SESSION_TOKEN_PREFIX = 'vc_';

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export function newToken(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}

/** A code to type or scan; the canonical form has no dashes. */
export function newEnrolmentCode(): string {
  let code = '';
  for (let i = 0; i < ENROLMENT_CODE_LENGTH; i++) {
    code += ENROLMENT_CODE_ALPHABET[randomInt(ENROLMENT_CODE_ALPHABET.length)];
  }
  return code;
}

/** Argon2id with OWASP's minimum memory-hard settings (19 MiB, 2 passes). */
export function hashPassword(password: string): Promise<string> {
  return argonHash(password, { memoryCost: 19456, timeCost: 2, parallelism: 1 });
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argonVerify(hash, password);
  } catch {
    return false;
  }
}

export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  return m ? m[1]! : null;
}
