import { waitFor, type ApiClient } from '@liaison/testing';
import { deadlineJobId, JobQueues, queuePrefix } from '@liaison/messaging';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { NotificationScheduler } from '../../apps/notifier/src';
import { randomUUID } from 'node:crypto';
import { issueKey } from '../support/services';
import {
  matchFixture,
  SECRET_RO,
  type Accepted,
  type Delivery,
  type MatchFixture,
  type MatchPage,
  type NotificationPage,
} from '../support/match-fixture';

/**
 * Notifications of matches, messages and deadlines, through the API and signed webhooks: marked read, retried
 * while a receiver is down, failed and re-sent, and kept across a notifier restart.
 */
describe('notifications', () => {
  const fixture = matchFixture();
  const { roHooks, sharedPhoneCases } = fixture;
  let services: MatchFixture['services'];
  let admin: ApiClient;
  let wmp: ApiClient;
  let wmpSupervisor: ApiClient;
  let romania: ApiClient;
  let stranger: ApiClient;
  let env: MatchFixture['env'];

  beforeAll(() => {
    ({ services, admin, wmp, wmpSupervisor, romania, stranger, env } = fixture);
  });

  it('marks notifications read, one or all', async () => {
    // Two matches, so that one is left to mark after the first, whatever earlier runs left read.
    await sharedPhoneCases();
    await sharedPhoneCases();
    // Every match Romania has is told to it first: none of the earlier tests' notices may arrive after marking.
    const matchIds = (await romania.get<MatchPage>('/v1/matches?limit=100')).body.items!.map((m) => m.id);
    await waitFor(
      async () => {
        const told = new Set(
          (await romania.get<NotificationPage>('/v1/notifications?event=match.found&limit=100')).body.items.map(
            (n) => n.data.matchId,
          ),
        );
        return matchIds.every((id) => told.has(id)) || undefined;
      },
      { what: 'a notification for every match of Romania' },
    );
    const page = (await romania.get<NotificationPage>('/v1/notifications?unread=true')).body;
    expect(page.unread).toBeGreaterThan(0);
    const first = page.items[0];
    expect((await romania.post(`/v1/notifications/${first.id}/read`, {})).status).toBe(204);
    expect((await stranger.post(`/v1/notifications/${first.id}/read`, {})).status).toBe(404);
    expect(
      (await romania.get<NotificationPage>('/v1/notifications?unread=true')).body.items.map((n) => n.id),
    ).not.toContain(first.id);
    const all = await romania.post<{ marked: number }>('/v1/notifications/read', {});
    expect(all.body.marked).toBeGreaterThan(0);
    expect((await romania.get<NotificationPage>('/v1/notifications?unread=true')).body).toMatchObject({
      items: [],
      unread: 0,
    });
  });

  it('retries a webhook until the receiver comes back, with the same delivery id', async () => {
    await roHooks.stop();
    const sent = await wmp.post<Accepted>('/v1/messages', {
      type: 'request',
      recipients: ['RO-ENU'],
      subject: 'Request while the receiver is down',
      body: 'Body.',
    });
    const failing = await waitFor(
      async () => {
        const page = await admin.get<{ items: Delivery[] }>('/v1/webhooks/deliveries?agency=RO-ENU&state=pending');
        return page.body.items.find((d) => d.event === 'message.received' && d.attempts >= 2);
      },
      { what: 'failed attempts' },
    );
    expect(failing.lastError).toContain('could not reach the receiver');
    await roHooks.start();
    const delivered = await waitFor(
      async () => roHooks.of('message.received').find((r) => r.json.data.messageId === sent.body.id),
      { what: 'the delivery after the receiver came back' },
    );
    expect(delivered).toMatchObject({ deliveryId: failing.id, signatureValid: true });
    expect(delivered.json.data).not.toHaveProperty('subject');
    expect(delivered.body).not.toContain('Request while the receiver is down');
  });

  it('marks a delivery failed after its retries, lists it for admins, and sends it again on request', async () => {
    roHooks.status = 500;
    const sent = await wmp.post<Accepted>('/v1/messages', {
      type: 'request',
      recipients: ['RO-ENU'],
      subject: 'Request to a failing receiver',
      body: 'Body.',
    });
    const failed = await waitFor(
      async () => {
        const page = await admin.get<{ items: Delivery[] }>('/v1/webhooks/deliveries?state=failed&agency=RO-ENU');
        return page.body.items.find((d) => d.event === 'message.received');
      },
      { what: 'the failed delivery', timeoutMs: 30_000 },
    );
    expect(failed).toMatchObject({ attempts: 5, lastStatus: 500, lastError: 'receiver answered HTTP 500' });
    expect(roHooks.received.filter((r) => r.deliveryId === failed.id)).toHaveLength(5);
    expect((await wmpSupervisor.post(`/v1/webhooks/deliveries/${failed.id}/resend`, {})).status).toBe(403);

    roHooks.status = 200;
    const resent = await admin.post<Delivery>(`/v1/webhooks/deliveries/${failed.id}/resend`, {});
    expect(resent.status).toBe(202);
    expect(resent.body).toMatchObject({ state: 'pending', attempts: 0, resends: 1 });
    await waitFor(
      async () =>
        (
          await admin.get<{ items: Delivery[] }>('/v1/webhooks/deliveries?state=delivered&agency=RO-ENU')
        ).body.items.find((d) => d.id === failed.id),
      {
        what: 'the re-sent delivery',
      },
    );
    const last = roHooks.received.filter((r) => r.deliveryId === failed.id).at(-1)!;
    expect(last.json.data.messageId).toBe(sent.body.id);
    expect((await admin.post(`/v1/webhooks/deliveries/${failed.id}/resend`, {})).status).toBe(409);
  });

  it('warns recipients at 80% of the time to answer, and tells both sides when a request is overdue, unless answered', async () => {
    const unanswered = await wmp.post<Accepted>('/v1/messages', {
      type: 'request',
      recipients: ['RO-ENU'],
      subject: 'Request left unanswered',
      body: 'Body.',
    });
    const answered = await wmp.post<Accepted>('/v1/messages', {
      type: 'request',
      recipients: ['RO-ENU'],
      subject: 'Request answered in time',
      body: 'Body.',
    });
    for (const id of [unanswered.body.id, answered.body.id])
      await waitFor(async () => (await romania.get(`/v1/messages/${id}`)).status === 200, {
        what: 'the request at Romania',
      });
    const reply = await romania.post<Accepted>('/v1/messages', {
      type: 'reply',
      inReplyTo: answered.body.id,
      recipients: ['GB-WMP'],
      subject: 'Answer',
      body: 'Body.',
    });
    await waitFor(async () => (await wmp.get(`/v1/messages/${reply.body.id}`)).status === 200, {
      what: 'the answer at West Midlands',
    });

    // Seven days are too long to wait: both requests are given a deadline seconds away, and their checks
    // (already scheduled by the notifier when they were routed) are scheduled again for it.
    const sentAt = new Date(Date.now() - 8_000);
    const deadline = new Date(Date.now() + 2_000);
    const ids = [unanswered.body.id, answered.body.id];
    await services.gateway.app
      .get(DataSource)
      .query('UPDATE deliveries SET answer_deadline = $2 WHERE message_id = ANY($1::uuid[])', [ids, deadline]);
    const queue = new Queue(JobQueues.deadlines, {
      connection: { url: process.env.REDIS_URL },
      prefix: queuePrefix(process.env.KAFKA_NAMESPACE ?? ''),
    });
    for (const id of ids)
      for (const check of ['approaching', 'overdue'] as const)
        await queue.remove(deadlineJobId({ messageId: id, check }));
    await queue.close();
    await services.notifier.app
      .get(NotificationScheduler)
      .scheduleDeadlines(ids.map((messageId) => ({ messageId, sentAt, deadline })));

    const about = (client: ApiClient, event: string) => async () =>
      (await client.get<NotificationPage>(`/v1/notifications?event=${event}`)).body.items.filter((n) =>
        ids.includes(n.data.messageId as string),
      );
    const approaching = await waitFor(
      async () =>
        (await about(romania, 'deadline.approaching')()).length > 0
          ? about(romania, 'deadline.approaching')()
          : undefined,
      { what: 'the deadline warning' },
    );
    expect(approaching.map((n) => n.data.messageId)).toEqual([unanswered.body.id]);
    const overdueAtSender = await waitFor(
      async () => ((await about(wmp, 'deadline.overdue')()).length > 0 ? about(wmp, 'deadline.overdue')() : undefined),
      { what: 'the overdue notice at the sender' },
    );
    expect(overdueAtSender.map((n) => n.data)).toEqual([
      {
        messageId: unanswered.body.id,
        caseReference: unanswered.body.caseReference,
        answerDeadline: deadline.toISOString(),
        unansweredBy: ['RO-ENU'],
      },
    ]);
    expect((await about(romania, 'deadline.overdue')()).map((n) => n.data.messageId)).toEqual([unanswered.body.id]);
  });

  it('keeps a retrying delivery across a notifier restart', async () => {
    roHooks.status = 503;
    const sent = await wmp.post<Accepted>('/v1/messages', {
      type: 'request',
      recipients: ['RO-ENU'],
      subject: 'Request across a restart',
      body: 'Body.',
    });
    const retrying = await waitFor(
      async () => {
        const page = await admin.get<{ items: Delivery[] }>('/v1/webhooks/deliveries?agency=RO-ENU&state=pending');
        return page.body.items.find((d) => d.event === 'message.received' && d.attempts >= 1);
      },
      { what: 'a retrying delivery' },
    );
    await services.notifier.app.close();
    roHooks.status = 200;
    const { startNotifier } = await import('../../apps/notifier/src');
    services.notifier = await startNotifier({ ...process.env, ...env });
    const delivered = await waitFor(
      async () =>
        roHooks.received.find(
          (r) => r.deliveryId === retrying.id && r.json.data.messageId === sent.body.id && r.answered === 200,
        ),
      {
        what: 'the delivery by the new notifier',
      },
    );
    expect(delivered.signatureValid).toBe(true);
    await waitFor(
      async () =>
        (
          await admin.get<{ items: Delivery[] }>('/v1/webhooks/deliveries?state=delivered&agency=RO-ENU')
        ).body.items.find((d) => d.id === retrying.id),
      {
        what: 'the delivery recorded as delivered',
      },
    );
  });

  it('signs with a new secret once an admin rotates it, retries included, and tells no one the secret', async () => {
    const endpoint = (await admin.get<{ id: string; agency: string }[]>('/v1/webhooks?agency=RO-ENU')).body[0];
    const rotated = `ro-rotated-secret-${randomUUID()}`;
    const stranger = await issueKey(services, 'BG-ENU', 'admin');
    expect(
      (await stranger.request('PUT', `/v1/webhooks/${randomUUID()}/secret`, { json: { secret: rotated } })).status,
    ).toBe(404);
    expect(
      (await admin.request('PUT', `/v1/webhooks/${endpoint.id}/secret`, { json: { secret: 'short' } })).status,
    ).toBe(400);
    expect(
      (await admin.request('PUT', `/v1/webhooks/${endpoint.id}/secret`, { json: { secret: rotated } })).status,
    ).toBe(204);
    const before = roHooks.received.length;
    roHooks.secret = rotated;
    try {
      await sharedPhoneCases();
      const delivered = await waitFor(
        () => Promise.resolve(roHooks.received.slice(before).find((r) => r.event === 'match.found')),
        {
          what: 'a delivery signed after the rotation',
        },
      );
      expect(delivered.signatureValid).toBe(true);
      expect(roHooks.signedWith(delivered, delivered.signature, SECRET_RO)).toBe(false);
      expect(JSON.stringify((await admin.get('/v1/webhooks?agency=RO-ENU')).body)).not.toContain(rotated);
    } finally {
      roHooks.secret = SECRET_RO;
      await admin.request('PUT', `/v1/webhooks/${endpoint.id}/secret`, { json: { secret: SECRET_RO } });
    }
  });
});
