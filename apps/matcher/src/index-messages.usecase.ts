import { MetricDefinitions, Metrics } from '@liaison/observability';
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { derivedEventId, MatchFoundSchema, MatchSideSchema, matchStrengthCodec, Topics } from '@liaison/contracts';
import { KEY_ENTITY_TYPE, messageMatchKeys, type MatchKey, type MatchKeyKind } from '@liaison/domain';
import { MatchKeyBlinder, sealMatchValue } from '@liaison/protection';
import { SERVICE_CONFIG } from '@liaison/runtime';
import { EventPublisher } from '@liaison/messaging';
import { Inject, Injectable, Optional } from '@nestjs/common';
import {
  MatchIndexRepository,
  type IndexedKey,
  type IndexedMessage,
  type IndexOutcome,
  type MessageContent,
  type StoredMatch,
} from './match-index.repository';
import type { MatcherConfig } from './matcher.config';

/** Messages written and read together (about five keys each): keeps every statement of a large batch small. */
export const INDEX_CHUNK_MESSAGES = 500;

/**
 * A message's keys, derived by today's rules, held by its case on behalf of its sender: each blind, with the key
 * in clear sealed under the case's key.
 */
export function indexedMessage(content: MessageContent, blinder: MatchKeyBlinder): IndexedMessage {
  return {
    messageId: content.id,
    holder: { caseReference: content.caseReference, agency: content.senderAgency },
    keys: indexedKeys(
      messageMatchKeys(content.entities, `${content.subject}\n${content.body}`, content.senderCountry),
      blinder,
      content.caseKey,
      content.caseReference,
    ),
  };
}

/** Keys as the index holds them: each blind, with the key in clear sealed under the holding case's key. */
export function indexedKeys(
  keys: MatchKey[],
  blinder: MatchKeyBlinder,
  caseKey: Buffer,
  caseReference: string,
): IndexedKey[] {
  return keys.map((key) => {
    const blind = blinder.blind(key.key);
    return { ...key, key: blind, sealedValue: sealMatchValue(caseKey, caseReference, blind, key.key) };
  });
}

/**
 * Indexes routed messages: reads each message's entities and text, derives its match keys (the sender's
 * country as the phone hint) and adds them to the index for its case on behalf of its sender, recording every
 * other case that shares a key. Then every match these messages made that has not been announced yet is
 * published as MatchFound (so a publish that failed is made again when the batch is redelivered) and marked.
 */
@Injectable()
export class IndexMessagesUseCase {
  constructor(
    private readonly index: MatchIndexRepository,
    private readonly publisher: EventPublisher,
    private readonly blinder: MatchKeyBlinder,
    @Inject(SERVICE_CONFIG) private readonly config: MatcherConfig,
    /** Absent in a rebuild, which makes no new matches to count. */
    @Optional() private readonly metrics?: Metrics,
  ) {}

  async execute(messageIds: string[], now = new Date()): Promise<IndexOutcome> {
    const contents = await this.index.contents([...new Set(messageIds)]);
    // Kept in the order they were routed, so that matches are found in the same order on a replay.
    const order = new Map(messageIds.map((id, i) => [id, i]));
    contents.sort((x, y) => order.get(x.id)! - order.get(y.id)!);
    return this.indexMessages(
      contents.map((content) => this.indexed(content)),
      now,
    );
  }

  /** Indexes messages whose keys are already derived (in the order given), and announces the matches they made. */
  async indexMessages(messages: IndexedMessage[], now = new Date()): Promise<IndexOutcome> {
    const outcome: IndexOutcome = { indexed: 0, matches: [], overCorrelated: [] };
    for (let i = 0; i < messages.length; i += INDEX_CHUNK_MESSAGES) {
      const chunk = await this.index.index(
        messages.slice(i, i + INDEX_CHUNK_MESSAGES),
        this.config.MATCH_OVER_CORRELATION_CAP,
        now,
      );
      outcome.indexed += chunk.indexed;
      outcome.matches.push(...chunk.matches);
      outcome.overCorrelated.push(...chunk.overCorrelated);
    }
    await this.announce(await this.index.unannounced(messages.map((m) => m.messageId)));
    this.metrics?.counter(MetricDefinitions.matchesFound).inc(outcome.matches.length);
    return outcome;
  }

  /** The messages' content as the index reads it (a message of an erased case is left out). */
  contentsOf(messageIds: string[]): Promise<MessageContent[]> {
    return this.index.contents(messageIds);
  }

  /** A message's keys as the index holds them. */
  indexed(content: MessageContent): IndexedMessage {
    return indexedMessage(content, this.blinder);
  }

  /** Publishes every match not published yet, a page at a time (after a rebuild of the index, say); returns how many. */
  async announcePending(): Promise<number> {
    let announced = 0;
    for (let after = NIL_UUID; ;) {
      const pending = await this.index.unannouncedAfter(after, ANNOUNCE_PAGE);
      if (pending.length === 0) return announced;
      await this.announce(pending);
      announced += pending.length;
      after = pending[pending.length - 1].id;
    }
  }

  private async announce(pending: StoredMatch[]): Promise<void> {
    if (pending.length === 0) return;
    await this.publisher.publish(Topics.matchFound, pending.map(matchFound));
    await this.index.markAnnounced(
      pending.map((m) => m.id),
      new Date(),
    );
  }
}

const NIL_UUID = '00000000-0000-0000-0000-000000000000';
const ANNOUNCE_PAGE = 5_000;

/** The event for a match: which cases and owners, and the entity type; never the matched value. */
function matchFound(match: StoredMatch) {
  return {
    eventId: derivedEventId(Topics.matchFound, match.id),
    key: match.id,
    correlationId: match.messageId,
    payload: create(MatchFoundSchema, {
      matchId: match.id,
      entityType: KEY_ENTITY_TYPE[match.kind as MatchKeyKind],
      strength: matchStrengthCodec.toProto(match.strength),
      a: create(MatchSideSchema, { caseReference: match.a.caseReference, agency: match.a.agency }),
      b: create(MatchSideSchema, { caseReference: match.b.caseReference, agency: match.b.agency }),
      messageId: match.messageId,
      foundAt: timestampFromDate(match.foundAt),
    }),
  };
}
