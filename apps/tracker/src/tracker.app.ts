import { loadConfig } from '@liaison/config';
import { createServiceRuntime, startConsumerService, type ConsumerService } from '@liaison/messaging';
import { TrackerConfig } from './tracker.config';
import { TRACKER_GROUP, TrackerModule } from './tracker.module';

/** Starts the tracker: keeps the volume aggregates from routed messages and appends audit events to the audit log. */
export async function startTracker(env: Record<string, string | undefined> = process.env): Promise<ConsumerService> {
  const config = loadConfig(TrackerConfig, env);
  const runtime = createServiceRuntime('tracker', config);
  return startConsumerService(runtime, TrackerModule.forRoot(runtime), { groupId: TRACKER_GROUP });
}
