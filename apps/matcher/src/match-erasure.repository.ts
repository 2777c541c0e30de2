import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MATCH_COLUMNS, storedMatch, type MatchRow, type StoredMatch } from './match-index.repository';

/** A match's decisions as stored. */
export interface MatchState {
  decisionA: string;
  decisionB: string;
  candidateState: string | null;
}

/** What the matcher holds of an erased case, read and then deleted: its holdings in the index and its matches. */
@Injectable()
export class MatchErasureRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The matches one of whose cases is the erased case, as they stand. */
  async matchesOfCase(reference: string): Promise<(StoredMatch & { announced: boolean; state: MatchState })[]> {
    const rows: (MatchRow & {
      announced_at: Date | null;
      decision_a: string;
      decision_b: string;
      candidate_state: string | null;
    })[] = await this.dataSource.query(
      `SELECT ${MATCH_COLUMNS}, announced_at, decision_a, decision_b, candidate_state FROM matches
          WHERE case_a = $1 OR case_b = $1 ORDER BY id`,
      [reference],
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
