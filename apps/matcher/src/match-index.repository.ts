import { keyOutcome, pairId, withoutRedundantCandidates, type KeyHolder, type KeyState, type MatchKey, type MatchStrength, type NewMatch } from '@liaison/domain';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';

/** One routed message's keys, held by its case on behalf of its sender (the data owner). */
export interface IndexedMessage {
  messageId: string;
  holder: KeyHolder;
  keys: MatchKey[];
}

export interface StoredMatch extends NewMatch {
  id: string;
  kind: string;
  messageId: string;
  foundAt: Date;
}

export interface IndexOutcome {
  /** Key rows added to the index (a redelivered message adds none). */
  indexed: number;
  matches: StoredMatch[];
  /** Keys that went past the cap with this batch. */
  overCorrelated: string[];
}

/** The content the matcher reads for a routed message: never logged. */
export interface MessageContent {
  id: string;
  caseReference: string;
  senderAgency: string;
  senderCountry: string;
  subject: string;
  body: string;
  entities: Record<string, unknown>[];
}

/**
 * The matcher's state in PostgreSQL: the entity index, per-key case counts, exclusions and matches. A batch is
 * one transaction that first takes an advisory lock per key (in a fixed order), so two batches holding the
 * same key, on different partitions or replicas, are applied one after the other and always see each other.
 */
@Injectable()
export class MatchIndexRepository {
  constructor(private readonly dataSource: DataSource) {}

  async contents(messageIds: string[]): Promise<MessageContent[]> {
    const rows: { id: string; case_reference: string; sender_agency: string; country: string; subject: string; body: string; entities: Record<string, unknown>[] | null }[] =
      await this.dataSource.query(
        `SELECT m.id, m.case_reference, m.sender_agency, a.country, m.subject, m.body, m.entities
           FROM messages m JOIN agencies a ON a.code = m.sender_agency
          WHERE m.id = ANY($1::uuid[])`,
        [messageIds],
      );
    return rows.map((row) => ({
      id: row.id,
      caseReference: row.case_reference,
      senderAgency: row.sender_agency,
      senderCountry: row.country,
      subject: row.subject,
      body: row.body,
      entities: row.entities ?? [],
    }));
  }

  async index(messages: IndexedMessage[], cap: number, now: Date): Promise<IndexOutcome> {
    const keys = [...new Set(messages.flatMap((m) => m.keys.map((k) => k.key)))];
    if (keys.length === 0) return { indexed: 0, matches: [], overCorrelated: [] };
    return this.dataSource.transaction(async (manager) => {
      await manager.query(
        `SELECT pg_advisory_xact_lock(h) FROM (SELECT DISTINCT hashtextextended(k, 0) AS h FROM unnest($1::text[]) AS k ORDER BY h) AS locks`,
        [keys],
      );
      const cases = [...new Set(messages.map((m) => m.holder.caseReference))];
      const states = await this.states(manager, keys, cases, cap);
      const countsBefore = new Map([...states].map(([key, state]) => [key, state.caseCount]));
      // Only candidates can be dismissed: a batch of identifiers alone needs no look-up.
      const hasCandidates = messages.some((m) => m.keys.some((k) => k.strength === 'candidate'));
      const dismissed = hasCandidates ? await this.dismissedPairs(manager, cases) : new Set<string>();

      const rows: { key: MatchKey; message: IndexedMessage }[] = [];
      const matches: StoredMatch[] = [];
      const overCorrelated = new Set<string>();
      const found: StoredMatch[] = [];
      for (const message of messages) {
        for (const key of message.keys) {
          const state = states.get(key.key)!;
          const outcome = keyOutcome(key, message.holder, state, cap, dismissed);
          rows.push({ key, message });
          const held = state.holders.some((h) => h.caseReference === message.holder.caseReference);
          if (!held) state.caseCount += 1;
          if (!state.holders.some((h) => h.caseReference === message.holder.caseReference && h.agency === message.holder.agency)) {
            state.holders.push(message.holder);
          }
          if (outcome.kind === 'over-correlated' && countsBefore.get(key.key)! <= cap) overCorrelated.add(key.key);
          if (outcome.kind !== 'matches') continue;
          for (const match of outcome.matches) found.push({ ...match, id: randomUUID(), kind: key.kind, messageId: message.messageId, foundAt: now });
        }
        matches.push(...withoutRedundantCandidates(found.splice(0)));
      }

      // In key order, as the primary key is: neighbouring index entries are written together.
      rows.sort((x, y) => (x.key.key < y.key.key ? -1 : x.key.key > y.key.key ? 1 : 0));
      const inserted: { key: string }[] = await manager.query(
        `INSERT INTO match_keys (key, case_reference, agency, kind, strength, extracted, message_id, entity_ref, indexed_at)
         SELECT k.key, k.case_reference, k.agency, k.kind, k.strength, k.extracted, k.message_id, k.entity_ref, $9
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::boolean[], $7::uuid[], $8::text[])
                AS k(key, case_reference, agency, kind, strength, extracted, message_id, entity_ref)
         ON CONFLICT DO NOTHING RETURNING key`,
        [
          rows.map((r) => r.key.key),
          rows.map((r) => r.message.holder.caseReference),
          rows.map((r) => r.message.holder.agency),
          rows.map((r) => r.key.kind),
          rows.map((r) => r.key.strength),
          rows.map((r) => r.key.extracted),
          rows.map((r) => r.message.messageId),
          rows.map((r) => r.key.ref ?? null),
          now,
        ],
      );
      // Only keys that some case holds for the first time: a repeated key rewrites nothing.
      const counted = keys.filter((key) => states.get(key)!.caseCount !== countsBefore.get(key));
      if (counted.length > 0) {
        await manager.query(
          `INSERT INTO match_key_stats (key, case_count, over_correlated_at)
           SELECT s.key, s.case_count, CASE WHEN s.over THEN $4::timestamptz END FROM unnest($1::text[], $2::int[], $3::boolean[]) AS s(key, case_count, over)
           ON CONFLICT (key) DO UPDATE SET case_count = EXCLUDED.case_count,
             over_correlated_at = COALESCE(match_key_stats.over_correlated_at, EXCLUDED.over_correlated_at)`,
          [counted, counted.map((k) => states.get(k)!.caseCount), counted.map((k) => states.get(k)!.caseCount > cap), now],
        );
      }
      const stored = await this.storeMatches(manager, matches, now);
      return { indexed: inserted.length, matches: stored, overCorrelated: [...overCorrelated] };
    });
  }

