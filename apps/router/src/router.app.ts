import { loadConfig } from '@liaison/config';
import { createServiceRuntime, startConsumerService, type ConsumerService } from '@liaison/runtime';
import { RouterConfig } from './router.config';
import { ROUTER_GROUP, RouterModule } from './router.module';

/** Starts the router: consumes submitted messages and routes them. */
export async function startRouter(env: Record<string, string | undefined> = process.env): Promise<ConsumerService> {
  const config = loadConfig(RouterConfig, env);
  const runtime = createServiceRuntime('router', config);
  return startConsumerService(runtime, RouterModule.forRoot(runtime), {
    groupId: ROUTER_GROUP,
    maxAttempts: config.ROUTER_MAX_ATTEMPTS,
    partitionsConsumedConcurrently: config.ROUTER_CONCURRENCY,
  });
}
