import {
  KEY_STRENGTH,
  keyOutcome,
  matchIdentity,
  matchKeyKind,
  pairId,
  withoutRedundantCandidates,
  type KeyHolder,
  type KeyState,
  type MatchKeyKind,
  type MatchStrength,
  type NewMatch,
} from '@liaison/domain';
import { timeOrderedId } from '@liaison/persistence';
import { Injectable } from '@nestjs/common';
import { DataSource, type QueryRunner } from 'typeorm';
import {
  HOLDINGS,
  holdingParameters,
  MatchIndexRepository,
  type IndexedMessage,
  type StoredMatch,
} from './match-index.repository';

export interface RebuildOutcome {
  /** Holdings in the rebuilt index. */
  keys: number;
  /** Matches stored that were not stored before. */
  matches: number;
  /** Keys marked past the cap that were not marked before. */
  overCorrelated: number;
}

/** Holdings written to the staging table by one statement, and at most this many statements at once. */
const STAGE_IN_FLIGHT = 2;
/** Holdings of shared keys read back at a time. */
const FETCH_ROWS = 50_000;
/** Matches written by one statement, and at most this many statements at once. */
const STORE_MATCHES = 20_000;
const STORE_IN_FLIGHT = 2;

interface Holding {
  seq: number;
  holder: KeyHolder;
  messageId: string;
}

type Proposal = NewMatch & { kind: MatchKeyKind; seq: number; messageId: string };

/**
 * Builds the whole match index in bulk from messages given in the order they were routed, and finds the
 * matches they make: what the matcher would find taking them one at a time, at a fraction of the cost.
 *
 * Every holding is first appended to an unlogged staging table with no index. Two things are then read from it
 * at the same time: the new index, written in one statement sorted by its primary key (each case and agency
 * keeping its first holding of a key), its primary key built after; and the holdings of keys held by two cases
 * or more, in routing order, each key replayed through the same rule as the live matcher (`keyOutcome`,
 * `withoutRedundantCandidates`) against the exclusions, the keys already past the cap and the candidates already
 * dismissed. Matches and decisions already stored are kept: a match is stored only if its key and pair have none.
 *
 * The new index replaces the old one in a short transaction that also carries over the holdings the running
 * matcher wrote meanwhile; a batch the matcher was writing at that moment fails and is retried, as any batch is.
 */
@Injectable()
export class MatchIndexBuilder {
  constructor(
    private readonly dataSource: DataSource,
    private readonly index: MatchIndexRepository,
  ) {}

  async rebuild(batches: AsyncIterable<IndexedMessage[]>, cap: number, now: Date): Promise<RebuildOutcome> {
    const [{ started }]: { started: Date }[] = await this.dataSource.query('SELECT now() AS started');
    await this.stage(batches);
    // The new index and the matches are both written from the staging table, at once.
    const [keys, { matches, overCorrelated }] = await Promise.all([this.writeIndex(now), this.match(cap, now)]);
    await this.swap(started);
    await this.dataSource.query('DROP TABLE IF EXISTS match_keys_staged');
    return { keys, matches, overCorrelated };
  }

