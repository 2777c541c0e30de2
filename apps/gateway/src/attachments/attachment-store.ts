import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, type ReadStream } from 'node:fs';
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

/**
 * Content-addressed file store for attachments: each content is kept once, under its SHA-256
 * (`<root>/ab/cd/<sha256>`), outside the messages that refer to it. Uploads stream through a hash and a
 * size check into a temporary file that is renamed into place only when complete, so the store never holds
 * a partial file under a content hash and no upload is ever held whole in memory.
 */
export class AttachmentStore {
  constructor(private readonly root: string) {}

  async put(source: Readable, limitBytes: number): Promise<StoredBlob> {
    const incoming = join(this.root, 'incoming');
    await mkdir(incoming, { recursive: true });
    const temporary = join(incoming, randomUUID());
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
    try {
      await pipeline(source, meter, createWriteStream(temporary, { flags: 'wx' }));
      const sha256 = hash.digest('hex');
      const target = this.pathOf(sha256);
      await mkdir(join(target, '..'), { recursive: true });
      // Same content already stored: keep the one there (identical by hash).
      if (await this.exists(sha256)) await rm(temporary, { force: true });
      else await rename(temporary, target);
      return { sha256, size, head: Buffer.concat(head) };
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  async open(sha256: string): Promise<{ stream: ReadStream; size: number } | null> {
    if (!/^[0-9a-f]{64}$/.test(sha256)) return null;
    try {
      const { size } = await stat(this.pathOf(sha256));
      return { stream: createReadStream(this.pathOf(sha256)), size };
    } catch {
      return null;
    }
  }

  /** Deletes the content (an erased case's file no other case refers to); nothing when it is not there. */
  async remove(sha256: string): Promise<void> {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('not a SHA-256');
    await rm(this.pathOf(sha256), { force: true });
  }

  private async exists(sha256: string): Promise<boolean> {
    return stat(this.pathOf(sha256)).then(
      () => true,
      () => false,
    );
  }

  private pathOf(sha256: string): string {
    return join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }
}
