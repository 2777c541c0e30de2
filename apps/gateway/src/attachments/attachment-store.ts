import { createHash, randomUUID } from 'node:crypto';
import { fileBinding, fileOpener, fileSealer } from '@liaison/protection';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Raised when an upload grows past the limit; what was received is discarded. */
export class AttachmentTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`attachment exceeds ${limitBytes} bytes`);
  }
}

export interface StoredBlob {
  sha256: string;
  size: number;
  /** The first bytes of the content (up to HEAD_BYTES), from which its type is told. */
  head: Buffer;
}

/** Enough for every signature the type detection reads (the furthest, tar's, ends at byte 262). */
export const HEAD_BYTES = 4100;

/** A sealed file as it is opened: its plain bytes, checked segment by segment as they are read. */
export interface OpenedFile {
  stream: Readable;
}

const FILE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SHA256 = /^[0-9a-f]{64}$/;

/**
 * The attachment store: each upload's file sealed under the upload's own data key (`<root>/files/ab/<file id>`,
 * @liaison/protection's sealed-file layout), so a stolen disk or a copy of the directory reads nothing without the
 * keys. Uploads stream through a hash, a size check and the sealer into a temporary file that is renamed into place
 * only when complete, so the store never holds a partial file under a file id and no upload is ever held whole in
 * memory. Files stored in clear before sealing (`<root>/ab/cd/<sha256>`) are read until they are sealed.
 */
export class AttachmentStore {
  constructor(private readonly root: string) {}

  /** Seals `source` under `key` as file `fileId`; AttachmentTooLargeError past `limitBytes`. */
  async put(source: Readable, limitBytes: number, fileId: string, key: Buffer): Promise<StoredBlob> {
    const hash = createHash('sha256');
    let size = 0;
    const head: Buffer[] = [];
    let headBytes = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        if (size > limitBytes) return done(new AttachmentTooLargeError(limitBytes));
        if (headBytes < HEAD_BYTES) {
          const part = chunk.subarray(0, HEAD_BYTES - headBytes);
          head.push(Buffer.from(part));
          headBytes += part.length;
        }
        hash.update(chunk);
        done(null, chunk);
      },
    });
    await this.write(fileId, (file) => pipeline(source, meter, fileSealer(key, fileBinding(fileId)), file));
    return { sha256: hash.digest('hex'), size, head: Buffer.concat(head) };
  }

  /** The plain bytes of file `fileId` sealed under `key`; null when there is no such file. */
  async open(fileId: string, key: Buffer): Promise<OpenedFile | null> {
    if (!FILE_ID.test(fileId)) return null;
    const path = this.pathOf(fileId);
    if (!(await this.exists(path))) return null;
    const opener = fileOpener(key, fileBinding(fileId), `attachment file ${fileId}`);
    const source = createReadStream(path);
    source.on('error', (error) => opener.destroy(error));
    return { stream: source.pipe(opener) };
  }

  /** A file stored in clear before sealing, by its SHA-256; null when it is not there. */
  async openClear(sha256: string): Promise<OpenedFile | null> {
    if (!SHA256.test(sha256) || !(await this.exists(this.clearPathOf(sha256)))) return null;
    return { stream: createReadStream(this.clearPathOf(sha256)) };
  }

  /** Whether a file stored in clear before sealing is there. */
  async holdsClear(sha256: string): Promise<boolean> {
    return SHA256.test(sha256) && this.exists(this.clearPathOf(sha256));
  }

  /** Seals a file stored in clear as file `fileId` under `key`; the clear file stays until removeClear. */
  async sealClear(sha256: string, fileId: string, key: Buffer): Promise<void> {
    const clear = await this.openClear(sha256);
    if (!clear) throw new Error(`attachment ${sha256} is missing from the store`);
    await this.write(fileId, (file) => pipeline(clear.stream, fileSealer(key, fileBinding(fileId)), file));
  }

  /** Deletes a sealed file (an erased case's, or an upload's that no message took); nothing when it is not there. */
  async remove(fileId: string): Promise<void> {
    if (!FILE_ID.test(fileId)) throw new Error('not a file id');
    await rm(this.pathOf(fileId), { force: true });
  }

  /** Deletes a file stored in clear before sealing; nothing when it is not there. */
  async removeClear(sha256: string): Promise<void> {
    if (!SHA256.test(sha256)) throw new Error('not a SHA-256');
    await rm(this.clearPathOf(sha256), { force: true });
  }

  /** Writes file `fileId` through a temporary file renamed into place once `fill` has written it all. */
  private async write(fileId: string, fill: (file: WriteStream) => Promise<void>): Promise<void> {
    if (!FILE_ID.test(fileId)) throw new Error('not a file id');
    const incoming = join(this.root, 'incoming');
    await mkdir(incoming, { recursive: true });
    const temporary = join(incoming, randomUUID());
    try {
      await fill(createWriteStream(temporary, { flags: 'wx' }));
      const target = this.pathOf(fileId);
      await mkdir(join(target, '..'), { recursive: true });
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  private exists(path: string): Promise<boolean> {
    return stat(path).then(
      () => true,
      () => false,
    );
  }

  private pathOf(fileId: string): string {
    return join(this.root, 'files', fileId.slice(0, 2), fileId);
  }

  private clearPathOf(sha256: string): string {
    return join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }
}
