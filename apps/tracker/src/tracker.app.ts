import { loadConfig } from '@liaison/config';
import { createServiceRuntime, startConsumerService, type ConsumerService } from '@liaison/runtime';
import { TrackerConfig } from './tracker.config';
import { TRACKER_GROUP, TrackerModule } from './tracker.module';

/**
 * How the tracker takes its batches. A batch's facts touch a bounded set of aggregate rows (one per period and
 * combination) however many events it holds, so large batches cost far less per event: fetches of up to 64 MB
 * per partition (some 150,000 routed messages), applied up to 100,000 events to a transaction (the consumer
 * keeps beating while one runs, however long). Two partitions at a time: batches of one period add to the same
 * rows and wait for each other's locks, so more would only queue.
 */
export const TRACKER_CONSUMPTION = {
  maxBytesPerPartition: 64 * 1024 * 1024,
  maxEventsPerBatch: 100_000,
  partitionsConsumedConcurrently: 2,
};

/** Starts the tracker: keeps the volume aggregates from routed messages and appends audit events to the audit log. */
export async function startTracker(env: Record<string, string | undefined> = process.env): Promise<ConsumerService> {
  const config = loadConfig(TrackerConfig, env);
  const runtime = createServiceRuntime('tracker', config);
  return startConsumerService(runtime, TrackerModule.forRoot(runtime), {
    groupId: TRACKER_GROUP,
    ...TRACKER_CONSUMPTION,
  });
}
