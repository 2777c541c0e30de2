import {
  CaseKeys,
  MatchKeyBlinder,
  openExcludedKey,
  openMatchValue,
  SealBrokenError,
  SystemKeys,
  isBlindKey,
  sealExcludedKey,
} from '@liaison/protection';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * The gateway's side of the blind match index: turns the keys admins and owners name into the blind keys the
 * index holds, and the blind keys it holds back into values where someone may see them (an owner's released
 * match, an admin deciding an exclusion), by opening a copy sealed under a holding case's key or the
 * exclusions' key. A value whose every copy was erased stays blind.
 */
@Injectable()
export class MatchKeyValues {
  constructor(
    private readonly dataSource: DataSource,
    private readonly blinder: MatchKeyBlinder,
    private readonly caseKeys: CaseKeys,
    private readonly systemKeys: SystemKeys,
  ) {}

  blind(key: string): string {
    return this.blinder.blind(key);
  }

  /** The key in clear sealed for the exclusion list, bound to its blind form. */
  async sealForExclusion(blindKey: string, key: string): Promise<Buffer> {
    return sealExcludedKey(await this.systemKeys.keyOf(this.dataSource, 'match-exclusions'), blindKey, key);
  }

  /** An excluded key in clear, from its sealed copy (or a holder's); the blind key when neither opens. */
  async excluded(blindKey: string, sealed: Buffer | null): Promise<string> {
    if (sealed) {
      try {
        return openExcludedKey(await this.systemKeys.keyOf(this.dataSource, 'match-exclusions'), blindKey, sealed);
      } catch (error) {
        if (!(error instanceof SealBrokenError)) throw error;
      }
    }
    return (await this.held([blindKey])).get(blindKey) ?? blindKey;
  }

  /** Each key in clear where a case that still has its key holds it; keys in clear are passed through. */
  async held(keys: string[]): Promise<Map<string, string>> {
    const values = new Map<string, string>();
    const blind = keys.filter((key) => (isBlindKey(key) ? true : (values.set(key, key), false)));
    if (blind.length === 0) return values;
    const rows: { key: string; case_reference: string; sealed_value: Buffer }[] = await this.dataSource.query(
      `SELECT DISTINCT ON (m.key) m.key, m.case_reference, m.sealed_value
         FROM unnest($1::text[]) AS k(key)
         JOIN match_keys m ON m.key_hash = hashtextextended(k.key, 0) AND m.key = k.key
         JOIN case_keys c ON c.case_reference = m.case_reference AND c.wrapped IS NOT NULL
        ORDER BY m.key, m.indexed_at`,
      [blind],
    );
    return this.opened(rows, values);
  }

  /** The sealed values of holdings, opened under their cases' keys (a case erased meanwhile gives none). */
  async opened(
    rows: { key: string; case_reference: string; sealed_value: Buffer | null }[],
    into = new Map<string, string>(),
  ): Promise<Map<string, string>> {
    const keys = await this.caseKeys.keysOf(
      this.dataSource,
      rows.map((row) => row.case_reference),
    );
    for (const row of rows) {
      const key = keys.get(row.case_reference);
      if (key && key !== 'erased' && row.sealed_value)
        into.set(row.key, openMatchValue(key, row.case_reference, row.key, row.sealed_value));
    }
    return into;
  }
}
