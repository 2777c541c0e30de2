import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';
import { fileOpener, fileSealer, sealedFileSize, SEGMENT_BYTES } from './file-sealing';
import { newDataKey, SealBrokenError } from './sealing';

async function through(transform: NodeJS.ReadWriteStream, bytes: Buffer, piece = 10_000): Promise<Buffer> {
  const pieces: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += piece) pieces.push(bytes.subarray(at, at + piece));
  const out: Buffer[] = [];
  await pipeline(Readable.from(pieces), transform, async (source: AsyncIterable<string | Buffer>) => {
    for await (const chunk of source) out.push(Buffer.from(chunk));
  });
  return Buffer.concat(out);
}

describe('sealed files', () => {
  const key = newDataKey();

  it.each([0, 1, 1000, SEGMENT_BYTES - 1, SEGMENT_BYTES, SEGMENT_BYTES + 1, 3 * SEGMENT_BYTES + 17])(
    'opens what it sealed (%i bytes), at the size it announced, whatever the pieces it was read in',
    async (size) => {
      const plain = randomBytes(size);
      const sealed = await through(fileSealer(key, 'file/1'), plain, 7_777);
      expect(sealed.length).toBe(sealedFileSize(size));
      expect((await through(fileOpener(key, 'file/1'), sealed, 65_000)).equals(plain)).toBe(true);
      expect((await through(fileOpener(key, 'file/1'), sealed, 333)).equals(plain)).toBe(true);
    },
  );

  it('never shows the plain text, and seals the same file differently each time', async () => {
    const plain = Buffer.from('MARKER-KESTREL '.repeat(10_000));
    const first = await through(fileSealer(key, 'file/1'), plain);
    const second = await through(fileSealer(key, 'file/1'), plain);
    expect(first.includes(Buffer.from('KESTREL'))).toBe(false);
    expect(first.equals(second)).toBe(false);
  });

  const refused = async (sealed: Buffer, boundTo = 'file/1', withKey = key) =>
    expect(through(fileOpener(withKey, boundTo, 'attachment 3'), sealed)).rejects.toThrow(
      new SealBrokenError('attachment 3'),
    );

  it('refuses a file under another key or binding, altered, cut short, reordered or not sealed at all', async () => {
    const plain = randomBytes(3 * SEGMENT_BYTES + 5);
    const sealed = await through(fileSealer(key, 'file/1'), plain);
    await refused(sealed, 'file/2');
    await refused(sealed, 'file/1', newDataKey());
    const altered = Buffer.from(sealed);
    altered[SEGMENT_BYTES] ^= 1;
    await refused(altered);
    // Cut at a segment's end: what is left ends on a segment not marked as last.
    const segment = SEGMENT_BYTES + 16;
    await refused(sealed.subarray(0, 11 + 2 * segment));
    await refused(sealed.subarray(0, sealed.length - 1));
    const header = sealed.subarray(0, 11);
    const [one, two] = [sealed.subarray(11, 11 + segment), sealed.subarray(11 + segment, 11 + 2 * segment)];
    await refused(Buffer.concat([header, two, one, sealed.subarray(11 + 2 * segment)]));
    await refused(plain);
    await refused(Buffer.alloc(0));
  });

  it('passes nothing of a segment on before its tag is checked', async () => {
    const sealed = await through(fileSealer(key, 'file/1'), Buffer.from('short secret'));
    const altered = Buffer.from(sealed);
    altered[12] ^= 1;
    const opener = fileOpener(key, 'file/1');
    const received: Buffer[] = [];
    opener.on('data', (chunk: Buffer) => received.push(chunk));
    await expect(buffer(Readable.from([altered]).pipe(opener))).rejects.toThrow(SealBrokenError);
    expect(received).toEqual([]);
  });
});
