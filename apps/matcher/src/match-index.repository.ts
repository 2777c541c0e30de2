import {
  keyOutcome,
  matchIdentity,
  pairId,
  withoutRedundantCandidates,
  type KeyHolder,
  type KeyState,
  type MatchKey,
  type MatchKeyKind,
  type MatchStrength,
  type NewMatch,
} from '@liaison/domain';
import { CaseKeys, openMessageRows, usableKey, type SealedMessageRow } from '@liaison/protection';
import { Injectable } from '@nestjs/common';
import { timeOrderedId } from '@liaison/persistence';
import type { PoolClient, QueryResultRow } from 'pg';
import { DataSource } from 'typeorm';

/** A match key as the index holds it: blind, with the key in clear sealed under the holding case's key. */
export type IndexedKey = MatchKey & { sealedValue: Buffer };

/** One routed message's keys, held by its case on behalf of its sender (the data owner). */
export interface IndexedMessage {
  messageId: string;
  holder: KeyHolder;
  keys: IndexedKey[];
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
  /** The case's data key, which seals the message's keys in clear beside their blind form. */
  caseKey: Buffer;
}

const CONTENT_SELECT = `SELECT m.id, m.case_reference, m.sender_agency, a.country, m.content
                          FROM messages m JOIN agencies a ON a.code = m.sender_agency`;

interface ContentRow extends SealedMessageRow {
  sender_agency: string;
  country: string;
}

export const MATCH_COLUMNS = 'id, key, kind, strength, case_a, agency_a, case_b, agency_b, message_id, found_at';

export interface MatchRow {
  id: string;
  key: string;
  kind: string;
  strength: MatchStrength;
  case_a: string;
  agency_a: string;
  case_b: string;
  agency_b: string;
  message_id: string;
  found_at: Date;
}

export function storedMatch(r: MatchRow): StoredMatch {
  return {
    id: r.id,
    key: r.key,
    kind: r.kind,
    strength: r.strength,
    a: { caseReference: r.case_a, agency: r.agency_a },
    b: { caseReference: r.case_b, agency: r.agency_b },
    messageId: r.message_id,
    foundAt: r.found_at,
  };
}

/**
 * The holdings of a batch as statement parameters $1 to $8, read back by `HOLDINGS` as rows `k` (key, extracted,
 * entity_ref, sealed_value) joined to their message's row `m` (case_reference, agency, message_id, and `n`, its
 * place in the batch from 1): the holder is sent once per message, not once per key.
 */
export function holdingParameters(messages: IndexedMessage[]): { params: unknown[]; keys: number } {
  const keys: string[] = [];
  const extracted: boolean[] = [];
  const refs: (string | null)[] = [];
  const of: number[] = [];
  const sealed: Buffer[] = [];
  messages.forEach((message, n) => {
    for (const key of message.keys) {
      keys.push(key.key);
      sealed.push(key.sealedValue);
      extracted.push(key.extracted);
      refs.push(key.ref ?? null);
      of.push(n + 1);
    }
  });
  return {
    params: [
      keys,
      extracted,
      refs,
      of,
      messages.map((m) => m.holder.caseReference),
      messages.map((m) => m.holder.agency),
      messages.map((m) => m.messageId),
      sealed,
    ],
    keys: keys.length,
  };
}

/**
 * The keys of the cases named by `references`, each row held (FOR SHARE) until the statement's transaction ends:
 * an erasure destroying one of these keys waits for the write and then deletes what it wrote, or has already
 * committed, and then the write leaves the erased case out.
 */
const KEYED_CASES = (references: string) => `keyed AS MATERIALIZED (
    SELECT case_reference, erased_at IS NOT NULL AS erased FROM case_keys
     WHERE case_reference = ANY(${references}) ORDER BY case_reference FOR SHARE)`;

export const HOLDINGS = `unnest($1::text[], $2::boolean[], $3::text[], $4::int[], $8::bytea[]) AS k(key, extracted, entity_ref, message, sealed_value)
           JOIN unnest($5::text[], $6::text[], $7::uuid[]) WITH ORDINALITY AS m(case_reference, agency, message_id, n) ON m.n = k.message`;

