import { startGateway, type Gateway } from '../../apps/gateway/src';
import { startRouter } from '../../apps/router/src';
import { startTracker } from '../../apps/tracker/src';
import { startMatcher } from '../../apps/matcher/src';
import { startNotifier } from '../../apps/notifier/src';
import type { ConsumerService } from '@liaison/runtime';
import { liaisonClient, type LiaisonClient, type Schema } from '@liaison/client';
import { ApiClient, waitFor } from '@liaison/testing';

export interface RunningServices {
  gateway: Gateway;
  router: ConsumerService;
  tracker: ConsumerService;
  matcher: ConsumerService;
  notifier: ConsumerService;
  api: ApiClient;
  adminKey: string;
  stop(): Promise<void>;
}

/** Starts router, tracker, matcher, notifier and gateway on this run's infrastructure, and waits until the gateway is ready. */
export async function startServices(extraEnv: NodeJS.ProcessEnv = {}): Promise<RunningServices> {
  const adminKey = `test-admin-key-${process.env.LIAISON_TEST_RUN}-0000000000`;
  const env = { ...process.env, PORT: '0', LIAISON_ADMIN_KEY: adminKey, ...extraEnv };
  const [router, tracker, matcher, notifier] = await Promise.all([
    startRouter(env),
    startTracker(env),
    startMatcher(env),
    startNotifier(env),
  ]);
  const gateway = await startGateway(env);
  const api = new ApiClient(gateway.url);
  await waitFor(async () => (await api.get('/health/ready')).status === 200, {
    what: 'gateway ready',
    timeoutMs: 30_000,
  });
  await waitFor(async () => (await api.get('/health/exchange')).status === 200, {
    what: 'every service consuming',
    timeoutMs: 30_000,
  });
  return {
    gateway,
    router,
    tracker,
    matcher,
    notifier,
    api,
    adminKey,
    // Reads the services from the object, so a test that restarts one (a new notifier, say) has it stopped too.
    async stop(this: RunningServices) {
      await this.gateway.app.close();
      await Promise.all([
        this.router.app.close(),
        this.tracker.app.close(),
        this.matcher.app.close(),
        this.notifier.app.close(),
      ]); // closing twice is harmless
    },
  };
}

/** Issues a key through the API, as an administrator would. */
export async function issueKey(services: RunningServices, agency: string, role: string): Promise<ApiClient> {
  const response = await services.api
    .as(services.adminKey)
    .post<{ key: string }>('/v1/api-keys', { agency, role, label: `${role} at ${agency}` });
  if (response.status !== 201)
    throw new Error(`could not issue a key: ${response.status} ${JSON.stringify(response.body)}`);
  return services.api.as(response.body.key);
}

/** A typed client (`@liaison/client`) acting with a new key of the agency and role, issued by the admin. */
export async function typedClient(
  services: RunningServices,
  agency: string,
  role: Schema<'CreateApiKeyDto'>['role'],
): Promise<LiaisonClient> {
  const admin = liaisonClient(services.gateway.url, services.adminKey);
  const { data, response } = await admin.POST('/v1/api-keys', {
    body: { agency, role, label: `${role} at ${agency}` },
  });
  if (!data) throw new Error(`could not issue a key: ${response.status}`);
  return liaisonClient(services.gateway.url, data.key);
}
