import type { Classification } from '@liaison/domain';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AgencyEntity } from './entities';

/** How stale the in-memory register may become before it is read again (clearance changes reach every service by then). */
export const AGENCY_CACHE_MS = 10_000;

/**
 * Reads the agency register. The register changes rarely (a seed run, an administrator changing a
 * clearance), so it is cached in memory: reloaded when a code is not found or the copy is older than
 * AGENCY_CACHE_MS, which keeps per-message lookups off the database.
 */
@Injectable()
export class AgencyRepository {
  private cache = new Map<string, AgencyEntity>();
  private loadedAt = 0;

  constructor(private readonly dataSource: DataSource) {}

  /** The agencies among `codes` that exist; `fresh` reads the register again whatever the age of the copy. */
  async findMany(codes: readonly string[], options: { fresh?: boolean } = {}): Promise<Map<string, AgencyEntity>> {
    if (options.fresh || Date.now() - this.loadedAt > AGENCY_CACHE_MS || codes.some((code) => !this.cache.has(code)))
      await this.reload();
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

  async all(): Promise<AgencyEntity[]> {
    await this.reload();
    return [...this.cache.values()];
  }

  /** Sets an agency's clearance; returns the updated agency, or null when there is no such agency. */
  async setClearance(code: string, clearance: Classification): Promise<AgencyEntity | null> {
    const result = await this.dataSource.getRepository(AgencyEntity).update({ code }, { clearance });
    await this.reload();
    return (result.affected ?? 0) > 0 ? (this.cache.get(code) ?? null) : null;
  }

  private async reload(): Promise<void> {
    const agencies = await this.dataSource.getRepository(AgencyEntity).find({ order: { code: 'ASC' } });
    this.cache = new Map(agencies.map((agency) => [agency.code, agency]));
    this.loadedAt = Date.now();
  }
}
