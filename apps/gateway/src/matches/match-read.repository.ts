import type { CursorPosition } from '@liaison/common';
import type { CandidateState, MatchRecord, MatchStrength, ReleaseDecision } from '@liaison/domain';
import { KEY_ENTITY_TYPE, matchKeyValue, type MatchKeyKind } from '@liaison/domain';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MatchKeyValues } from './match-key-values';

interface MatchRow {
  id: string;
  key: string;
  kind: MatchKeyKind;
  strength: MatchStrength;
  case_a: string;
  agency_a: string;
  decision_a: ReleaseDecision;
  message_a: string | null;
  case_b: string;
  agency_b: string;
  decision_b: ReleaseDecision;
  message_b: string | null;
  sealed_a: Buffer | null;
  sealed_b: Buffer | null;
  candidate_state: CandidateState | null;
  found_at: Date;
}

export interface MatchFilter {
  strength?: MatchStrength;
  /** Only matches on which the agency's own decision is still pending. */
  awaitingDecision?: boolean;
  /** Only matches on this case of the agency's. */
  caseReference?: string;
}

export interface MatchCounts {
  total: number;
  strong: number;
  candidate: number;
  linked: number;
  byEntityType: Record<string, number>;
}

const SELECT = `SELECT m.id, m.key, m.kind, m.strength, m.case_a, m.agency_a, m.decision_a, ka.message_id AS message_a,
                       m.case_b, m.agency_b, m.decision_b, kb.message_id AS message_b, m.candidate_state, m.found_at,
                       ka.sealed_value AS sealed_a, kb.sealed_value AS sealed_b
                  FROM matches m
                  LEFT JOIN match_keys ka ON ka.key_hash = hashtextextended(m.key, 0) AND ka.key = m.key AND ka.case_reference = m.case_a AND ka.agency = m.agency_a
                  LEFT JOIN match_keys kb ON kb.key_hash = hashtextextended(m.key, 0) AND kb.key = m.key AND kb.case_reference = m.case_b AND kb.agency = m.agency_b`;

function record(row: MatchRow, values: Map<string, string>): MatchRecord {
  return {
    id: row.id,
    entityType: KEY_ENTITY_TYPE[row.kind],
    strength: row.strength,
    // The blind key's value, from either side's sealed copy (a side erased has none left).
    value: matchKeyValue(values.get(row.key) ?? ''),
    a: { caseReference: row.case_a, agency: row.agency_a, decision: row.decision_a, messageId: row.message_a },
    b: { caseReference: row.case_b, agency: row.agency_b, decision: row.decision_b, messageId: row.message_b },
    candidateState: row.candidate_state,
    foundAt: row.found_at,
  };
}

/**
 * Matches as the matcher recorded them, with the value (opened from a side's sealed copy) and each side's
 * message: raw material for `discloseMatch`, which decides what the caller may see. Never returned as they are.
 */
@Injectable()
export class MatchReadRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly values: MatchKeyValues,
  ) {}

  private async records(rows: MatchRow[]): Promise<MatchRecord[]> {
    const values = await this.values.opened(
      rows.flatMap((row) => [
        { key: row.key, case_reference: row.case_a, sealed_value: row.sealed_a },
        { key: row.key, case_reference: row.case_b, sealed_value: row.sealed_b },
      ]),
    );
    return rows.map((row) => record(row, values));
  }

  /** Matches of a case the agency owns, newest first. */
  async list(agency: string, filter: MatchFilter, limit: number, after: CursorPosition | null): Promise<MatchRecord[]> {
    const rows: MatchRow[] = await this.dataSource.query(
      `SELECT * FROM (
         ${SELECT} WHERE m.agency_a = $1 AND ($2::text IS NULL OR m.strength = $2) AND (NOT $3 OR m.decision_a = 'pending')
                      AND ($7::text IS NULL OR m.case_a = $7)
         UNION ALL
         ${SELECT} WHERE m.agency_b = $1 AND m.agency_a <> $1 AND ($2::text IS NULL OR m.strength = $2) AND (NOT $3 OR m.decision_b = 'pending')
                      AND ($7::text IS NULL OR m.case_b = $7)
       ) AS own
       WHERE ($4::timestamptz IS NULL OR (found_at, id) < ($4, $5::uuid))
       ORDER BY found_at DESC, id DESC LIMIT $6`,
      [
        agency,
        filter.strength ?? null,
        filter.awaitingDecision === true,
        after?.at ?? null,
        after?.id ?? null,
        limit,
        filter.caseReference ?? null,
      ],
    );
    return this.records(rows);
  }

  async find(id: string): Promise<MatchRecord | null> {
    const rows: MatchRow[] = await this.dataSource.query(`${SELECT} WHERE m.id = $1`, [id]);
    return rows[0] ? (await this.records(rows))[0] : null;
  }

  /** Figures only: matches involving any of the agencies (an agency's own, or a country's for a programme lead). */
  async counts(agencies: { agency: string } | { country: string }): Promise<MatchCounts> {
    const scope =
      'agency' in agencies
        ? { sql: 'm.agency_a = $1 OR m.agency_b = $1', value: agencies.agency }
        : {
            sql: 'm.agency_a IN (SELECT code FROM agencies WHERE country = $1) OR m.agency_b IN (SELECT code FROM agencies WHERE country = $1)',
            value: agencies.country,
          };
    const rows: { kind: MatchKeyKind; strength: MatchStrength; total: string; linked: string }[] =
      await this.dataSource.query(
        `SELECT m.kind, m.strength, count(*) AS total, count(*) FILTER (WHERE m.decision_a = 'released' AND m.decision_b = 'released') AS linked
         FROM matches m WHERE ${scope.sql} GROUP BY m.kind, m.strength`,
        [scope.value],
      );
    const counts: MatchCounts = { total: 0, strong: 0, candidate: 0, linked: 0, byEntityType: {} };
    for (const row of rows) {
      const total = Number(row.total);
      counts.total += total;
      counts[row.strength] += total;
      counts.linked += Number(row.linked);
      const type = KEY_ENTITY_TYPE[row.kind];
      counts.byEntityType[type] = (counts.byEntityType[type] ?? 0) + total;
    }
    return counts;
  }
}
