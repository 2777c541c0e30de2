import { DataSource } from 'typeorm';
import { IndexMessagesUseCase } from './index-messages.usecase';
import { MatchIndexBuilder, type RebuildOutcome } from './match-index.builder';
import { MatchIndexRepository, type IndexedMessage } from './match-index.repository';

/** Messages read from the store at a time. */
const READ_PAGE = 2_000;

/**
 * Rebuilds the match index from every stored message, in the order they were routed, with today's rules for
 * deriving keys (after new phone-number metadata or a better transliteration, say), then publishes every match
 * that was not published yet (those the rebuild found, and any a failure left behind). Matches already stored and
 * their decisions are kept. The matcher may keep running meanwhile.
 */
export async function rebuildIndex(
  dataSource: DataSource,
  index: MatchIndexRepository,
  indexMessages: IndexMessagesUseCase,
  cap: number,
): Promise<RebuildOutcome & { announced: number }> {
  async function* messages(): AsyncIterable<IndexedMessage[]> {
    for await (const page of index.everyMessage(READ_PAGE)) yield page.map((content) => indexMessages.indexed(content));
  }
  const outcome = await new MatchIndexBuilder(dataSource, index).rebuild(messages(), cap, new Date());
  return { ...outcome, announced: await indexMessages.announcePending() };
}
