import { apiKeyHint, generateApiKey, hashApiKey, looksLikeApiKey, sameDigest } from './api-key';

describe('API keys', () => {
  it('are prefixed, well-formed and unique', () => {
    const keys = new Set(Array.from({ length: 100 }, () => generateApiKey()));
    expect(keys.size).toBe(100);
    for (const key of keys) expect(looksLikeApiKey(key)).toBe(true);
  });

  it('hash to a stable SHA-256 digest that is not the key', () => {
    const key = generateApiKey();
    expect(hashApiKey(key)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashApiKey(key)).toBe(hashApiKey(key));
    expect(hashApiKey(key)).not.toContain(key.slice(4));
    expect(hashApiKey(key)).not.toBe(hashApiKey(generateApiKey()));
  });

  it('give a short hint that does not reveal the secret part', () => {
    const key = generateApiKey();
    expect(apiKeyHint(key)).toHaveLength(10);
    expect(key.startsWith(apiKeyHint(key))).toBe(true);
  });

  it.each(['', 'Bearer x', 'lia_short', `lia_${'a'.repeat(44)}`, `xyz_${'a'.repeat(43)}`])('rejects %p', (value) => {
    expect(looksLikeApiKey(value)).toBe(false);
  });

  it('compares digests in constant time and by value', () => {
    const digest = hashApiKey('one');
    expect(sameDigest(digest, hashApiKey('one'))).toBe(true);
    expect(sameDigest(digest, hashApiKey('two'))).toBe(false);
    expect(sameDigest(digest, 'abcd')).toBe(false);
  });
});
