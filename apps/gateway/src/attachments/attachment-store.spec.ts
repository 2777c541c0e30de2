import { newDataKey, sealedFileSize, SealBrokenError } from '@liaison/protection';
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { AttachmentStore, AttachmentTooLargeError, HEAD_BYTES } from './attachment-store';

/** A stream of `chunks` chunks of 64 KiB, generated as it is read. */
function generated(chunks: number, fill = 7): Readable {
  let sent = 0;
  return new Readable({
    read() {
      this.push(sent++ < chunks ? Buffer.alloc(64 * 1024, fill) : null);
    },
  });
}

describe('AttachmentStore', () => {
  let root: string;
  let store: AttachmentStore;
  const key = newDataKey();

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'liaison-store-'));
    store = new AttachmentStore(root);
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const fileOf = (id: string) => join(root, 'files', id.slice(0, 2), id);

  it('keeps a file sealed under its own key, and gives its plain bytes back with that key only', async () => {
    const id = randomUUID();
    const stored = await store.put(Readable.from([Buffer.from('hello '), Buffer.from('KESTREL')]), 1024, id, key);
    expect(stored).toEqual({
      sha256: createHash('sha256').update('hello KESTREL').digest('hex'),
      size: 13,
      head: Buffer.from('hello KESTREL'),
    });
    const onDisk = await readFile(fileOf(id));
    expect(onDisk.includes(Buffer.from('KESTREL'))).toBe(false);
    expect(onDisk.length).toBe(sealedFileSize(13));
    expect((await buffer((await store.open(id, key))!.stream)).toString()).toBe('hello KESTREL');
    await expect(buffer((await store.open(id, newDataKey()))!.stream)).rejects.toBeInstanceOf(SealBrokenError);
  });

  it('keeps the first bytes of a large upload, from which its type is told', async () => {
    const stored = await store.put(generated(4, 9), 1024 * 1024, randomUUID(), key);
    expect(stored.head).toEqual(Buffer.alloc(HEAD_BYTES, 9));
  });

  it('keeps each upload in a file of its own, even of the same content', async () => {
    const [first, second] = [randomUUID(), randomUUID()];
    await store.put(generated(4), 1024 * 1024, first, key);
    await store.put(generated(4), 1024 * 1024, second, key);
    expect((await readFile(fileOf(first))).equals(await readFile(fileOf(second)))).toBe(false);
    expect(await readdir(join(root, 'incoming'))).toEqual([]);
  });

  it('refuses content past the limit and leaves nothing behind', async () => {
    await expect(store.put(generated(17), 16 * 64 * 1024, randomUUID(), key)).rejects.toBeInstanceOf(
      AttachmentTooLargeError,
    );
    expect(await readdir(join(root, 'incoming'))).toEqual([]);
    expect((await readdir(root)).sort()).toEqual(['incoming']);
  });

  it('accepts content of exactly the limit', async () => {
    const id = randomUUID();
    const stored = await store.put(generated(16), 16 * 64 * 1024, id, key);
    expect(stored.size).toBe(16 * 64 * 1024);
    expect((await buffer((await store.open(id, key))!.stream)).length).toBe(stored.size);
  });

  it('seals a file stored in clear before sealing, which is read until then and removed after', async () => {
    const content = Buffer.from('clear KESTREL');
    const sha256 = createHash('sha256').update(content).digest('hex');
    const clear = join(root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
    await mkdir(join(clear, '..'), { recursive: true });
    await writeFile(clear, content);
    expect((await buffer((await store.openClear(sha256))!.stream)).equals(content)).toBe(true);
    const id = randomUUID();
    await store.sealClear(sha256, id, key);
    expect((await buffer((await store.open(id, key))!.stream)).equals(content)).toBe(true);
    await store.removeClear(sha256);
    expect(await store.openClear(sha256)).toBeNull();
    await store.remove(id);
    expect(await store.open(id, key)).toBeNull();
  });

  it('opens nothing for a file it does not hold or a malformed name', async () => {
    expect(await store.open(randomUUID(), key)).toBeNull();
    expect(await store.open('../../etc/passwd', key)).toBeNull();
    expect(await store.openClear('0'.repeat(64))).toBeNull();
    expect(await store.openClear('../../etc/passwd')).toBeNull();
  });
});
