import { newDataKey, open, seal, SealBrokenError } from './sealing';

describe('seal and open', () => {
  const key = newDataKey();
  const plain = Buffer.from('Subject: Operation KESTREL, victims at 14 Rue X', 'utf8');

  it('opens what it sealed, with the same key and binding', () => {
    expect(open(key, seal(key, plain, 'message/1'), 'message/1').toString('utf8')).toBe(plain.toString('utf8'));
  });

  it('never shows the plain text in the sealed bytes, and seals the same text differently each time', () => {
    const first = seal(key, plain, 'message/1');
    const second = seal(key, plain, 'message/1');
    expect(first.includes(Buffer.from('KESTREL'))).toBe(false);
    expect(first.equals(second)).toBe(false);
    expect(first[0]).toBe(1);
    expect(first.length).toBe(1 + 12 + plain.length + 16);
  });

  it('refuses a value bound to something else, sealed under another key, altered or cut short', () => {
    const sealed = seal(key, plain, 'message/1');
    expect(() => open(key, sealed, 'message/2')).toThrow(SealBrokenError);
    expect(() => open(newDataKey(), sealed, 'message/1')).toThrow(SealBrokenError);
    const altered = Buffer.from(sealed);
    altered[20] ^= 1;
    expect(() => open(key, altered, 'message/1')).toThrow(SealBrokenError);
    expect(() => open(key, sealed.subarray(0, 20), 'message/1')).toThrow(SealBrokenError);
    const otherFormat = Buffer.from(sealed);
    otherFormat[0] = 2;
    expect(() => open(key, otherFormat, 'message/1', 'the content of message 1')).toThrow(
      'the content of message 1 does not open',
    );
  });

  it('opens a value that sits inside a larger buffer (as protobuf bytes fields do)', () => {
    const sealed = seal(key, plain, 'x');
    const container = Buffer.concat([Buffer.from('head'), sealed, Buffer.from('tail')]);
    const view = new Uint8Array(container.buffer, container.byteOffset + 4, sealed.length);
    expect(open(key, view, 'x').equals(plain)).toBe(true);
  });
});
