import {
  isBlindKey,
  MatchKeyBlinder,
  openExcludedKey,
  openMatchValue,
  sealExcludedKey,
  sealMatchValue,
} from './system-keys';
import { newDataKey, SealBrokenError } from './sealing';

describe('the blind match index', () => {
  const blinder = new MatchKeyBlinder(newDataKey());

  it('gives a key the same blind form every time, keeping its kind and naming nothing of its value', () => {
    const blind = blinder.blind('phone:+40721234567');
    expect(blind).toMatch(/^phone:#[A-Za-z0-9_-]{43}$/);
    expect(blinder.blind('phone:+40721234567')).toBe(blind);
    expect(blind).not.toContain('40721234567');
    expect(blinder.blind('person-sound:psk stfn|1987-04-12')).toMatch(/^person-sound:#/);
  });

  it('blinds different keys, or one key under another index key, differently; a blind key stays as it is', () => {
    const blind = blinder.blind('phone:+40721234567');
    expect(blinder.blind('phone:+40721234568')).not.toBe(blind);
    expect(new MatchKeyBlinder(newDataKey()).blind('phone:+40721234567')).not.toBe(blind);
    expect(blinder.blind(blind)).toBe(blind);
    expect(isBlindKey(blind)).toBe(true);
    expect(isBlindKey('phone:+40721234567')).toBe(false);
    expect(() => blinder.blind('no kind')).toThrow('not a match key');
  });

  it('seals a holding’s value for its case and blind key, and an excluded value for its blind key', () => {
    const caseKey = newDataKey();
    const blind = blinder.blind('email:desk@hotel.example');
    const sealed = sealMatchValue(caseKey, 'LIA-1', blind, 'email:desk@hotel.example');
    expect(sealed.includes(Buffer.from('hotel'))).toBe(false);
    expect(openMatchValue(caseKey, 'LIA-1', blind, sealed)).toBe('email:desk@hotel.example');
    expect(() => openMatchValue(caseKey, 'LIA-2', blind, sealed)).toThrow(SealBrokenError);
    expect(() => openMatchValue(caseKey, 'LIA-1', blinder.blind('email:other@x.example'), sealed)).toThrow(
      SealBrokenError,
    );
    const exclusionsKey = newDataKey();
    const excluded = sealExcludedKey(exclusionsKey, blind, 'email:desk@hotel.example');
    expect(openExcludedKey(exclusionsKey, blind, excluded)).toBe('email:desk@hotel.example');
    expect(() => openExcludedKey(caseKey, blind, excluded)).toThrow(SealBrokenError);
  });
});
