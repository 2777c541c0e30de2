import {
  factChange,
  MATCH_COUNTS as MATCH_COUNT_FIELDS,
  matchFacts,
  utcDay,
  type CandidateState,
  type MatchFact,
  type MatchReportState,
  type ReleaseDecision,
} from '@liaison/domain';
import type { MatchStrength } from '@liaison/domain';
import type { EntityManager } from 'typeorm';
import { addFacts, MATCH_TABLES } from './fact-tables';

/** What a match event tells the tracker; agencies' countries are looked up before. */
interface MatchEventBase {
  matchId: string;
  entityType: string;
  strength: MatchStrength;
  a: { agency: string; country: string };
  b: { agency: string; country: string };
}

export type MatchEvent =
  | (MatchEventBase & { kind: 'found'; foundAt: Date })
  | (MatchEventBase & {
      kind: 'updated';
      updatedAt: Date;
      decisionA: ReleaseDecision;
      decisionB: ReleaseDecision;
      candidateState: CandidateState | null;
    });

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

const toState = (row: MatchRow): MatchReportState => ({
  foundOn: row.found_on,
  entityType: row.entity_type,
  strength: row.strength,
  a: { agency: row.a_agency, country: row.a_country, decision: row.a_decision },
  b: { agency: row.b_agency, country: row.b_country, decision: row.b_decision },
  candidateState: row.candidate_state,
});

const factKey = (r: MatchFact) => [r.day, r.country, r.partnerCountry, r.entityType, r.strength];

/** Applies one event to a match's state: found sets the day it was found; an update replaces an older state. */
export function applyMatchEvent(row: MatchRow, event: MatchEvent): MatchRow {
  if (event.kind === 'found') return row.found_on === null ? { ...row, found_on: utcDay(event.foundAt) } : row;
  if (event.updatedAt.getTime() < row.updated_at.getTime()) return row;
  return {
    ...row,
    entity_type: event.entityType,
    strength: event.strength,
    a_decision: event.decisionA,
    b_decision: event.decisionB,
    candidate_state: event.candidateState,
    updated_at: event.updatedAt,
  };
}

/**
 * Applies match events to the matches' states and moves the figures by the difference, in one transaction.
 * Found and updated events travel on different topics and may arrive in either order; the figures come out
 * the same. Rows are locked in id order, so a concurrent batch about the same match waits.
 */
export async function applyMatchEvents(manager: EntityManager, events: readonly MatchEvent[]): Promise<void> {
  if (events.length === 0) return;
  const firstOf = new Map<string, MatchEvent>();
  for (const event of events) if (!firstOf.has(event.matchId)) firstOf.set(event.matchId, event);
  const blanks = [...firstOf.values()].sort((x, y) => (x.matchId < y.matchId ? -1 : 1));
  // A match the tracker has not seen starts blank: not found yet, nothing decided, counting nothing.
  await manager.query(
    `INSERT INTO report_matches (match_id, found_on, entity_type, strength, a_agency, a_country, a_decision, b_agency, b_country, b_decision, candidate_state, updated_at)
     SELECT m.id, NULL, m.entity_type, m.strength, m.a_agency, m.a_country, 'pending', m.b_agency, m.b_country, 'pending',
            CASE WHEN m.strength = 'candidate' THEN 'suggested' END, 'epoch'
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS m(id, entity_type, strength, a_agency, a_country, b_agency, b_country)
     ON CONFLICT DO NOTHING`,
    [
      blanks.map((e) => e.matchId),
      blanks.map((e) => e.entityType),
      blanks.map((e) => e.strength),
      blanks.map((e) => e.a.agency),
      blanks.map((e) => e.a.country),
      blanks.map((e) => e.b.agency),
      blanks.map((e) => e.b.country),
    ],
  );
  const rows: MatchRow[] = await manager.query(
    `SELECT match_id, found_on::text AS found_on, entity_type, strength, a_agency, a_country, a_decision, b_agency, b_country, b_decision, candidate_state, updated_at
       FROM report_matches WHERE match_id = ANY($1::uuid[]) ORDER BY match_id FOR UPDATE`,
    [blanks.map((e) => e.matchId)],
  );
  const before = new Map(rows.map((row) => [row.match_id, row]));
  const after = new Map(before);
  for (const event of events) after.set(event.matchId, applyMatchEvent(after.get(event.matchId)!, event));
  const changed = [...after.values()].filter((row) => row !== before.get(row.match_id));
  if (changed.length === 0) return;
  await manager.query(
    `UPDATE report_matches r SET found_on = c.found_on, entity_type = c.entity_type, strength = c.strength, a_decision = c.a_decision,
            b_decision = c.b_decision, candidate_state = c.candidate_state, updated_at = c.updated_at
       FROM unnest($1::uuid[], $2::date[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[])
            AS c(match_id, found_on, entity_type, strength, a_decision, b_decision, candidate_state, updated_at)
      WHERE r.match_id = c.match_id`,
    [
      changed.map((r) => r.match_id),
      changed.map((r) => r.found_on),
      changed.map((r) => r.entity_type),
      changed.map((r) => r.strength),
      changed.map((r) => r.a_decision),
      changed.map((r) => r.b_decision),
      changed.map((r) => r.candidate_state),
      changed.map((r) => r.updated_at),
    ],
  );
  const change = factChange(
    changed.flatMap((row) => matchFacts(toState(before.get(row.match_id)!))),
    changed.flatMap((row) => matchFacts(toState(row))),
    factKey,
    MATCH_COUNT_FIELDS,
  );
  for (const table of MATCH_TABLES) await addFacts(manager, table, change);
}
