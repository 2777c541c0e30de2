import type { CandidateState, MatchStrength, ReleaseDecision, TrackedMatch } from '@liaison/domain';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

interface MatchRow {
  match_id: string;
  found_on: string | null;
  entity_type: string;
  strength: MatchStrength;
  a_agency: string;
  a_country: string;
  a_decision: ReleaseDecision;
  b_agency: string;
  b_country: string;
  b_decision: ReleaseDecision;
  candidate_state: CandidateState | null;
  updated_at: Date;
}

const tracked = (row: MatchRow): TrackedMatch => ({
  matchId: row.match_id,
  foundOn: row.found_on,
  entityType: row.entity_type,
  strength: row.strength,
  a: { agency: row.a_agency, country: row.a_country, decision: row.a_decision },
  b: { agency: row.b_agency, country: row.b_country, decision: row.b_decision },
  candidateState: row.candidate_state,
  updatedAt: row.updated_at,
});

/** The tracker's state of each match (`report_matches`), from which its report facts are derived (`matchFacts`). */
@Injectable()
export class MatchStateRepository {
  /**
   * The matches' states, locked in id order (so a concurrent batch about the same match waits), each stored first
   * as given (`blankMatch`) when the tracker has not seen it.
   */
  async lock(manager: EntityManager, blanks: readonly TrackedMatch[]): Promise<TrackedMatch[]> {
    const sorted = [...blanks].sort((x, y) => (x.matchId < y.matchId ? -1 : 1));
    await manager.query(
      `INSERT INTO report_matches (match_id, found_on, entity_type, strength, a_agency, a_country, a_decision, b_agency, b_country, b_decision, candidate_state, updated_at)
       SELECT * FROM unnest($1::uuid[], $2::date[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::timestamptz[])
       ON CONFLICT DO NOTHING`,
      [
        sorted.map((m) => m.matchId),
        sorted.map((m) => m.foundOn),
        sorted.map((m) => m.entityType),
        sorted.map((m) => m.strength),
        sorted.map((m) => m.a.agency),
        sorted.map((m) => m.a.country),
        sorted.map((m) => m.a.decision),
        sorted.map((m) => m.b.agency),
        sorted.map((m) => m.b.country),
        sorted.map((m) => m.b.decision),
        sorted.map((m) => m.candidateState),
        sorted.map((m) => m.updatedAt),
      ],
    );
    const rows: MatchRow[] = await manager.query(
      `SELECT match_id, found_on::text AS found_on, entity_type, strength, a_agency, a_country, a_decision, b_agency, b_country, b_decision, candidate_state, updated_at
         FROM report_matches WHERE match_id = ANY($1::uuid[]) ORDER BY match_id FOR UPDATE`,
      [sorted.map((m) => m.matchId)],
    );
    return rows.map(tracked);
  }

  /** Stores changed states (the sides' agencies and countries never change). */
  async save(manager: EntityManager, changed: readonly TrackedMatch[]): Promise<void> {
    if (changed.length === 0) return;
    await manager.query(
      `UPDATE report_matches r SET found_on = c.found_on, entity_type = c.entity_type, strength = c.strength, a_decision = c.a_decision,
              b_decision = c.b_decision, candidate_state = c.candidate_state, updated_at = c.updated_at
         FROM unnest($1::uuid[], $2::date[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[])
              AS c(match_id, found_on, entity_type, strength, a_decision, b_decision, candidate_state, updated_at)
        WHERE r.match_id = c.match_id`,
      [
        changed.map((m) => m.matchId),
        changed.map((m) => m.foundOn),
        changed.map((m) => m.entityType),
        changed.map((m) => m.strength),
        changed.map((m) => m.a.decision),
        changed.map((m) => m.b.decision),
        changed.map((m) => m.candidateState),
        changed.map((m) => m.updatedAt),
      ],
    );
  }
}
