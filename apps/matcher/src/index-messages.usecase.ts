import { messageMatchKeys } from '@liaison/domain';
import { SERVICE_CONFIG } from '@liaison/messaging';
import { Inject, Injectable } from '@nestjs/common';
import { MatchIndexRepository, type IndexOutcome } from './match-index.repository';
import type { MatcherConfig } from './matcher.config';

/**
 * Indexes routed messages: reads each message's entities and text, derives its match keys (the sender's
 * country as the phone hint) and adds them to the index for its case on behalf of its sender, recording every
 * other case that shares a key.
 */
@Injectable()
export class IndexMessagesUseCase {
  constructor(
    private readonly index: MatchIndexRepository,
    @Inject(SERVICE_CONFIG) private readonly config: MatcherConfig,
  ) {}

  async execute(messageIds: string[], now = new Date()): Promise<IndexOutcome> {
    const contents = await this.index.contents([...new Set(messageIds)]);
    // Kept in the order they were routed, so that matches are found in the same order on a replay.
    const order = new Map(messageIds.map((id, i) => [id, i]));
    contents.sort((x, y) => order.get(x.id)! - order.get(y.id)!);
    const messages = contents.map((content) => ({
      messageId: content.id,
      holder: { caseReference: content.caseReference, agency: content.senderAgency },
      keys: messageMatchKeys(content.entities, `${content.subject}\n${content.body}`, content.senderCountry),
    }));
    return this.index.index(messages, this.config.MATCH_OVER_CORRELATION_CAP, now);
  }
}
