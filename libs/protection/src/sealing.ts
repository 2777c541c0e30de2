import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** The first byte of every sealed value: the format (AES-256-GCM, 12-byte nonce, 16-byte tag). */
const FORMAT_V1 = 0x01;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
export const KEY_BYTES = 32;

/** A sealed value that does not open: altered, bound to something else, or sealed under another key. */
export class SealBrokenError extends Error {
  constructor(what: string) {
    super(`${what} does not open`);
    this.name = 'SealBrokenError';
  }
}

/**
 * Seals `plain` with AES-256-GCM under `key`: `[format][nonce][ciphertext][tag]`. `boundTo` is authenticated
 * with it (associated data), so a value moved to another row, message or case does not open there.
 */
export function seal(key: Buffer, plain: Uint8Array, boundTo: string): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce).setAAD(Buffer.from(boundTo, 'utf8'));
  const body = cipher.update(plain);
  const rest = cipher.final();
  return Buffer.concat([Buffer.of(FORMAT_V1), nonce, body, rest, cipher.getAuthTag()]);
}

/** The plain bytes of a sealed value; SealBrokenError when it was altered, moved or sealed under another key. */
export function open(key: Buffer, sealed: Uint8Array, boundTo: string, what = 'the sealed value'): Buffer {
  if (sealed.length < 1 + NONCE_BYTES + TAG_BYTES || sealed[0] !== FORMAT_V1) throw new SealBrokenError(what);
  const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  const nonce = bytes.subarray(1, 1 + NONCE_BYTES);
  const tag = bytes.subarray(bytes.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce).setAAD(Buffer.from(boundTo, 'utf8')).setAuthTag(tag);
    return Buffer.concat([
      decipher.update(bytes.subarray(1 + NONCE_BYTES, bytes.length - TAG_BYTES)),
      decipher.final(),
    ]);
  } catch {
    throw new SealBrokenError(what);
  }
}

/** A new random data key. */
export function newDataKey(): Buffer {
  return randomBytes(KEY_BYTES);
}
