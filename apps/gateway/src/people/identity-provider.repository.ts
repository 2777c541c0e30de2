import { IdentityProviderEntity } from '@liaison/persistence';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Agencies' own OpenID providers. */
@Injectable()
export class IdentityProviderRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get providers() {
    return this.dataSource.getRepository(IdentityProviderEntity);
  }

  find(agency: string): Promise<IdentityProviderEntity | null> {
    return this.providers.findOneBy({ agencyCode: agency });
  }

  /** The provider whose e-mail domains include the address's domain (or a parent of it). */
  async forEmailDomain(domain: string): Promise<IdentityProviderEntity | null> {
    const parents = domain
      .split('.')
      .map((_, i, parts) => parts.slice(i).join('.'))
      .filter((d) => d.includes('.'));
    const rows = await this.providers
      .createQueryBuilder('p')
      .where('p.email_domains && :parents', { parents })
      .orderBy('p.agency_code')
      .getMany();
    return rows[0] ?? null;
  }

  async save(provider: IdentityProviderEntity): Promise<void> {
    await this.providers.save(provider);
  }

  async remove(agency: string): Promise<boolean> {
    const result = await this.providers.delete({ agencyCode: agency });
    return (result.affected ?? 0) > 0;
  }
}
