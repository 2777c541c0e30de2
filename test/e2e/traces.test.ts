import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { waitFor, type ApiClient } from '@liaison/testing';
import { issueKey, startServices, type RunningServices } from '../support/services';
import { OtlpReceiver } from '../support/otlp-receiver';
import { WebhookReceiver } from '../support/webhook-receiver';
import { romanianMobile } from '../support/match-fixture';

const SECRET = 'trace-webhook-secret-0123456789abcdef0123';

/**
 * One submission followed through every service: the caller's `traceparent` continues in the gateway's span,
 * in Kafka headers to the router, matcher, tracker and notifier, and in the webhook job's data to the delivery.
 */
describe('traces', () => {
  const collector = new OtlpReceiver();
  const hooks = new WebhookReceiver(SECRET);
  let services: RunningServices;
  let wmp: ApiClient;
  let romania: ApiClient;

  beforeAll(async () => {
    await Promise.all([collector.start(), hooks.start()]);
    services = await startServices({
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      WEBHOOK_FIRST_RETRY_MS: '200',
    });
    [wmp, romania] = await Promise.all([
      issueKey(services, 'GB-WMP', 'officer'),
      issueKey(services, 'RO-ENU', 'officer'),
    ]);
    const admin = services.api.as(services.adminKey);
    const registered = await admin.post('/v1/webhooks', {
      agency: 'RO-ENU',
      url: hooks.url,
      secret: SECRET,
      events: ['match.found', 'message.received'],
    });
    expect(registered.status).toBe(201);
  }, 90_000);

  afterAll(async () => {
    const admin = services?.api.as(services.adminKey);
    for (const hook of (await admin?.get<{ id: string }[]>('/v1/webhooks'))?.body ?? [])
      await admin.request('DELETE', `/v1/webhooks/${hook.id}`);
    await services?.stop();
    await Promise.all([collector.stop(), hooks.stop()]);
  });

  it('follows one submission through gateway, router, matcher, tracker, notifier and its webhook', async () => {
    const phone = romanianMobile();
    const earlier = await romania.post<{ id: string }>('/v1/messages', {
      recipients: ['FR-ENU'],
      subject: 'Romanian case',
      body: `Suspect's phone ${phone.international}`,
      entities: [{ ref: 'ph', type: 'phone', number: phone.e164 }],
    });
    expect(earlier.status).toBe(202);
    // Indexed before the traced message is sent: the match is then found by, and traced with, the traced one.
    const db = services.gateway.app.get(DataSource);
    await waitFor(
      async () => (await db.query('SELECT 1 FROM match_keys WHERE message_id = $1', [earlier.body.id])).length > 0,
      { what: 'the earlier message indexed' },
    );

    const traceId = randomBytes(16).toString('hex');
    const callerSpan = randomBytes(8).toString('hex');
    const sent = await wmp.request('POST', '/v1/messages', {
      json: {
        recipients: ['RO-ENU'],
        type: 'request',
        deadline: new Date(Date.now() + 7 * 86_400_000).toISOString(),
        subject: 'West Midlands request',
        body: 'Please check the phone',
        entities: [{ ref: 'ph', type: 'phone', number: phone.e164 }],
      },
      headers: { traceparent: `00-${traceId}-${callerSpan}-01` },
    });
    expect(sent.status).toBe(202);

    const wanted = ['liaison-gateway', 'liaison-router', 'liaison-matcher', 'liaison-tracker', 'liaison-notifier'];
    const spans = await waitFor(
      () => {
        const inTrace = collector.spans.filter((s) => s.traceId === traceId);
        const services = new Set(inTrace.map((s) => s.service));
        const delivered = inTrace.some((s) => s.name === 'webhook deliver');
        const matchNotified = inTrace.some(
          (s) => s.service === 'liaison-notifier' && s.name.endsWith('matches.found.v1'),
        );
        return wanted.every((s) => services.has(s)) && delivered && matchNotified ? inTrace : undefined;
      },
      { what: 'spans of every service in the caller’s trace', timeoutMs: 45_000 },
    );

    // The gateway's span is the caller's child; every other span hangs from one in the same trace.
    const server = spans.find((s) => s.service === 'liaison-gateway' && s.name === 'POST /v1/messages')!;
    expect(server.parentSpanId).toBe(callerSpan);
    const ids = new Set([callerSpan, ...spans.map((s) => s.spanId)]);
    for (const span of spans) expect(ids.has(span.parentSpanId)).toBe(true);
    // The router applied the submission under the gateway's span.
    const routed = spans.find((s) => s.service === 'liaison-router' && s.name.endsWith('messages.submitted.v1'))!;
    expect(routed.parentSpanId).toBe(server.spanId);
    // The match the matcher found is announced, notified and delivered within the same trace.
    expect(spans.some((s) => s.service === 'liaison-notifier' && s.name.endsWith('matches.found.v1'))).toBe(true);

    // The webhook receiver is handed the trace too.
    const delivery = await waitFor(() => hooks.received.find((r) => r.traceparent?.includes(traceId)), {
      what: 'a webhook in the trace',
    });
    expect(delivery.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);

    // Names and attributes carry routes and topics, never the message.
    expect(JSON.stringify(spans)).not.toContain('West Midlands request');
  });

  it('starts a trace of its own when the caller’s traceparent is malformed', async () => {
    const before = collector.spans.length;
    const sent = await wmp.request('POST', '/v1/messages', {
      json: { recipients: ['RO-ENU'], subject: 'x', body: 'y' },
      headers: { traceparent: '00-zz-not-a-trace' },
    });
    expect(sent.status).toBe(202);
    const started = await waitFor(
      () =>
        collector.spans.slice(before).find((s) => s.service === 'liaison-gateway' && s.name === 'POST /v1/messages'),
      { what: 'the request span' },
    );
    expect(started.parentSpanId ?? '').toBe('');
  });
});
