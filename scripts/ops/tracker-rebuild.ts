import 'reflect-metadata';
import { rebuildReportFacts } from '../../apps/tracker/src';

/**
 * `npm run tracker:rebuild`: replays the topics from the start into fresh report-fact tables and puts them in
 * place of the live ones (see `rebuildReportFacts`). Stop the tracker first. Configured as the tracker is
 * (DATABASE_URL, KAFKA_BROKERS, KAFKA_NAMESPACE). Prints counts only.
 */
async function main(): Promise<void> {
  const outcome = await rebuildReportFacts(process.env, (line) => console.log(`tracker:rebuild: ${line}`));
  console.log(
    `tracker:rebuild: report facts rebuilt from ${outcome.events} records in ${outcome.seconds.toFixed(1)} s; start the tracker again`,
  );
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error('tracker:rebuild failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
