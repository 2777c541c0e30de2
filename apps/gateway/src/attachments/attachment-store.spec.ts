import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
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

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'liaison-store-'));
    store = new AttachmentStore(root);
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('stores content under its SHA-256 and gives it back', async () => {
    const stored = await store.put(Readable.from([Buffer.from('hello '), Buffer.from('world')]), 1024);
    expect(stored).toEqual({
      sha256: createHash('sha256').update('hello world').digest('hex'),
      size: 11,
      head: Buffer.from('hello world'),
    });
    const opened = await store.open(stored.sha256);
    expect(opened!.size).toBe(11);
    const chunks: Buffer[] = [];
    for await (const chunk of opened!.stream) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('hello world');
  });

  it('keeps the first bytes of a large upload, from which its type is told', async () => {
    const stored = await store.put(generated(4, 9), 1024 * 1024);
    expect(stored.head).toEqual(Buffer.alloc(HEAD_BYTES, 9));
  });

  it('keeps the same content once, however often it is uploaded', async () => {
    const first = await store.put(generated(4), 1024 * 1024);
    const second = await store.put(generated(4), 1024 * 1024);
    expect(second).toEqual(first);
    expect(await readdir(join(root, first.sha256.slice(0, 2), first.sha256.slice(2, 4)))).toEqual([first.sha256]);
    expect(await readdir(join(root, 'incoming'))).toEqual([]);
  });

  it('refuses content past the limit and leaves nothing behind', async () => {
    await expect(store.put(generated(17), 16 * 64 * 1024)).rejects.toBeInstanceOf(AttachmentTooLargeError);
    expect(await readdir(join(root, 'incoming'))).toEqual([]);
    expect((await readdir(root)).sort()).toEqual(['incoming']);
  });

  it('accepts content of exactly the limit', async () => {
    const stored = await store.put(generated(16), 16 * 64 * 1024);
    expect(stored.size).toBe(16 * 64 * 1024);
    expect(
      (await readFile(join(root, stored.sha256.slice(0, 2), stored.sha256.slice(2, 4), stored.sha256))).length,
    ).toBe(stored.size);
  });

  it('opens nothing for a hash it does not hold or a malformed one', async () => {
    expect(await store.open('0'.repeat(64))).toBeNull();
    expect(await store.open('../../etc/passwd')).toBeNull();
  });
});
