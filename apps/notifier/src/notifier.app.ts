import { loadConfig } from '@liaison/config';
import { createServiceRuntime, startConsumerService, type ConsumerService } from '@liaison/runtime';
import { NotifierConfig } from './notifier.config';
import { NOTIFIER_GROUP, NotifierModule } from './notifier.module';

/** Starts the notifier: in-app notifications and signed webhooks for matches, messages and deadlines. */
export async function startNotifier(env: Record<string, string | undefined> = process.env): Promise<ConsumerService> {
  const config = loadConfig(NotifierConfig, env);
  const runtime = createServiceRuntime('notifier', config);
  return startConsumerService(runtime, NotifierModule.forRoot(runtime), { groupId: NOTIFIER_GROUP });
}
