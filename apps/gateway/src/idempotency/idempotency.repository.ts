import { IdempotencyKeyEntity, queryReturning } from '@liaison/persistence';
import { SERVICE_CONFIG } from '@liaison/runtime';
import { Inject, Injectable, Optional } from '@nestjs/common';
import type { GatewayConfig } from '../gateway.config';
import { DataSource } from 'typeorm';

export type Claim =
  | { kind: 'claimed'; reserved: Record<string, string> }
  | { kind: 'replay'; statusCode: number; response: unknown; location: string | null }
  | { kind: 'in-progress' }
  | { kind: 'mismatch' };

/** By default, a claim older than this without a response belongs to a request that died; it may be taken over. */
export const ABANDONED_AFTER_MS = 60_000;

@Injectable()
export class IdempotencyRepository {
  private readonly abandonedAfterMs: number;

  constructor(
    private readonly dataSource: DataSource,
    @Optional() @Inject(SERVICE_CONFIG) config?: Pick<GatewayConfig, 'IDEMPOTENCY_TAKEOVER_SECONDS'>,
  ) {
    this.abandonedAfterMs = (config?.IDEMPOTENCY_TAKEOVER_SECONDS ?? ABANDONED_AFTER_MS / 1000) * 1000;
  }

  /** Claims a key for a request, or says what became of the request that claimed it first. */
  async claim(agency: string, key: string, requestHash: string, now: Date): Promise<Claim> {
    const claimed: unknown[] = await this.dataSource.query(
      `INSERT INTO idempotency_keys (agency_code, key, request_hash, claimed_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING RETURNING key`,
      [agency, key, requestHash, now],
    );
    if (claimed.length > 0) return { kind: 'claimed', reserved: {} };
    const existing = await this.dataSource.getRepository(IdempotencyKeyEntity).findOneBy({ agencyCode: agency, key });
    if (!existing) return this.claim(agency, key, requestHash, now); // released meanwhile
    if (existing.requestHash !== requestHash) return { kind: 'mismatch' };
    if (existing.completedAt && existing.statusCode !== null) {
      return {
        kind: 'replay',
        statusCode: existing.statusCode,
        response: existing.response,
        location: existing.location,
      };
    }
    const takenOver = await queryReturning<{ reserved: Record<string, string> | null }>(
      this.dataSource,
      `UPDATE idempotency_keys SET claimed_at = $3
        WHERE agency_code = $1 AND key = $2 AND completed_at IS NULL AND claimed_at < $4 RETURNING reserved`,
      [agency, key, now, new Date(now.getTime() - this.abandonedAfterMs)],
    );
    return takenOver.length > 0 ? { kind: 'claimed', reserved: takenOver[0].reserved ?? {} } : { kind: 'in-progress' };
  }

  async complete(
    agency: string,
    key: string,
    statusCode: number,
    response: unknown,
    location: string | null,
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE idempotency_keys SET status_code = $3, response = $4, location = $5, completed_at = now()
        WHERE agency_code = $1 AND key = $2`,
      [agency, key, statusCode, JSON.stringify(response ?? null), location],
    );
  }

  /** Keeps the values a running request reserved, for a retry that takes over should the request die. */
  async reserve(agency: string, key: string, reserved: Record<string, string>): Promise<void> {
    await this.dataSource.query(
      'UPDATE idempotency_keys SET reserved = $3 WHERE agency_code = $1 AND key = $2 AND completed_at IS NULL',
      [agency, key, JSON.stringify(reserved)],
    );
  }

  /**
   * Frees a key whose request may or may not have taken effect (the broker did not acknowledge it) for its retry
   * at once, keeping what it reserved (see `reserve`): the retry makes the same message again, not another.
   */
  async releaseForRetry(agency: string, key: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE idempotency_keys SET claimed_at = 'epoch' WHERE agency_code = $1 AND key = $2 AND completed_at IS NULL`,
      [agency, key],
    );
  }

  /** Frees a key whose request failed, so that the client can retry it. */
  async release(agency: string, key: string): Promise<void> {
    await this.dataSource.query(
      'DELETE FROM idempotency_keys WHERE agency_code = $1 AND key = $2 AND completed_at IS NULL',
      [agency, key],
    );
  }
}
