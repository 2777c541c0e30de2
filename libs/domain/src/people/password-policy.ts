import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * What a local password must be (NIST SP 800-63B, 3.1.1.2): long enough, not among the passwords attackers try
 * first, not the person's own address or name; no composition rules and no forced expiry, which only make people
 * choose worse passwords. The longest is bounded so that hashing stays cheap for the server.
 */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

/** The common-password list of zxcvbn-ts (about 49,000 passwords from breach corpora), lower-cased. */
const COMMON_PASSWORDS: ReadonlySet<string> = new Set(
  dictionary['passwords-common'].map((password) => password.toLowerCase()),
);

export interface PasswordContext {
  email: string;
  name: string;
}

/** Why a password is refused, in words for the person choosing it; null when it is acceptable. */
export function passwordProblem(password: string, context: PasswordContext): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return `must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (length > PASSWORD_MAX_LENGTH) return `must be at most ${PASSWORD_MAX_LENGTH} characters`;
  const folded = password.normalize('NFKC').toLowerCase();
  if (COMMON_PASSWORDS.has(folded) || COMMON_PASSWORDS.has(folded.replace(/\s+/g, '')))
    return 'is one of the most commonly used passwords; choose another';
  const own = [context.email, context.email.split('@')[0], context.name, context.name.replace(/\s+/g, '')]
    .map((part) => part.trim().toLowerCase())
    .filter((part) => part.length >= 4);
  if (own.some((part) => folded === part || folded.replace(/\s+/g, '') === part))
    return 'must not be your e-mail address or name';
  if (new Set(folded).size <= 2) return 'must not repeat one or two characters';
  return null;
}
