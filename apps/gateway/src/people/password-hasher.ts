import { hash, verify } from '@node-rs/argon2';

/** `Algorithm.Argon2id` of @node-rs/argon2 (an ambient const enum, which isolated modules cannot read). */
const ARGON2ID = 2;

/**
 * argon2id at OWASP's first recommended setting (19 MiB of memory, two passes, one lane): about 9-14 ms a
 * verification on this project's 2-core reference machine (`npm run bench:signin`), so a sign-in stays quick while each
 * guess costs an attacker with the hashes the same memory. Parameters are stored in each hash, so they can be
 * raised later and older hashes still verify (and are re-hashed at the next sign-in).
 */
export interface Argon2Options {
  algorithm: number;
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

export const ARGON2_OPTIONS: Argon2Options = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export class PasswordHasher {
  /** A hash of a random password, verified against when the account does not exist, so timing does not tell. */
  private readonly decoy: Promise<string>;

  constructor(private readonly options: Argon2Options = ARGON2_OPTIONS) {
    this.decoy = hash('decoy-password-nobody-has', options);
  }

  hash(password: string): Promise<string> {
    return hash(password, this.options);
  }

  /** Whether the password matches; with no hash (unknown account, no password yet) spends the same time and says no. */
  async verify(stored: string | null, password: string): Promise<boolean> {
    if (stored === null) {
      await verify(await this.decoy, password).catch(() => false);
      return false;
    }
    return verify(stored, password).catch(() => false);
  }

  /** Whether a stored hash was made with weaker settings than today's. */
  needsRehash(stored: string): boolean {
    return !stored.includes(`m=${this.options.memoryCost},t=${this.options.timeCost},p=${this.options.parallelism}`);
  }
}
