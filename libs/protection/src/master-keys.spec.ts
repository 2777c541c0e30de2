import { randomBytes } from 'node:crypto';
import { MasterKeys, masterKeysProblem } from './master-keys';
import { newDataKey, SealBrokenError } from './sealing';

const keyText = () => randomBytes(32).toString('base64');

describe('MASTER_KEYS', () => {
  it('accepts id:key pairs of 32-byte keys and names the first as current', () => {
    const setting = `k2:${keyText()}, k1:${keyText()}`;
    expect(masterKeysProblem(setting)).toBeNull();
    const keys = MasterKeys.parse(setting);
    expect(keys.current.id).toBe('k2');
    expect(keys.ids).toEqual(['k2', 'k1']);
  });

  it.each([
    ['', 'must name at least one key: id:base64 of 32 random bytes'],
    ['k1', 'entry 1 must be id:key (id in lower-case letters, digits and dashes)'],
    [`K1:${keyText()}`, 'entry 1 must be id:key (id in lower-case letters, digits and dashes)'],
    [`k1:${randomBytes(16).toString('base64')}`, 'key k1 must be 32 bytes in base64 (openssl rand -base64 32)'],
    [`k1:${keyText()},k1:${keyText()}`, 'key id k1 is given twice'],
  ])('refuses %j: %s', (setting, problem) => {
    expect(masterKeysProblem(setting)).toBe(problem);
    expect(() => MasterKeys.parse(setting)).toThrow(`MASTER_KEYS ${problem}`);
  });

  it('never puts a key in its error', () => {
    const secret = randomBytes(16).toString('base64');
    expect(masterKeysProblem(`k1:${secret}`)).not.toContain(secret);
  });

  it('wraps a data key for what it protects and unwraps it with any configured key', () => {
    const old = `k1:${keyText()}`;
    const before = MasterKeys.parse(old);
    const dataKey = newDataKey();
    const { masterKeyId, wrapped } = before.wrap(dataKey, 'LIA-2026-AAAAAAAAA');
    expect(masterKeyId).toBe('k1');
    expect(wrapped.includes(dataKey)).toBe(false);
    const rotated = MasterKeys.parse(`k2:${keyText()},${old}`);
    expect(rotated.unwrap(masterKeyId, wrapped, 'LIA-2026-AAAAAAAAA').equals(dataKey)).toBe(true);
    expect(rotated.wrap(dataKey, 'LIA-2026-AAAAAAAAA').masterKeyId).toBe('k2');
  });

  it('refuses a data key moved to another case, or wrapped under a key no longer configured', () => {
    const keys = MasterKeys.parse(`k1:${keyText()}`);
    const { wrapped } = keys.wrap(newDataKey(), 'LIA-2026-AAAAAAAAA');
    expect(() => keys.unwrap('k1', wrapped, 'LIA-2026-BBBBBBBBB')).toThrow(SealBrokenError);
    expect(() => keys.unwrap('k0', wrapped, 'LIA-2026-AAAAAAAAA')).toThrow(
      'data key of LIA-2026-AAAAAAAAA is wrapped under master key k0, which is not configured',
    );
  });
});
