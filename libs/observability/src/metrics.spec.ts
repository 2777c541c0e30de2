import { MetricDefinitions, Metrics } from './metrics';

describe('Metrics', () => {
  it('labels every series with the service, and exports known outcomes at 0 before anything happens', async () => {
    const metrics = new Metrics('router');
    metrics.counter(MetricDefinitions.messagesRouted).inc({ outcome: 'routed' }, 3);
    const { body, contentType } = await metrics.exposition();
    expect(contentType).toMatch(/^text\/plain/);
    expect(body).toContain('liaison_messages_routed_total{outcome="routed",service="router"} 3');
    expect(body).toContain('liaison_messages_routed_total{outcome="rejected",service="router"} 0');
    // Node's own, event-loop lag among them.
    expect(body).toMatch(/^nodejs_eventloop_lag_seconds\{service="router"\} /m);
    // Only what the service uses.
    expect(body).not.toContain('liaison_matches_found_total');
  });

  it('makes a metric once, however often it is asked for', () => {
    const metrics = new Metrics('matcher');
    expect(metrics.counter(MetricDefinitions.matchesFound)).toBe(metrics.counter(MetricDefinitions.matchesFound));
  });

  it('reads a gauge when scraped, and leaves it without samples when the read fails', async () => {
    const metrics = new Metrics('notifier');
    let depth: number | Error = 4;
    metrics.gauge(MetricDefinitions.queueJobs, async () => {
      if (depth instanceof Error) throw depth;
      return [{ labels: { queue: 'webhook-deliveries', state: 'waiting' }, value: depth }];
    });
    expect((await metrics.exposition()).body).toContain(
      'liaison_queue_jobs{queue="webhook-deliveries",state="waiting",service="notifier"} 4',
    );
    depth = new Error('Redis away');
    const { body } = await metrics.exposition();
    expect(body).toContain('# TYPE liaison_queue_jobs gauge');
    expect(body).not.toContain('liaison_queue_jobs{');
  });

  it('keeps request durations by route pattern in buckets', async () => {
    const metrics = new Metrics('gateway');
    metrics
      .histogram(MetricDefinitions.httpRequestDuration)
      .observe({ method: 'GET', route: '/v1/messages/:id', status: '200' }, 0.03);
    const { body } = await metrics.exposition();
    expect(body).toContain(
      'liaison_http_request_duration_seconds_bucket{le="0.05",service="gateway",method="GET",route="/v1/messages/:id",status="200"} 1',
    );
    expect(body).toContain(
      'liaison_http_request_duration_seconds_bucket{le="0.025",service="gateway",method="GET",route="/v1/messages/:id",status="200"} 0',
    );
  });
});