  /** Appends every holding to the staging table, in routing order (`seq`), a few statements at a time. */
  private async stage(batches: AsyncIterable<IndexedMessage[]>): Promise<void> {
    await this.dataSource.query('DROP TABLE IF EXISTS match_keys_staged');
    await this.dataSource.query(
      `CREATE UNLOGGED TABLE match_keys_staged (seq integer NOT NULL, key text NOT NULL, case_reference text NOT NULL, agency text NOT NULL,
                                                extracted boolean NOT NULL, message_id uuid NOT NULL, entity_ref text, sealed_value bytea NOT NULL)`,
    );
    let seq = 0;
    const inFlight = new Set<Promise<unknown>>();
    for await (const batch of batches) {
      const { params } = holdingParameters(batch);
      const statement = this.dataSource.query(
        `INSERT INTO match_keys_staged (seq, key, case_reference, agency, extracted, message_id, entity_ref, sealed_value)
         SELECT $9 + m.n, k.key, m.case_reference, m.agency, k.extracted, m.message_id, k.entity_ref, k.sealed_value FROM ${HOLDINGS}`,
        [...params, seq],
      );
      seq += batch.length;
      const tracked: Promise<unknown> = statement.finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
      if (inFlight.size >= STAGE_IN_FLIGHT) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  }

  /**
   * Writes the new index in primary-key order, each case and agency keeping its first holding of a key, then
   * builds its primary key from the sorted rows in one pass.
   */
  private async writeIndex(now: Date): Promise<number> {
    await this.dataSource.query('DROP TABLE IF EXISTS match_keys_rebuilt');
    await this.dataSource.query(
      'CREATE TABLE match_keys_rebuilt (LIKE match_keys INCLUDING DEFAULTS INCLUDING CONSTRAINTS)',
    );
    return this.inTransaction(async (runner) => {
      await runner.query("SET LOCAL work_mem = '512MB'");
      await runner.query("SET LOCAL maintenance_work_mem = '1GB'");
      const result = (await runner.query(
        `INSERT INTO match_keys_rebuilt (key_hash, key, case_reference, agency, extracted, message_id, entity_ref, indexed_at, sealed_value)
         SELECT DISTINCT ON (1, case_reference, agency) hashtextextended(key, 0), key, case_reference, agency, extracted, message_id, entity_ref, $1::timestamptz, sealed_value
           FROM match_keys_staged ORDER BY 1, case_reference, agency, seq`,
        [now],
        true,
      )) as { affected?: number };
      await runner.query(
        'ALTER TABLE match_keys_rebuilt ADD CONSTRAINT match_keys_rebuilt_pkey PRIMARY KEY (key_hash, case_reference, agency)',
      );
      return result.affected ?? 0;
    });
  }

  /** Replays every key held by two cases or more, in routing order, and stores what it links. */
  private async match(cap: number, now: Date): Promise<{ matches: number; overCorrelated: number }> {
    const excluded = new Set(
      (await this.dataSource.query<{ key: string }[]>('SELECT key FROM match_key_exclusions')).map((r) => r.key),
    );
    const alreadyOver = new Set(
      (await this.dataSource.query<{ key: string }[]>('SELECT key FROM match_keys_over_correlated')).map((r) => r.key),
    );
    const dismissed = new Set(
      (
        await this.dataSource.query<{ case_a: string; case_b: string }[]>(
          `SELECT case_a, case_b FROM matches WHERE candidate_state = 'dismissed'`,
        )
      ).map((r) => pairId(r.case_a, r.case_b)),
    );
    let matches = 0;
    const passedCap: string[] = [];
    const candidates: Proposal[] = [];
    // Matches are written a chunk at a time while the next keys are replayed, a few chunks at once.
    const writing = new Set<Promise<void>>();
    const store = async (proposals: Proposal[]): Promise<void> => {
      for (let i = 0; i < proposals.length; i += STORE_MATCHES) {
        const chunk: StoredMatch[] = proposals.slice(i, i + STORE_MATCHES).map((p) => ({
          key: p.key,
          strength: p.strength,
          a: p.a,
          b: p.b,
          kind: p.kind,
          id: timeOrderedId(now.getTime()),
          messageId: p.messageId,
          foundAt: now,
        }));
        if (writing.size >= STORE_IN_FLIGHT) await Promise.race(writing);
        const write: Promise<void> = this.index.storeMatches(chunk, now).then((stored) => {
          matches += stored.length;
          writing.delete(write);
        });
        write.catch(() => undefined); // its failure is thrown where it is awaited
        writing.add(write);
      }
    };

    await this.inTransaction(async (runner) => {
      await runner.query("SET LOCAL work_mem = '512MB'");
      // Keys held by two cases or more (by hash, so hashed once and grouped in memory), then their holdings.
      await runner.query(
        `DECLARE shared_holdings NO SCROLL CURSOR FOR
         SELECT s.key, s.seq, s.case_reference, s.agency, s.message_id
           FROM match_keys_staged s
           JOIN (SELECT hashtextextended(key, 0) AS key_hash FROM match_keys_staged GROUP BY 1 HAVING min(case_reference) <> max(case_reference)) AS shared
             ON shared.key_hash = hashtextextended(s.key, 0)
          -- A restricted case takes no part in matching: its holdings are kept, but link nothing.
          WHERE NOT EXISTS (SELECT 1 FROM case_restrictions r WHERE r.case_reference = s.case_reference)
          ORDER BY s.key, s.seq`,
      );
      let key: string | null = null;
      let holdings: Holding[] = [];
      const replay = (): void => {
        if (key === null) return;
        const outcome = this.replayKey(key, holdings, cap, excluded.has(key), alreadyOver.has(key), dismissed);
        if (outcome.passedCap) passedCap.push(key);
        // Strong keys are stored as they come; candidates wait, as one message's name and sound keys are judged together.
        for (const proposal of outcome.proposals)
          (proposal.strength === 'candidate' ? candidates : strong).push(proposal);
      };
      let strong: Proposal[] = [];
      for (;;) {
        const rows = (await runner.query(`FETCH ${FETCH_ROWS} FROM shared_holdings`)) as {
          key: string;
          seq: number;
          case_reference: string;
          agency: string;
          message_id: string;
        }[];
        for (const row of rows) {
          if (row.key !== key) {
            replay();
            key = row.key;
            holdings = [];
          }
          holdings.push({
            seq: row.seq,
            holder: { caseReference: row.case_reference, agency: row.agency },
            messageId: row.message_id,
          });
        }
        if (rows.length < FETCH_ROWS) break;
        if (strong.length >= STORE_MATCHES) {
          await store(strong);
          strong = [];
        }
      }
      replay();
      await store(strong);
    });

    await store(this.withoutRedundantCandidates(candidates));
    await Promise.all(writing);
    const overCorrelated = (await this.index.markOverCorrelated(passedCap, now)).length;
    return { matches, overCorrelated };
  }

  /**
   * One key's holdings in routing order, taken one at a time as the live matcher takes them: each sees every
   * holder so far (its own included), and a pair proposed again later is the same match.
   */
  private replayKey(
    key: string,
    holdings: Holding[],
    cap: number,
    excluded: boolean,
    over: boolean,
    dismissed: ReadonlySet<string>,
  ): { proposals: Proposal[]; passedCap: boolean } {
    const kind = matchKeyKind(key);
    if (kind === null) return { proposals: [], passedCap: false }; // not a key this version derives
    const strength: MatchStrength = KEY_STRENGTH[kind];
    const matchKey = { key, kind, strength, extracted: false };
    // Held as the index returns holders: by case, then agency.
    const state: KeyState = { holders: [], excluded, overCorrelated: over };
    const proposals: Proposal[] = [];
    const proposed = new Set<string>();
    let passedCap = false;
    for (const holding of holdings) {
      const at = state.holders.findIndex(
        (h) =>
          h.caseReference > holding.holder.caseReference ||
          (h.caseReference === holding.holder.caseReference && h.agency >= holding.holder.agency),
      );
      const same =
        at >= 0 &&
        state.holders[at].caseReference === holding.holder.caseReference &&
        state.holders[at].agency === holding.holder.agency;
      if (!same) state.holders.splice(at < 0 ? state.holders.length : at, 0, holding.holder);
      const outcome = keyOutcome(matchKey, holding.holder, state, cap, dismissed);
      if (outcome.kind === 'over-correlated' && outcome.passedCap) {
        passedCap = true;
        state.overCorrelated = true;
      }
      if (outcome.kind !== 'matches') continue;
      for (const m of outcome.matches) {
        // A candidate proposed again by a later message is kept for now: the first that survives the rule below is stored.
        const id = matchIdentity(m);
        if (strength === 'strong' && proposed.has(id)) continue;
        proposed.add(id);
        proposals.push({ key, strength, a: m.a, b: m.b, kind, seq: holding.seq, messageId: holding.messageId });
      }
    }
    return { proposals, passedCap };
  }

  /** Each message's candidates judged together, as the live matcher judges them; then one per key and pair, the first. */
  private withoutRedundantCandidates(candidates: Proposal[]): Proposal[] {
    const byMessage = new Map<number, Proposal[]>();
    for (const proposal of candidates) {
      const of = byMessage.get(proposal.seq);
      if (of) of.push(proposal);
      else byMessage.set(proposal.seq, [proposal]);
    }
    const kept: Proposal[] = [];
    for (const seq of [...byMessage.keys()].sort((x, y) => x - y))
      kept.push(...withoutRedundantCandidates(byMessage.get(seq)!));
    const seen = new Set<string>();
    return kept.filter((p) => {
      const id = matchIdentity(p);
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
  }

  /**
   * Replaces the index with the new one, with every holding the running matcher wrote since the rebuild began
   * (a minute's margin for clocks; a holding already there is kept).
   */
  private async swap(started: Date): Promise<void> {
    await this.inTransaction(async (runner) => {
      await runner.query('LOCK TABLE match_keys IN EXCLUSIVE MODE');
      await runner.query(
        `INSERT INTO match_keys_rebuilt SELECT * FROM match_keys WHERE indexed_at >= $1::timestamptz - interval '1 minute' ON CONFLICT DO NOTHING`,
        [started],
      );
      const primaryKey = async (table: string): Promise<string> =>
        (
          (await runner.query(`SELECT conname FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'p'`, [
            table,
          ])) as { conname: string }[]
        )[0].conname;
      const name = await primaryKey('match_keys');
      const rebuilt = await primaryKey('match_keys_rebuilt');
      await runner.query('DROP TABLE match_keys');
      await runner.query('ALTER TABLE match_keys_rebuilt RENAME TO match_keys');
      await runner.query(`ALTER TABLE match_keys RENAME CONSTRAINT "${rebuilt}" TO "${name}"`);
    });
    await this.dataSource.query('ANALYZE match_keys');
  }

  private async inTransaction<T>(work: (runner: QueryRunner) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      // Statements over the whole index take longer than the short ones the usual time limit is set for.
      await runner.query('SET LOCAL statement_timeout = 0');
      const result = await work(runner);
      await runner.commitTransaction();
      return result;
    } catch (error) {
      await runner.rollbackTransaction();
      throw error;
    } finally {
      await runner.release();
    }
  }
}
