import type { Role } from '@liaison/domain';
import { ApiKeyEntity } from '@liaison/persistence';
import { Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import type { Caller } from './caller';

@Injectable()
export class ApiKeyRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get keys() {
    return this.dataSource.getRepository(ApiKeyEntity);
  }

  /**
   * The caller an active key stands for, noting when the key was used (to the minute: the row is written at most
   * once a minute). One indexed round trip; the service caches its answer for a few seconds.
   */
  async findActiveCaller(keyHash: string): Promise<Caller | null> {
    const rows: { id: string; agency_code: string; role: Role }[] = await this.dataSource.query(
      `WITH key AS (SELECT id, agency_code, role, last_used_at FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL),
            used AS (UPDATE api_keys SET last_used_at = now() FROM key
                      WHERE api_keys.id = key.id AND (key.last_used_at IS NULL OR key.last_used_at < now() - interval '1 minute'))
       SELECT id, agency_code, role FROM key`,
      [keyHash],
    );
    return rows[0] ? { type: 'api-key', id: rows[0].id, agency: rows[0].agency_code, role: rows[0].role } : null;
  }

  /** Inserts a key unless one with the same digest exists; returns the stored row either way. */
  async insertIfAbsent(key: ApiKeyEntity): Promise<ApiKeyEntity> {
    await this.keys.createQueryBuilder().insert().values(key).orIgnore().execute();
    return this.keys.findOneOrFail({ where: { keyHash: key.keyHash } });
  }

  list(agency?: string): Promise<ApiKeyEntity[]> {
    return this.keys.find({ where: agency ? { agencyCode: agency } : {}, order: { createdAt: 'DESC' } });
  }

  async isActive(id: string): Promise<boolean> {
    return this.keys.exists({ where: { id, revokedAt: IsNull() } });
  }

  /** Revokes a key; returns false when there is no such active key. */
  async revoke(id: string, at: Date): Promise<boolean> {
    const result = await this.keys.update({ id, revokedAt: IsNull() }, { revokedAt: at });
    return (result.affected ?? 0) > 0;
  }
}
