import { SecretBox } from './secret-box';

describe('SecretBox', () => {
  const box = new SecretBox('identity-secret-key-for-the-spec-0123456789');

  it('opens what it sealed, for the row it was sealed to only', () => {
    const sealed = box.seal('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', 'totp:person-1');
    expect(sealed).not.toContain('JBSWY3DP');
    expect(box.open(sealed, 'totp:person-1')).toBe('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
    expect(() => box.open(sealed, 'totp:person-2')).toThrow();
  });

  it('seals the same text differently each time, and refuses an altered value or another key', () => {
    const a = box.seal('secret', 'row');
    expect(box.seal('secret', 'row')).not.toBe(a);
    const [format, iv, tag, body] = a.split('.');
    const flipped = Buffer.from(body, 'base64url');
    flipped[0] ^= 1;
    expect(() => box.open([format, iv, tag, flipped.toString('base64url')].join('.'), 'row')).toThrow();
    expect(() => new SecretBox('another-identity-key-entirely-0123456789').open(a, 'row')).toThrow();
    expect(() => box.open('not sealed', 'row')).toThrow('not a sealed secret');
  });
});
