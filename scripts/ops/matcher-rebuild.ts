import 'reflect-metadata';
import { loadConfig } from '@liaison/config';
import { CaseKeys, MasterKeys, MatchKeyBlinder, SystemKeys } from '@liaison/protection';
import { createServiceRuntime } from '@liaison/runtime';
import { EventPublisher } from '@liaison/messaging';
import { createDataSource } from '@liaison/persistence';
import { IndexMessagesUseCase, MatchIndexRepository, MatcherConfig, rebuildIndex } from '../../apps/matcher/src';

/**
 * `npm run matcher:rebuild`: rebuilds the match index from every stored message with today's rules and publishes
 * the matches it finds (see `rebuildIndex`). Configured as the matcher is (DATABASE_URL, KAFKA_BROKERS,
 * KAFKA_NAMESPACE, MATCH_OVER_CORRELATION_CAP). Prints counts only.
 */
async function main(): Promise<void> {
  const config = loadConfig(MatcherConfig, process.env);
  const runtime = createServiceRuntime('matcher-rebuild', config);
  const dataSource = await createDataSource({
    url: config.DATABASE_URL,
    poolSize: 4,
    applicationName: 'liaison-matcher-rebuild',
  }).initialize();
  const publisher = new EventPublisher(runtime.kafka, config.KAFKA_NAMESPACE);
  try {
    const started = process.hrtime.bigint();
    const index = new MatchIndexRepository(dataSource, CaseKeys.fromSetting(config.MASTER_KEYS));
    const outcome = await rebuildIndex(
      dataSource,
      index,
      new IndexMessagesUseCase(
        index,
        publisher,
        await MatchKeyBlinder.load(dataSource, new SystemKeys(MasterKeys.parse(config.MASTER_KEYS))),
        config,
      ),
      config.MATCH_OVER_CORRELATION_CAP,
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    console.log(
      `match index rebuilt in ${seconds.toFixed(1)} s: ${outcome.keys} holdings; ${outcome.matches} new matches (${outcome.announced} published); ${outcome.overCorrelated} keys newly past the cap`,
    );
  } finally {
    await publisher.disconnect();
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  console.error('matcher:rebuild failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
