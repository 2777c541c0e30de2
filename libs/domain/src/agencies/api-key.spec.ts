import { apiKeyHint, generateApiKey, hashApiKey } from './api-key';

describe('API keys', () => {
  it('are prefixed, well-formed and unique', () => {
    const keys = new Set(Array.from({ length: 100 }, () => generateApiKey()));
    expect(keys.size).toBe(100);
    for (const key of keys) expect(key).toMatch(/^lia_[A-Za-z0-9_-]{43}$/);
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
});
