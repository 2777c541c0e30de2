/** What scripts, benchmarks and tests use of the matcher. */
export { INDEX_CHUNK_MESSAGES, indexedKeys, IndexMessagesUseCase } from './index-messages.usecase';
export { MatchIndexBuilder } from './match-index.builder';
export { MatchIndexRepository, type IndexedKey, type IndexedMessage } from './match-index.repository';
export { startMatcher } from './matcher.app';
export { MatcherConfig } from './matcher.config';
export { rebuildIndex } from './rebuild-index.command';
