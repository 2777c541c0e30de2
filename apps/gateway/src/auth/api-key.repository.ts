import { ApiKeyEntity } from '@liaison/persistence';
import { Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';

@Injectable()
export class ApiKeyRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get keys() {
    return this.dataSource.getRepository(ApiKeyEntity);
  }

  findActiveByHash(keyHash: string): Promise<ApiKeyEntity | null> {
    return this.keys.findOne({ where: { keyHash, revokedAt: IsNull() } });
  }

  /** Inserts a key unless one with the same digest exists; returns the stored row either way. */
  async insertIfAbsent(key: ApiKeyEntity): Promise<ApiKeyEntity> {
    await this.keys.createQueryBuilder().insert().values(key).orIgnore().execute();
    return this.keys.findOneOrFail({ where: { keyHash: key.keyHash } });
  }

  list(agency?: string): Promise<ApiKeyEntity[]> {
    return this.keys.find({ where: agency ? { agencyCode: agency } : {}, order: { createdAt: 'DESC' } });
  }

  /** Revokes a key; returns false when there is no such active key. */
  async revoke(id: string, at: Date): Promise<boolean> {
    const result = await this.keys.update({ id, revokedAt: IsNull() }, { revokedAt: at });
    return (result.affected ?? 0) > 0;
  }
}
