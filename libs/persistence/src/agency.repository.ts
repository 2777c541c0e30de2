import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AgencyEntity } from './entities';

/**
 * Reads the agency register. The register changes rarely (a seed run), so it is cached in memory and
 * reloaded when a code is not found, which keeps per-message lookups off the database.
 */
@Injectable()
export class AgencyRepository {
  private cache = new Map<string, AgencyEntity>();

  constructor(private readonly dataSource: DataSource) {}

  async findMany(codes: readonly string[]): Promise<Map<string, AgencyEntity>> {
    if (codes.some((code) => !this.cache.has(code))) await this.reload();
    const found = new Map<string, AgencyEntity>();
    for (const code of codes) {
      const agency = this.cache.get(code);
      if (agency) found.set(code, agency);
    }
    return found;
  }

  async find(code: string): Promise<AgencyEntity | null> {
    return (await this.findMany([code])).get(code) ?? null;
  }

  private async reload(): Promise<void> {
    const agencies = await this.dataSource.getRepository(AgencyEntity).find();
    this.cache = new Map(agencies.map((agency) => [agency.code, agency]));
  }
}
