import { startGateway } from '../../apps/gateway/src';
import { ApiClient, waitFor } from '@liaison/testing';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { matchFixture, type NotificationPage } from '../support/match-fixture';

const observability = join(__dirname, '..', '..', 'deploy', 'observability');

/** PromQL's own words: functions, aggregations, keywords. Anything else followed by a selector is a metric. */
const PROMQL_WORDS = new Set([
  'sum',
  'min',
  'max',
  'avg',
  'count',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'rate',
  'irate',
  'increase',
  'delta',
  'deriv',
  'histogram_quantile',
  'topk',
  'bottomk',
  'abs',
  'clamp_min',
  'clamp_max',
  'time',
  'vector',
  'scalar',
  'label_replace',
]);

/** The metric names an expression reads (string literals, label matchers and ranges taken out first). */
export function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = bare.match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? [];
  return [...new Set(names.filter((name) => !PROMQL_WORDS.has(name) && !/^\d/.test(name)))];
}

/** Every metric with at least one sample in an exposition. */
function sampled(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const line of exposition.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    names.add(line.split(/[{ ]/)[0]);
  }
  return names;
}

describe('observability', () => {
  const fixture = matchFixture();
  let expositions: Record<string, string>;

  const scrapeAll = async () => {
    const { services } = fixture;
    const urls = {
      gateway: `${services.gateway.url}/metrics`,
      router: `${services.router.operationsUrl}/metrics`,
      tracker: `${services.tracker.operationsUrl}/metrics`,
      matcher: `${services.matcher.operationsUrl}/metrics`,
      notifier: `${services.notifier.operationsUrl}/metrics`,
    };
    const entries = await Promise.all(
      Object.entries(urls).map(async ([service, url]) => {
        const response = await fetch(url);
        expect(response.status).toBe(200);
        return [service, await response.text()] as const;
      }),
    );
    return Object.fromEntries(entries);
  };

  beforeAll(async () => {
    // A match between two forces' cases, with its notifications and webhooks: every service has worked.
    const { match } = await fixture.sharedPhoneCases();
    await waitFor(
      async () =>
        (await fixture.wmp.get<NotificationPage>('/v1/notifications?event=match.found')).body.items.some(
          (n) => n.data.matchId === match.id,
        ),
      { what: 'the match notification' },
    );
    expositions = await scrapeAll();
  }, 90_000);

  it("counts each service's own work under its own name", () => {
    expect(expositions.gateway).toMatch(
      /liaison_http_request_duration_seconds_count\{service="gateway",method="POST",route="\/v1\/messages",status="202"\} [1-9]/,
    );
    expect(expositions.gateway).toMatch(
      /liaison_events_published_total\{topic="liaison.messages.submitted.v1",outcome="acknowledged",service="gateway"\} [1-9]/,
    );
    expect(expositions.gateway).toContain('liaison_broker_available{service="gateway"} 1');
    expect(expositions.router).toMatch(/liaison_messages_routed_total\{outcome="routed",service="router"\} [1-9]/);
    expect(expositions.router).toMatch(/liaison_deliveries_total\{service="router"\} [1-9]/);
    expect(expositions.matcher).toMatch(/liaison_matches_found_total\{service="matcher"\} [1-9]/);
    expect(expositions.notifier).toMatch(/liaison_notifications_total\{kind="match.found",service="notifier"\} [1-9]/);
    expect(expositions.notifier).toMatch(
      /liaison_queue_jobs\{queue="webhook-deliveries",state="waiting",service="notifier"\} \d/,
    );
    expect(expositions.tracker).toMatch(/liaison_requests_overdue\{service="tracker"\} \d/);
    for (const [service, text] of Object.entries(expositions)) {
      expect(text).toMatch(new RegExp(`liaison_db_pool_connections\\{state="total",service="${service}"\\} [1-9]`));
      expect(text).toMatch(new RegExp(`nodejs_eventloop_lag_p99_seconds\\{service="${service}"\\} `));
    }
    // The router's lag on each partition of what it consumes, and dead letters at 0 from the start.
    expect(expositions.router).toMatch(
      /liaison_kafka_consumer_lag\{group="liaison-router",topic="liaison.messages.submitted.v1",partition="0",service="router"\} \d+/,
    );
    expect(expositions.router).toContain(
      'liaison_dead_letters_total{topic="liaison.messages.submitted.v1",service="router"} 0',
    );
  });

  it('has every metric an alert or a dashboard panel names', () => {
    const alerts = parse(readFileSync(join(observability, 'alerts.yml'), 'utf8')) as {
      groups: { rules: { alert: string; expr: string }[] }[];
    };
    const dashboard = JSON.parse(readFileSync(join(observability, 'grafana-dashboard.json'), 'utf8')) as {
      panels: { title: string; targets: { expr: string }[] }[];
    };
    const expressions = [
      ...alerts.groups.flatMap((group) =>
        group.rules.map((rule) => ({ where: `alert ${rule.alert}`, expr: rule.expr })),
      ),
      ...dashboard.panels.flatMap((panel) =>
        panel.targets.map((t) => ({ where: `panel "${panel.title}"`, expr: t.expr })),
      ),
    ];
    expect(expressions.length).toBeGreaterThan(20);
    const exported = new Set(Object.values(expositions).flatMap((text) => [...sampled(text)]));
    const missing = expressions.flatMap(({ where, expr }) =>
      metricNames(expr)
        // `up` is Prometheus's own, one per scrape target.
        .filter((name) => name !== 'up' && !exported.has(name))
        .map((name) => `${where}: ${name}`),
    );
    expect(missing).toEqual([]);
  });

  it('has a scrape configuration and alert rules Prometheus accepts', () => {
    // promtool comes with Debian's prometheus package (.ci/run installs it).
    const checked = (...args: string[]) =>
      execFileSync('promtool', ['check', ...args], { cwd: observability, encoding: 'utf8' });
    expect(checked('config', 'prometheus.yml')).toContain('SUCCESS');
    expect(checked('rules', 'alerts.yml')).toMatch(/SUCCESS: \d+ rules found/);
  });

  it('reads metric names out of PromQL', () => {
    expect(
      metricNames(
        'histogram_quantile(0.95, sum by (le, route) (rate(liaison_http_request_duration_seconds_bucket{status=~"5.."}[5m])))',
      ),
    ).toEqual(['liaison_http_request_duration_seconds_bucket']);
    expect(metricNames('deriv(a_total[1h]) > 0 and b_gauge > 50')).toEqual(['a_total', 'b_gauge']);
  });

  it('puts nothing from a message in any label', async () => {
    const marker = `Operation ZEPHYR-${Date.now()}`;
    const sent = await fixture.wmp.post<{ id: string }>('/v1/messages', {
      recipients: ['RO-ENU'],
      subject: marker,
      body: `${marker} body`,
      entities: [{ ref: 'p1', type: 'person', names: [marker, 'Zephyrova'], dateOfBirth: '1990-01-01' }],
    });
    expect(sent.status).toBe(202);
    const after = await scrapeAll();
    for (const text of Object.values(after)) {
      expect(text).not.toContain('ZEPHYR');
      expect(text).not.toContain('Zephyrova');
      expect(text).not.toContain(sent.body.id);
    }
  });

  it('serves the workers\u2019 health on their operations ports', async () => {
    for (const service of ['router', 'tracker', 'matcher', 'notifier'] as const) {
      const base = fixture.services[service].operationsUrl;
      expect((await fetch(`${base}/health/live`)).status).toBe(200);
      const ready = await fetch(`${base}/health/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ ready: true, checks: { consumer: { ok: true }, postgres: { ok: true } } });
    }
  });

  it("keeps the gateway's metrics from addresses METRICS_ALLOW does not name", async () => {
    const gateway = await startGateway({ ...process.env, PORT: '0', METRICS_ALLOW: '10.200.0.0/16' });
    try {
      const api = new ApiClient(gateway.url);
      expect((await api.get('/metrics')).status).toBe(404);
      expect((await api.get('/health/ready')).status).toBe(200);
    } finally {
      await gateway.app.close();
    }
  });
});
