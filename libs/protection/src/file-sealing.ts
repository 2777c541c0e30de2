import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { SealBrokenError } from './sealing';

/**
 * Files are sealed in segments so that neither sealing nor opening ever holds a file whole in memory. The layout
 * is the STREAM construction (Hoang, Reyhanitabar, Rogaway and Vizár, "Online authenticated-encryption and its
 * nonce-reuse misuse-resistance", 2015), as Tink's streaming AEAD uses it, over Node's own AES-256-GCM:
 *
 *   header:   "LSF" 0x01 | 7-byte random nonce prefix
 *   segments: AES-256-GCM(plain segment) | 16-byte tag, each segment SEGMENT_BYTES of plain text but the last
 *   nonce of segment i: prefix (7) | i as 4 bytes big-endian | 0x01 for the last segment, 0x00 otherwise
 *
 * The associated data of every segment is what the file is bound to. Segments cannot be reordered (the index is in
 * the nonce), dropped at the end (the last one says it is last) or moved to another file (the prefix is per file
 * and the binding is authenticated). An empty file is one empty last segment.
 */
const MAGIC = Buffer.from([0x4c, 0x53, 0x46, 0x01]);
const PREFIX_BYTES = 7;
const TAG_BYTES = 16;
export const SEGMENT_BYTES = 64 * 1024;
export const SEALED_FILE_HEADER_BYTES = MAGIC.length + PREFIX_BYTES;

function nonceOf(prefix: Buffer, index: number, last: boolean): Buffer {
  const nonce = Buffer.alloc(12);
  prefix.copy(nonce, 0);
  nonce.writeUInt32BE(index, PREFIX_BYTES);
  nonce[11] = last ? 1 : 0;
  return nonce;
}

/** The size on disk of a file of `plainBytes` sealed by fileSealer. */
export function sealedFileSize(plainBytes: number): number {
  const segments = Math.max(1, Math.ceil(plainBytes / SEGMENT_BYTES));
  return SEALED_FILE_HEADER_BYTES + plainBytes + segments * TAG_BYTES;
}

/** A transform that seals what flows through it under `key`, bound to `boundTo`. */
export function fileSealer(key: Buffer, boundTo: string): Transform {
  const aad = Buffer.from(boundTo, 'utf8');
  const prefix = randomBytes(PREFIX_BYTES);
  let index = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const sealSegment = (plain: Buffer, last: boolean): Buffer => {
    const cipher = createCipheriv('aes-256-gcm', key, nonceOf(prefix, index++, last)).setAAD(aad);
    return Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  };
  return new Transform({
    construct(done) {
      this.push(Buffer.concat([MAGIC, prefix]));
      done();
    },
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      pending.push(chunk);
      pendingBytes += chunk.length;
      // A full segment goes out only once more follows it: the last segment must be marked as last.
      if (pendingBytes > SEGMENT_BYTES) {
        const all = Buffer.concat(pending);
        let at = 0;
        while (all.length - at > SEGMENT_BYTES) {
          this.push(sealSegment(all.subarray(at, at + SEGMENT_BYTES), false));
          at += SEGMENT_BYTES;
        }
        pending = [all.subarray(at)];
        pendingBytes = all.length - at;
      }
      done();
    },
    flush(done: TransformCallback) {
      this.push(sealSegment(Buffer.concat(pending), true));
      done();
    },
  });
}

/**
 * A transform that opens a file sealed by fileSealer; it fails with SealBrokenError, naming `what`, when the file
 * was altered, cut short, sealed under another key or bound to something else. Nothing of a segment is passed on
 * before its tag has been checked.
 */
export function fileOpener(key: Buffer, boundTo: string, what = 'the sealed file'): Transform {
  const aad = Buffer.from(boundTo, 'utf8');
  const sealedSegment = SEGMENT_BYTES + TAG_BYTES;
  let prefix: Buffer | null = null;
  let index = 0;
  let pending: Buffer = Buffer.alloc(0);
  const openSegment = (sealed: Buffer, last: boolean): Buffer => {
    if (sealed.length < TAG_BYTES) throw new SealBrokenError(what);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, nonceOf(prefix!, index++, last))
        .setAAD(aad)
        .setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
      return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new SealBrokenError(what);
    }
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      try {
        if (!prefix) {
          if (pending.length < SEALED_FILE_HEADER_BYTES) return done();
          if (!pending.subarray(0, MAGIC.length).equals(MAGIC)) throw new SealBrokenError(what);
          prefix = Buffer.from(pending.subarray(MAGIC.length, SEALED_FILE_HEADER_BYTES));
          pending = pending.subarray(SEALED_FILE_HEADER_BYTES);
        }
        let at = 0;
        while (pending.length - at > sealedSegment) {
          this.push(openSegment(pending.subarray(at, at + sealedSegment), false));
          at += sealedSegment;
        }
        pending = pending.subarray(at);
        done();
      } catch (error) {
        done(error as Error);
      }
    },
    flush(done: TransformCallback) {
      try {
        if (!prefix) throw new SealBrokenError(what);
        this.push(openSegment(pending, true));
        done();
      } catch (error) {
        done(error as Error);
      }
    },
  });
}
