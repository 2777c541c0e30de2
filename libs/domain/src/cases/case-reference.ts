import { randomInt } from 'node:crypto';

/**
 * Case references look like `LIA-2026-7K3M9Q2XH`: the year the case was opened, eight random characters
 * from Crockford's base-32 alphabet (no I, L, O or U, so they survive being read over the phone), and a
 * check character that catches any single mistyped character and most swaps of neighbours.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CHECK_ALPHABET = `${ALPHABET}*~$=U`; // 37 symbols: mod-37 check, as Crockford specifies
const PATTERN = /^LIA-(\d{4})-([0-9A-HJKMNP-TV-Z]{8})([0-9A-HJKMNP-TV-Z*~$=U])$/;

export function issueCaseReference(openedAt: Date, random: (max: number) => number = randomInt): string {
  let body = '';
  for (let i = 0; i < 8; i += 1) body += ALPHABET[random(ALPHABET.length)];
  const year = openedAt.getUTCFullYear().toString().padStart(4, '0');
  return `LIA-${year}-${body}${checkCharacter(year + body)}`;
}

export function isValidCaseReference(reference: string): boolean {
  const match = PATTERN.exec(reference);
  if (!match) return false;
  const [, year, body, check] = match;
  return checkCharacter(year + body) === check;
}

function checkCharacter(payload: string): string {
  let value = 0;
  for (const char of payload) value = (value * 32 + ALPHABET.indexOf(char)) % 37;
  return CHECK_ALPHABET[value];
}
