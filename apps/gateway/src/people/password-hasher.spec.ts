import { ARGON2_OPTIONS, PasswordHasher } from './password-hasher';

describe('PasswordHasher', () => {
  const hasher = new PasswordHasher();

  it('hashes with argon2id at the chosen cost, and verifies only the same password', async () => {
    const hash = await hasher.hash('correct horse battery staple');
    expect(hash).toMatch(
      new RegExp(`^\\$argon2id\\$v=19\\$m=${ARGON2_OPTIONS.memoryCost},t=${ARGON2_OPTIONS.timeCost},p=1\\$`),
    );
    expect(await hasher.verify(hash, 'correct horse battery staple')).toBe(true);
    expect(await hasher.verify(hash, 'correct horse battery stapler')).toBe(false);
    expect(hasher.needsRehash(hash)).toBe(false);
  });

  it('says no, after the same work, when there is no hash to check against', async () => {
    expect(await hasher.verify(null, 'anything at all')).toBe(false);
  });

  it('knows a hash made with weaker settings needs making again', async () => {
    const weak = await new PasswordHasher({ ...ARGON2_OPTIONS, memoryCost: 8_192, timeCost: 1 }).hash(
      'a password of length',
    );
    expect(await hasher.verify(weak, 'a password of length')).toBe(true);
    expect(hasher.needsRehash(weak)).toBe(true);
  });
});
