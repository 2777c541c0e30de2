import type { MatchKeyKind } from '@liaison/domain';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface ExclusionRow {
  key: string;
  reason: string;
  excluded_by_key_id: string;
  excluded_at: Date;
}

/** The matcher's keys past the cap and the exclusion list, as admins read them. */
@Injectable()
export class MatchKeyRepository {
  constructor(private readonly dataSource: DataSource) {}

  overCorrelated(
    limit: number,
  ): Promise<{ key: string; kind: MatchKeyKind; case_count: number; over_correlated_at: Date; excluded: boolean }[]> {
    return this.dataSource.query(
      `SELECT o.key, split_part(o.key, ':', 1) AS kind, o.over_correlated_at, (x.key IS NOT NULL) AS excluded,
              (SELECT count(DISTINCT m.case_reference)::int FROM match_keys m WHERE m.key_hash = hashtextextended(o.key, 0) AND m.key = o.key) AS case_count
         FROM (SELECT key, over_correlated_at FROM match_keys_over_correlated ORDER BY over_correlated_at DESC, key LIMIT $1) AS o
         LEFT JOIN match_key_exclusions x ON x.key = o.key
        ORDER BY o.over_correlated_at DESC, o.key`,
      [limit],
    );
  }

  exclusions(keys?: string[]): Promise<ExclusionRow[]> {
    return this.dataSource.query(
      'SELECT key, reason, excluded_by_key_id, excluded_at FROM match_key_exclusions WHERE $1::text[] IS NULL OR key = ANY($1::text[]) ORDER BY excluded_at DESC, key',
      [keys ?? null],
    );
  }
}
