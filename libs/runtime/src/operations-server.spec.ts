import { MetricDefinitions, Metrics } from '@liaison/observability';
import { OperationsServer, type ServiceReadiness } from './operations-server';

describe('OperationsServer', () => {
  let server: OperationsServer;
  let base: string;
  let readiness: ServiceReadiness;

  beforeAll(async () => {
    const metrics = new Metrics('tracker');
    metrics.counter(MetricDefinitions.eventsConsumed).inc({ topic: 'liaison.messages.routed.v1' }, 2);
    server = new OperationsServer(metrics, async () => readiness);
    base = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}`;
  });

  afterAll(() => server.close());

  it('serves the metrics', async () => {
    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0.0.4/);
    expect(await response.text()).toContain(
      'liaison_events_consumed_total{topic="liaison.messages.routed.v1",service="tracker"} 2',
    );
  });

  it('is live, and ready only while every check passes, saying which fails', async () => {
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
    readiness = { ready: true, checks: { consumer: { ok: true }, postgres: { ok: true } } };
    expect((await fetch(`${base}/health/ready`)).status).toBe(200);
    readiness = {
      ready: false,
      checks: { consumer: { ok: false, detail: 'consumer stopped' }, postgres: { ok: true } },
    };
    const notReady = await fetch(`${base}/health/ready`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toEqual(readiness);
  });

  it('serves nothing else', async () => {
    expect((await fetch(`${base}/`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`, { method: 'POST' })).status).toBe(405);
  });
});
