import { loadConfig } from '@liaison/config';
import { createServiceRuntime, startConsumerService, type ConsumerService } from '@liaison/messaging';
import { TrackerConfig } from './tracker.config';
import { TRACKER_GROUP, TrackerModule } from './tracker.module';

/** Starts the tracker: consumes routed messages and keeps the volume aggregates. */
export async function startTracker(env: Record<string, string | undefined> = process.env): Promise<ConsumerService> {
  const config = loadConfig(TrackerConfig, env);
  const runtime = createServiceRuntime('tracker', config);
  return startConsumerService(runtime, TrackerModule.forRoot(runtime), { groupId: TRACKER_GROUP });
}