  /** Matches made by these messages that have not been published yet (all of them, after a failure). */
  async unannounced(messageIds: string[]): Promise<StoredMatch[]> {
    const rows: { id: string; key: string; kind: string; strength: MatchStrength; case_a: string; agency_a: string; case_b: string; agency_b: string; message_id: string; found_at: Date }[] =
      await this.dataSource.query(
        `SELECT id, key, kind, strength, case_a, agency_a, case_b, agency_b, message_id, found_at
           FROM matches WHERE message_id = ANY($1::uuid[]) AND announced_at IS NULL ORDER BY found_at, id`,
        [messageIds],
      );
    return rows.map((r) => ({
      id: r.id,
      key: r.key,
      kind: r.kind,
      strength: r.strength,
      a: { caseReference: r.case_a, agency: r.agency_a },
      b: { caseReference: r.case_b, agency: r.agency_b },
      messageId: r.message_id,
      foundAt: r.found_at,
    }));
  }

  async markAnnounced(matchIds: string[], at: Date): Promise<void> {
    if (matchIds.length > 0) await this.dataSource.query('UPDATE matches SET announced_at = $2 WHERE id = ANY($1::uuid[])', [matchIds, at]);
  }

  /**
   * Each key's case count, exclusion and holders. All holders are read only while a key can still match;
   * of a key past the cap or excluded, only the batch's own cases are read, to know whether they already held it.
   */
  private async states(manager: EntityManager, keys: string[], cases: string[], cap: number): Promise<Map<string, KeyState>> {
    const stats: { key: string; case_count: number; excluded: boolean }[] = await manager.query(
      `SELECT k.key, COALESCE(s.case_count, 0) AS case_count, (x.key IS NOT NULL) AS excluded
         FROM unnest($1::text[]) AS k(key)
         LEFT JOIN match_key_stats s ON s.key = k.key
         LEFT JOIN match_key_exclusions x ON x.key = k.key`,
      [keys],
    );
    const states = new Map<string, KeyState>(stats.map((s) => [s.key, { holders: [], caseCount: s.case_count, excluded: s.excluded }]));
    const held = stats.filter((s) => s.case_count > 0);
    if (held.length > 0) {
      const live = held.filter((s) => !s.excluded && s.case_count <= cap).map((s) => s.key);
      const holders: { key: string; case_reference: string; agency: string }[] = await manager.query(
        'SELECT key, case_reference, agency FROM match_keys WHERE key = ANY($1::text[]) AND (key = ANY($2::text[]) OR case_reference = ANY($3::text[]))',
        [held.map((s) => s.key), live, cases],
      );
      for (const h of holders) states.get(h.key)!.holders.push({ caseReference: h.case_reference, agency: h.agency });
    }
    return states;
  }

  /** Candidate pairs someone dismissed that involve any of these cases. */
  private async dismissedPairs(manager: EntityManager, cases: string[]): Promise<Set<string>> {
    const rows: { case_a: string; case_b: string }[] = await manager.query(
      `SELECT case_a, case_b FROM matches WHERE candidate_state = 'dismissed' AND (case_a = ANY($1::text[]) OR case_b = ANY($1::text[]))`,
      [cases],
    );
    return new Set(rows.map((r) => pairId(r.case_a, r.case_b)));
  }

  private async storeMatches(manager: EntityManager, matches: StoredMatch[], now: Date): Promise<StoredMatch[]> {
    if (matches.length === 0) return [];
    const inserted: { id: string }[] = await manager.query(
      `INSERT INTO matches (id, key, kind, strength, case_a, agency_a, case_b, agency_b, message_id, found_at, candidate_state)
       SELECT m.id, m.key, m.kind, m.strength, m.case_a, m.agency_a, m.case_b, m.agency_b, m.message_id, $10,
              CASE WHEN m.strength = 'candidate' THEN 'suggested' END
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::uuid[])
              AS m(id, key, kind, strength, case_a, agency_a, case_b, agency_b, message_id)
       ON CONFLICT ON CONSTRAINT uq_matches_pair_key DO NOTHING RETURNING id`,
      [
        matches.map((m) => m.id),
        matches.map((m) => m.key),
        matches.map((m) => m.kind),
        matches.map((m) => m.strength),
        matches.map((m) => m.a.caseReference),
        matches.map((m) => m.a.agency),
        matches.map((m) => m.b.caseReference),
        matches.map((m) => m.b.agency),
        matches.map((m) => m.messageId),
        now,
      ],
    );
    const ids = new Set(inserted.map((r) => r.id));
    return matches.filter((m) => ids.has(m.id));
  }
}
