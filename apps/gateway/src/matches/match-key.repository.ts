import type { MatchKeyKind } from '@liaison/domain';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MatchKeyValues } from './match-key-values';

export interface ExclusionRow {
  /** The key in clear where it can be opened, its blind form otherwise. */
  key: string;
  reason: string;
  excluded_by_key_id: string;
  excluded_at: Date;
}

export interface OverCorrelatedRow {
  /** The key in clear where a holding case still has its key, its blind form otherwise. */
  key: string;
  kind: MatchKeyKind;
  case_count: number;
  over_correlated_at: Date;
  excluded: boolean;
}

/**
 * The matcher's keys past the cap and the exclusion list, as admins read them: the index holds them blind, and
 * they are shown in clear because deciding an exclusion needs the value.
 */
@Injectable()
export class MatchKeyRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly values: MatchKeyValues,
  ) {}

  async overCorrelated(limit: number): Promise<OverCorrelatedRow[]> {
    const rows: OverCorrelatedRow[] = await this.dataSource.query(
      `SELECT o.key, split_part(o.key, ':', 1) AS kind, o.over_correlated_at, (x.key IS NOT NULL) AS excluded,
              (SELECT count(DISTINCT m.case_reference)::int FROM match_keys m WHERE m.key_hash = hashtextextended(o.key, 0) AND m.key = o.key) AS case_count
         FROM (SELECT key, over_correlated_at FROM match_keys_over_correlated ORDER BY over_correlated_at DESC, key LIMIT $1) AS o
         LEFT JOIN match_key_exclusions x ON x.key = o.key
        ORDER BY o.over_correlated_at DESC, o.key`,
      [limit],
    );
    const values = await this.values.held(rows.map((row) => row.key));
    return rows.map((row) => ({ ...row, key: values.get(row.key) ?? row.key }));
  }

  /** The exclusions, or those of the blind keys given. */
  async exclusions(blindKeys?: string[]): Promise<ExclusionRow[]> {
    const rows: (ExclusionRow & { sealed_value: Buffer | null })[] = await this.dataSource.query(
      `SELECT key, reason, excluded_by_key_id, excluded_at, sealed_value FROM match_key_exclusions
        WHERE $1::text[] IS NULL OR key = ANY($1::text[]) ORDER BY excluded_at DESC, key`,
      [blindKeys ?? null],
    );
    return Promise.all(
      rows.map(async ({ sealed_value, ...row }) => ({
        ...row,
        key: await this.values.excluded(row.key, sealed_value),
      })),
    );
  }
}
