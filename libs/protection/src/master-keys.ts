import { registerDecorator } from 'class-validator';
import { KEY_BYTES, open, seal } from './sealing';

export interface MasterKey {
  readonly id: string;
  readonly key: Buffer;
}

const ENTRY = /^([a-z0-9][a-z0-9-]{0,31}):([A-Za-z0-9+/_-]+={0,2})$/;

/**
 * The problem with a MASTER_KEYS setting, or null: comma-separated `id:key` pairs, each key 32 random bytes in
 * base64 (`openssl rand -base64 32`), ids distinct. The first wraps new data keys; the others only unwrap.
 */
export function masterKeysProblem(setting: string): string | null {
  const entries = setting.split(',').map((entry) => entry.trim());
  if (setting.trim() === '') return 'must name at least one key: id:base64 of 32 random bytes';
  const ids = new Set<string>();
  for (const [i, entry] of entries.entries()) {
    const found = ENTRY.exec(entry);
    if (!found) return `entry ${i + 1} must be id:key (id in lower-case letters, digits and dashes)`;
    const [, id, encoded] = found;
    if (ids.has(id)) return `key id ${id} is given twice`;
    ids.add(id);
    if (Buffer.from(encoded, 'base64').length !== KEY_BYTES)
      return `key ${id} must be ${KEY_BYTES} bytes in base64 (openssl rand -base64 32)`;
  }
  return null;
}

/** Validates a MASTER_KEYS setting (see masterKeysProblem); the keys themselves are never in the message. */
export function IsMasterKeys(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isMasterKeys',
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate: (value: unknown) => typeof value === 'string' && masterKeysProblem(value) === null,
        defaultMessage: (args) =>
          typeof args?.value === 'string' ? (masterKeysProblem(args.value) ?? '') : 'must be a list of id:key pairs',
      },
    });
}

/**
 * The master keys from configuration (never from the database). Data keys are kept in PostgreSQL wrapped
 * (sealed) under one of them: a dump of the database alone opens nothing. Rotation: put a new key first, keep
 * the old ones after it until every data key has been rewrapped (`npm run keys:rewrap`), then drop them.
 */
export class MasterKeys {
  private readonly keys: ReadonlyMap<string, MasterKey>;
  readonly current: MasterKey;

  private constructor(keys: MasterKey[]) {
    this.keys = new Map(keys.map((key) => [key.id, key]));
    this.current = keys[0];
  }

  static parse(setting: string): MasterKeys {
    const problem = masterKeysProblem(setting);
    if (problem) throw new Error(`MASTER_KEYS ${problem}`);
    return new MasterKeys(
      setting.split(',').map((entry) => {
        const [id, encoded] = entry.trim().split(':');
        return { id, key: Buffer.from(encoded, 'base64') };
      }),
    );
  }

  get ids(): string[] {
    return [...this.keys.keys()];
  }

  /** The data key sealed under the current master key, bound to what it protects. */
  wrap(dataKey: Buffer, boundTo: string): { masterKeyId: string; wrapped: Buffer } {
    return { masterKeyId: this.current.id, wrapped: seal(this.current.key, dataKey, `data-key:${boundTo}`) };
  }

  unwrap(masterKeyId: string, wrapped: Uint8Array, boundTo: string): Buffer {
    const master = this.keys.get(masterKeyId);
    if (!master)
      throw new Error(`data key of ${boundTo} is wrapped under master key ${masterKeyId}, which is not configured`);
    return open(master.key, wrapped, `data-key:${boundTo}`, `the data key of ${boundTo}`);
  }
}
