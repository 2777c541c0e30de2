import { loadConfig } from '@liaison/config';
import { createServiceRuntime, startConsumerService, type ConsumerService } from '@liaison/runtime';
import { MatcherConfig } from './matcher.config';
import { MATCHER_GROUP, MatcherModule } from './matcher.module';

/** Starts the matcher: indexes the entities of routed messages and records the cases they link. */
export async function startMatcher(env: Record<string, string | undefined> = process.env): Promise<ConsumerService> {
  const config = loadConfig(MatcherConfig, env);
  const runtime = createServiceRuntime('matcher', config);
  return startConsumerService(runtime, MatcherModule.forRoot(runtime), { groupId: MATCHER_GROUP });
}