/**
 * The matcher's state in PostgreSQL: the entity index, keys past the cap, exclusions and matches. A batch is
 * written before it is read: its holdings are committed first, then every key's state is read and the
 * matches stored. Of two batches adding one key for different cases at the same moment, the one whose read
 * comes last finds the other's holding, whatever their order, so no lock is needed and batches of different
 * partitions or replicas never wait for each other. Everything written is idempotent (a holding, a match per
 * key and pair, a key's mark past the cap), so a batch replayed after a crash between the two steps finds
 * what it had not stored yet.
 */
@Injectable()
export class MatchIndexRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keys: CaseKeys,
  ) {}

  /** The rows' content, opened; a message of a case erased meanwhile is left out (there is nothing to index). */
  private async opened(rows: ContentRow[]): Promise<MessageContent[]> {
    const opened = await openMessageRows(this.keys, this.dataSource, rows, { skipErased: true });
    // Read from memory: openMessageRows has just read them.
    const keys = await this.keys.keysOf(
      this.dataSource,
      opened.map((row) => row.case_reference),
    );
    return opened
      .filter((row) => keys.get(row.case_reference) !== 'erased')
      .map((row) => ({
        caseKey: usableKey(keys, row.case_reference),
        id: row.id,
        caseReference: row.case_reference,
        senderAgency: row.sender_agency,
        senderCountry: row.country,
        subject: row.text.subject,
        body: row.text.body,
        entities: row.text.entities as unknown as Record<string, unknown>[],
      }));
  }

  async contents(messageIds: string[]): Promise<MessageContent[]> {
    return this.opened(await this.dataSource.query(`${CONTENT_SELECT} WHERE m.id = ANY($1::uuid[])`, [messageIds]));
  }

  /**
   * Every stored message, in the order it was routed, a page at a time: read through one cursor (one sort of the
   * store, one read transaction while the pages are taken).
   */
  async *everyMessage(page: number): AsyncIterable<MessageContent[]> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction('REPEATABLE READ');
    try {
      await runner.query(`DECLARE every_message NO SCROLL CURSOR FOR ${CONTENT_SELECT} ORDER BY m.routed_at, m.id`);
      for (;;) {
        const rows = (await runner.query(`FETCH ${page} FROM every_message`)) as ContentRow[];
        if (rows.length > 0) yield await this.opened(rows);
        if (rows.length < page) break;
      }
      await runner.commitTransaction();
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
    }
  }

  async index(messages: IndexedMessage[], cap: number, now: Date): Promise<IndexOutcome> {
    const indexed = await this.hold(messages, now);
    const keys = new Set<string>();
    for (const message of messages) for (const key of message.keys) keys.add(key.key);
    if (keys.size === 0) return { indexed, matches: [], overCorrelated: [] };
    const { states, dismissed } = await this.states(messages, [...keys]);
    // A restricted case's holdings are kept, but link nothing (nor are they found by others: see `states`).
    const restricted = await this.restricted(messages.map((m) => m.holder.caseReference));

    const proposed = new Map<string, StoredMatch>();
    const passedCap = new Set<string>();
    const at = now.getTime();
    for (const message of messages) {
      if (restricted.has(message.holder.caseReference)) continue;
      const found: (NewMatch & { kind: MatchKeyKind })[] = [];
      for (const key of message.keys) {
        const state = states.get(key.key);
        if (state === undefined) continue; // held by this batch alone: links nothing
        const outcome = keyOutcome(key, message.holder, state, cap, dismissed);
        if (outcome.kind === 'over-correlated' && outcome.passedCap) passedCap.add(key.key);
        if (outcome.kind === 'matches')
          for (const m of outcome.matches)
            found.push({ key: m.key, strength: m.strength, a: m.a, b: m.b, kind: key.kind });
      }
      // A pair proposed by two messages of the batch is one match, credited to the first.
      for (const match of withoutRedundantCandidates(found)) {
        const id = matchIdentity(match);
        if (!proposed.has(id))
          proposed.set(id, { ...match, id: timeOrderedId(at), messageId: message.messageId, foundAt: now });
      }
    }
    const stored = await this.storeMatches([...proposed.values()], now);
    const overCorrelated = await this.markOverCorrelated([...passedCap], now);
    return { indexed, matches: stored, overCorrelated };
  }

  /** The cases among these whose processing is restricted. */
  private async restricted(references: string[]): Promise<Set<string>> {
    const rows: { case_reference: string }[] = await this.dataSource.query(
      'SELECT case_reference FROM case_restrictions WHERE case_reference = ANY($1::text[])',
      [[...new Set(references)]],
    );
    return new Set(rows.map((row) => row.case_reference));
  }

  /** Matches made by these messages that have not been published yet (all of them, after a failure). */
  async unannounced(messageIds: string[]): Promise<StoredMatch[]> {
    const rows: MatchRow[] = await this.dataSource.query(
      `SELECT ${MATCH_COLUMNS} FROM matches WHERE message_id = ANY($1::uuid[]) AND announced_at IS NULL ORDER BY found_at, id`,
      [messageIds],
    );
    return rows.map(storedMatch);
  }

  /** Up to `limit` matches of any message not published yet, in id order after `after`: page by page, every one. */
  async unannouncedAfter(after: string, limit: number): Promise<StoredMatch[]> {
    const rows: MatchRow[] = await this.dataSource.query(
      `SELECT ${MATCH_COLUMNS} FROM matches WHERE id > $1 AND announced_at IS NULL ORDER BY id LIMIT $2`,
      [after, limit],
    );
    return rows.map(storedMatch);
  }

  async markAnnounced(matchIds: string[], at: Date): Promise<void> {
    if (matchIds.length > 0)
      await this.dataSource.query('UPDATE matches SET announced_at = $2 WHERE id = ANY($1::uuid[])', [matchIds, at]);
  }

  /**
   * Writes every holding of the batch (a case and agency holding a key once, from its first message), in one
   * statement that commits before any state is read. Returns how many rows were new.
   */
  private async hold(messages: IndexedMessage[], now: Date): Promise<number> {
    const { params, keys } = holdingParameters(messages);
    if (keys === 0) return 0;
    // Written in index order: neighbouring entries together, and rows two batches share (a case and agency
    // repeating a key) taken in one order by both, so they wait for each other, never in a circle. The holder of
    // each key is its message's, sent once per message.
    const { rowCount } = await this.prepared(
      'match-keys-hold',
      `WITH ${KEYED_CASES('$5::text[]')}
       INSERT INTO match_keys (key_hash, key, case_reference, agency, extracted, message_id, entity_ref, indexed_at, sealed_value)
       SELECT hashtextextended(k.key, 0), k.key, m.case_reference, m.agency, k.extracted, m.message_id, k.entity_ref, $9, k.sealed_value
         FROM ${HOLDINGS}
        WHERE NOT EXISTS (SELECT 1 FROM keyed WHERE keyed.case_reference = m.case_reference AND keyed.erased)
        ORDER BY 1, 3, 4
       ON CONFLICT DO NOTHING`,
      [...params, now],
    );
    return rowCount;
  }

  /**
   * Each key's exclusion, mark past the cap and, for a key that can still match, every holder: one statement,
   * one index look-up per key (a sub-query per key, so the plan stays the same however large the index grows),
   * the keys in index order, each key's holders by case and agency (the index's own order), so a case held by
   * two agencies is always matched through the same one. A key with one holder is held by the batch alone (its
   * holdings are written) and links nothing, so it is not sent back: it reads as held by no other case. With the
   * holders of a candidate key come the batch's cases that someone dismissed as a candidate pair with them.
   */
  private async states(
    messages: IndexedMessage[],
    keys: string[],
  ): Promise<{ states: Map<string, KeyState>; dismissed: Set<string> }> {
    const cases = [...new Set(messages.map((m) => m.holder.caseReference))];
    const candidates = [
      ...new Set(messages.flatMap((m) => m.keys.filter((k) => k.strength === 'candidate').map((k) => k.key))),
    ];
    const { rows } = await this.prepared<{
      key: string;
      excluded: boolean;
      over: boolean;
      case_reference: string | null;
      agency: string | null;
      dismissed_with: string[] | null;
    }>(
      'match-key-states',
      `SELECT k.key, (x.key IS NOT NULL) AS excluded, (o.key IS NOT NULL) AS over, h.case_reference, h.agency,
              CASE WHEN h.case_reference IS NOT NULL AND k.key = ANY($3::text[]) THEN ARRAY(
                SELECT CASE WHEN d.case_a = h.case_reference THEN d.case_b ELSE d.case_a END FROM matches d
                 WHERE d.candidate_state = 'dismissed'
                   AND ((d.case_a = h.case_reference AND d.case_b = ANY($2::text[])) OR (d.case_b = h.case_reference AND d.case_a = ANY($2::text[])))) END AS dismissed_with
         FROM (SELECT u.key FROM unnest($1::text[]) AS u(key) ORDER BY hashtextextended(u.key, 0)) AS k
         LEFT JOIN match_key_exclusions x ON x.key = k.key
         LEFT JOIN match_keys_over_correlated o ON o.key = k.key
         LEFT JOIN LATERAL (SELECT m.case_reference, m.agency, count(*) OVER () AS holders FROM match_keys m
                             WHERE m.key_hash = hashtextextended(k.key, 0) AND m.key = k.key AND x.key IS NULL AND o.key IS NULL
                               AND NOT EXISTS (SELECT 1 FROM case_restrictions r WHERE r.case_reference = m.case_reference)
                             ORDER BY m.case_reference, m.agency OFFSET 0) AS h ON true
        WHERE h.holders IS NULL OR h.holders > 1`,
      [keys, cases, candidates],
    );
    const states = new Map<string, KeyState>();
    const dismissed = new Set<string>();
    for (const row of rows) {
      let state = states.get(row.key);
      if (!state) states.set(row.key, (state = { holders: [], excluded: row.excluded, overCorrelated: row.over }));
      if (row.case_reference === null || row.agency === null) continue;
      state.holders.push({ caseReference: row.case_reference, agency: row.agency });
      for (const other of row.dismissed_with ?? []) dismissed.add(pairId(row.case_reference, other));
    }
    return { states, dismissed };
  }

  /** Runs one of the index's frequent statements prepared: parsed and planned once per connection, not per batch. */
  private async prepared<R>(name: string, text: string, values: unknown[]): Promise<{ rows: R[]; rowCount: number }> {
    const runner = this.dataSource.createQueryRunner();
    try {
      const client = (await runner.connect()) as PoolClient;
      const result = await client.query<R & QueryResultRow>({ name, text, values });
      return { rows: result.rows, rowCount: result.rowCount ?? 0 };
    } finally {
      await runner.release();
    }
  }

  /** Marks keys found past the cap; returns those this call marked (each is reported once). */
  async markOverCorrelated(keys: string[], now: Date): Promise<string[]> {
    if (keys.length === 0) return [];
    const marked: { key: string }[] = await this.dataSource.query(
      'INSERT INTO match_keys_over_correlated (key, over_correlated_at) SELECT k, $2 FROM unnest($1::text[]) AS k ORDER BY k ON CONFLICT DO NOTHING RETURNING key',
      [keys, now],
    );
    return marked.map((r) => r.key);
  }

  /** Stores matches not stored yet (one per key and pair); returns those this call stored. */
  async storeMatches(matches: StoredMatch[], now: Date): Promise<StoredMatch[]> {
    if (matches.length === 0) return [];
    const { rows: inserted } = await this.prepared<{ id: string }>(
      'matches-store',
      `WITH ${KEYED_CASES('$5::text[] || $7::text[]')}
       INSERT INTO matches (id, key, kind, strength, case_a, agency_a, case_b, agency_b, message_id, found_at, candidate_state)
       SELECT m.id, m.key, m.kind, m.strength, m.case_a, m.agency_a, m.case_b, m.agency_b, m.message_id, $10,
              CASE WHEN m.strength = 'candidate' THEN 'suggested' END
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::uuid[])
              AS m(id, key, kind, strength, case_a, agency_a, case_b, agency_b, message_id)
        WHERE NOT EXISTS (SELECT 1 FROM keyed WHERE keyed.case_reference IN (m.case_a, m.case_b) AND keyed.erased)
        ORDER BY m.key, m.case_a, m.agency_a, m.case_b, m.agency_b
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
