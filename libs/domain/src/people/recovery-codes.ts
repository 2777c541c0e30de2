import { createHash, randomInt } from 'node:crypto';

/** How many single-use recovery codes a person gets when enrolling a second factor. */
export const RECOVERY_CODE_COUNT = 10;

/** Letters and digits a person cannot confuse when reading a code from paper (no 0/O, 1/I/L). */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const GROUPS = 3;
const GROUP_LENGTH = 4;

/**
 * Ten codes of 12 characters from a 31-letter alphabet (about 59 bits each), written in groups: `7KQ2-MXP9-4TDW`.
 * Each is random enough that a fast hash is enough to store it (an attacker with the digests cannot search 2^59).
 */
export function generateRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () =>
    Array.from({ length: GROUPS }, () =>
      Array.from({ length: GROUP_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join(''),
    ).join('-'),
  );
}

/** A code as typed, reduced to its characters: case, spaces and dashes do not matter. */
export function normaliseRecoveryCode(typed: string): string {
  return typed.toUpperCase().replace(/[\s-]/g, '');
}

export function isRecoveryCodeShaped(typed: string): boolean {
  const code = normaliseRecoveryCode(typed);
  return code.length === GROUPS * GROUP_LENGTH && [...code].every((c) => ALPHABET.includes(c));
}

export function hashRecoveryCode(typed: string): string {
  return createHash('sha256')
    .update(`liaison-recovery\n${normaliseRecoveryCode(typed)}`, 'utf8')
    .digest('hex');
}
