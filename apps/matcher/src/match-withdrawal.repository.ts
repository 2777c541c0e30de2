import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MATCH_COLUMNS, storedMatch, type MatchRow, type StoredMatch } from './match-index.repository';

/** A match's decisions as stored. */
export interface MatchState {
  decisionA: string;
  decisionB: string;
  candidateState: string | null;
}

export type MatchAsItStands = StoredMatch & { announced: boolean; state: MatchState };

/**
 * Matches withdrawn and holdings taken out of the index: an erased case's (all of them), a restricted case's
 * matches (its holdings kept), and the keys a rectified entity no longer gives.
 */
@Injectable()
export class MatchWithdrawalRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The matches one of whose cases is the erased case, as they stand. */
  matchesOfCase(reference: string): Promise<MatchAsItStands[]> {
    return this.matches('case_a = $1 OR case_b = $1', [reference]);
  }

  /** The agencies on whose behalf a case holds keys. */
  async holdingAgencies(reference: string): Promise<string[]> {
    const rows: { agency: string }[] = await this.dataSource.query(
      'SELECT DISTINCT agency FROM match_keys WHERE case_reference = $1 ORDER BY agency',
      [reference],
    );
    return rows.map((row) => row.agency);
  }

  /** Deletes every match of a case and their reviews, keeping its holdings (a restricted case's). */
  async dropMatchesOfCase(reference: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const ofCase = 'SELECT id FROM matches WHERE case_a = $1 OR case_b = $1';
      await manager.query(`DELETE FROM match_reviews WHERE match_id IN (${ofCase})`, [reference]);
      await manager.query('DELETE FROM matches WHERE case_a = $1 OR case_b = $1', [reference]);
    });
  }

  /** The keys a case holds on behalf of an agency. */
  async heldKeys(reference: string, agency: string): Promise<string[]> {
    const rows: { key: string }[] = await this.dataSource.query(
      'SELECT key FROM match_keys WHERE case_reference = $1 AND agency = $2',
      [reference, agency],
    );
    return rows.map((row) => row.key);
  }

  /** The matches built on these keys of the case as held for the agency. */
  matchesOnKeys(reference: string, agency: string, keys: string[]): Promise<MatchAsItStands[]> {
    return this.matches(
      'key = ANY($3::text[]) AND ((case_a = $1 AND agency_a = $2) OR (case_b = $1 AND agency_b = $2))',
      [reference, agency, keys],
    );
  }

  /**
   * Deletes the case's holdings of these keys for the agency, the matches built on them and their reviews, in one
   * transaction.
   */
  async dropKeys(reference: string, agency: string, keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.dataSource.transaction(async (manager) => {
      const onKeys =
        'SELECT id FROM matches WHERE key = ANY($3::text[]) AND ((case_a = $1 AND agency_a = $2) OR (case_b = $1 AND agency_b = $2))';
      await manager.query(`DELETE FROM match_reviews WHERE match_id IN (${onKeys})`, [reference, agency, keys]);
      await manager.query(`DELETE FROM matches WHERE id IN (${onKeys})`, [reference, agency, keys]);
      await manager.query(
        `DELETE FROM match_keys WHERE key_hash = ANY(SELECT hashtextextended(k, 0) FROM unnest($3::text[]) AS k)
            AND key = ANY($3::text[]) AND case_reference = $1 AND agency = $2`,
        [reference, agency, keys],
      );
    });
  }

  private async matches(where: string, parameters: unknown[]): Promise<MatchAsItStands[]> {
    const rows: (MatchRow & {
      announced_at: Date | null;
      decision_a: string;
      decision_b: string;
      candidate_state: string | null;
    })[] = await this.dataSource.query(
      `SELECT ${MATCH_COLUMNS}, announced_at, decision_a, decision_b, candidate_state FROM matches
          WHERE ${where} ORDER BY id`,
      parameters,
    );
    return rows.map((row) => ({
      ...storedMatch(row),
      announced: row.announced_at !== null,
      state: { decisionA: row.decision_a, decisionB: row.decision_b, candidateState: row.candidate_state },
    }));
  }

  /**
   * Deletes the erased case's holdings in the index, every match built on them and their reviews, and records
   * the matcher's part of the erasure: one transaction, and again changes nothing.
   */
  async eraseCase(reference: string, at: Date): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const ofCase = 'SELECT id FROM matches WHERE case_a = $1 OR case_b = $1';
      await manager.query(`DELETE FROM match_reviews WHERE match_id IN (${ofCase})`, [reference]);
      await manager.query('DELETE FROM matches WHERE case_a = $1 OR case_b = $1', [reference]);
      await manager.query('DELETE FROM match_keys WHERE case_reference = $1', [reference]);
      await manager.query(
        `INSERT INTO case_erasure_parts (case_reference, part, done_at) VALUES ($1, 'matcher', $2) ON CONFLICT DO NOTHING`,
        [reference, at],
      );
    });
  }
}
