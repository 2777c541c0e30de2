import { createHash } from 'node:crypto';

function formatUuid(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Sets the version nibble and the RFC 9562 variant bits. */
function stamp(bytes: Buffer, version: number): Buffer {
  bytes[6] = (bytes[6] & 0x0f) | (version << 4);
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  return bytes;
}

/**
 * A UUID (version 5 layout, SHA-1 based) derived from a name. Events that a service may publish more than
 * once for the same cause (after a crash between storing and publishing) get the same id every time, so
 * consumers' deduplication recognises the repeat.
 */
export function derivedEventId(...parts: string[]): string {
  return formatUuid(stamp(createHash('sha1').update(parts.join('\u0000')).digest().subarray(0, 16), 5));
}

/**
 * A UUID derived from a name, as `derivedEventId`, that begins with the time of its cause (version 8 layout:
 * the milliseconds of `at` in the first 48 bits, as `timeOrderedId` in `libs/persistence`, then SHA-1 bits of
 * the name). The same cause and time give the same id; ids of later causes sort later, so a consumer's index of
 * the ids it has seen grows at its end instead of at random pages. For high-volume events whose cause has a
 * stored time.
 */
export function timedEventId(at: Date, ...parts: string[]): string {
  const hash = createHash('sha1').update(parts.join('\u0000')).digest();
  const bytes = Buffer.alloc(16);
  bytes.writeUIntBE(Math.max(0, Math.min(at.getTime(), 2 ** 48 - 1)), 0, 6);
  hash.copy(bytes, 6, 0, 10);
  return formatUuid(stamp(bytes, 8));
}
