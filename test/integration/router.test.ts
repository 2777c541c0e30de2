import { startRouter } from '../../apps/router/src';
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  CaseClosedSchema,
  CaseOpenedSchema,
  DeadLetterHeaders,
  encodeEvent,
  EntitySchema,
  MessageType,
  qualifiedTopic,
  RejectionReason,
  Topics,
} from '@liaison/contracts';
import { type ConsumerService } from '@liaison/runtime';
import { createKafka, EventPublisher, parseBrokers } from '@liaison/messaging';
import { createLogger } from '@liaison/observability';
import { createDataSource } from '@liaison/persistence';
import { submittedMessage, TopicRecorder, waitFor } from '@liaison/testing';
import type { Kafka, Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';

describe('router (real Kafka and PostgreSQL)', () => {
  const namespace = process.env.KAFKA_NAMESPACE!;
  let router: ConsumerService;
  let kafka: Kafka;
  let publisher: EventPublisher;
  let rawProducer: Producer;
  let db: DataSource;
  let routed: TopicRecorder<typeof Topics.messageRouted>;
  let rejected: TopicRecorder<typeof Topics.messageRejected>;
  let deadLetters: { eventId: string; error: string }[];
  let dlqConsumer: ReturnType<Kafka['consumer']>;

  const count = async (sql: string, params: unknown[]): Promise<number> => Number((await db.query(sql, params))[0].n);

  beforeAll(async () => {
    router = await startRouter({ ...process.env, ROUTER_MAX_ATTEMPTS: '2' });
    kafka = createKafka(
      { brokers: parseBrokers(process.env.KAFKA_BROKERS!), clientId: 'router-test', namespace },
      createLogger({ service: 'test', level: 'error', format: 'pretty' }),
    );
    publisher = new EventPublisher(kafka, namespace);
    rawProducer = kafka.producer();
    await rawProducer.connect();
    db = await createDataSource({
      url: process.env.DATABASE_URL!,
      poolSize: 2,
      applicationName: 'router-test',
    }).initialize();
    routed = await new TopicRecorder(kafka, namespace, Topics.messageRouted).start();
    rejected = await new TopicRecorder(kafka, namespace, Topics.messageRejected).start();
    deadLetters = [];
    dlqConsumer = kafka.consumer({ groupId: `${namespace}dlq-reader`, maxWaitTimeInMs: 100 });
    await dlqConsumer.connect();
    await dlqConsumer.subscribe({
      topic: `${qualifiedTopic(namespace, Topics.messageSubmitted)}.dlq`,
      fromBeginning: true,
    });
    await dlqConsumer.run({
      eachMessage: async ({ message }) =>
        void deadLetters.push({
          eventId: message.headers?.['liaison-event-id']?.toString() ?? '',
          error: message.headers?.[DeadLetterHeaders.error]?.toString() ?? '',
        }),
    });
  });

  afterAll(async () => {
    await Promise.all([
      routed.stop(),
      rejected.stop(),
      dlqConsumer.disconnect(),
      rawProducer.disconnect(),
      publisher.disconnect(),
    ]);
    await router.app.close();
    await db.destroy();
  });

  it('stores a new case, the message and one delivery per recipient, then publishes MessageRouted', async () => {
    const message = submittedMessage({ recipientAgencies: ['GB-NCA-UKLB', 'RO-ENU'] });
    await publisher.publish(Topics.messageSubmitted, [
      { key: message.caseReference, correlationId: 'corr-router-1', payload: message },
    ]);

    const event = await waitFor(() => routed.find((e) => e.payload.messageId === message.messageId)[0], {
      what: 'MessageRouted',
    });
    expect(event.correlationId).toBe('corr-router-1');
    expect(event.payload.openedCase).toBe(true);
    expect(event.payload.sender).toMatchObject({ code: 'GB-WMP', country: 'GB' });
    expect(event.payload.recipients.map((r) => [r.code, r.country])).toEqual([
      ['GB-NCA-UKLB', 'GB'],
      ['RO-ENU', 'RO'],
    ]);
    expect(
      await db.query('SELECT owner_agency, opened_by_message FROM cases WHERE reference = $1', [message.caseReference]),
    ).toEqual([{ owner_agency: 'GB-WMP', opened_by_message: message.messageId }]);
    const participants = await db.query(
      'SELECT agency_code FROM case_participants WHERE case_reference = $1 ORDER BY 1',
      [message.caseReference],
    );
    expect(participants.map((p: { agency_code: string }) => p.agency_code)).toEqual([
      'GB-NCA-UKLB',
      'GB-WMP',
      'RO-ENU',
    ]);
    const stored = await db.query('SELECT subject, body, correlation_id FROM messages WHERE id = $1', [
      message.messageId,
    ]);
    expect(stored).toEqual([{ subject: message.subject, body: message.body, correlation_id: 'corr-router-1' }]);
    expect(await count('SELECT count(*) AS n FROM deliveries WHERE message_id = $1', [message.messageId])).toBe(2);
  });

  it("tells consumers what a routed message answers, its case's crime area and its JIT, also when it publishes the outcome again", async () => {
    const caseReference = submittedMessage().caseReference;
    await publisher.publish(Topics.caseOpened, [
      {
        key: caseReference,
        correlationId: randomUUID(),
        payload: create(CaseOpenedSchema, {
          caseReference,
          ownerAgency: 'GB-WMP',
          title: 'Car wash workers',
          crimeArea: 'labour-exploitation',
          openedAt: timestampFromDate(new Date()),
          openedByKeyId: randomUUID(),
        }),
      },
    ]);
    await waitFor(
      async () => (await count('SELECT count(*) AS n FROM cases WHERE reference = $1', [caseReference])) === 1,
      { what: 'the case opened' },
    );
    const request = submittedMessage({
      caseReference,
      opensCase: false,
      recipientAgencies: ['RO-ENU'],
      type: MessageType.REQUEST,
    });
    await publisher.publish(Topics.messageSubmitted, [
      { key: caseReference, correlationId: randomUUID(), payload: request },
    ]);
    const asked = await waitFor(() => routed.find((e) => e.payload.messageId === request.messageId)[0], {
      what: 'the request routed',
    });
    expect(asked.payload).toMatchObject({ inReplyTo: '', crimeArea: 'labour-exploitation', jitId: '' });

    const reply = submittedMessage({
      caseReference,
      opensCase: false,
      senderAgency: 'RO-ENU',
      recipientAgencies: ['GB-WMP'],
      type: MessageType.REPLY,
      inReplyTo: request.messageId,
    });
    const record = encodeEvent(Topics.messageSubmitted, {
      key: caseReference,
      correlationId: randomUUID(),
      payload: reply,
    });
    const topic = qualifiedTopic(namespace, Topics.messageSubmitted);
    await rawProducer.send({ topic, messages: [record] });
    await waitFor(() => routed.find((e) => e.payload.messageId === reply.messageId).length === 1, {
      what: 'the reply routed',
    });
    await rawProducer.send({ topic, messages: [record] });
    const both = await waitFor(
      () => {
        const events = routed.find((e) => e.payload.messageId === reply.messageId);
        return events.length === 2 ? events : undefined;
      },
      { what: "the reply's outcome published again" },
    );
    for (const event of both)
      expect(event.payload).toMatchObject({
        inReplyTo: request.messageId,
        crimeArea: 'labour-exploitation',
        jitId: '',
      });

    // A message that opened its own case has no crime area.
    const opening = submittedMessage();
    await publisher.publish(Topics.messageSubmitted, [
      { key: opening.caseReference, correlationId: randomUUID(), payload: opening },
    ]);
    expect(
      (
        await waitFor(() => routed.find((e) => e.payload.messageId === opening.messageId)[0], {
          what: 'the opening routed',
        })
      ).payload.crimeArea,
    ).toBe('');
  });

  it('applies a redelivered event once, and publishes its outcome again under the same event id', async () => {
    const message = submittedMessage();
    const record = encodeEvent(Topics.messageSubmitted, {
      key: message.caseReference,
      correlationId: 'corr-dup',
      payload: message,
    });
    const topic = qualifiedTopic(namespace, Topics.messageSubmitted);
    await rawProducer.send({ topic, messages: [record] });
    await waitFor(() => routed.find((e) => e.payload.messageId === message.messageId).length === 1, {
      what: 'first MessageRouted',
    });
    await rawProducer.send({ topic, messages: [record] });

    const both = await waitFor(
      () => {
        const events = routed.find((e) => e.payload.messageId === message.messageId);
        return events.length === 2 ? events : undefined;
      },
      { what: 'republished MessageRouted' },
    );
    expect(both[1].eventId).toBe(both[0].eventId);
    expect(await count('SELECT count(*) AS n FROM messages WHERE id = $1', [message.messageId])).toBe(1);
    expect(await count('SELECT count(*) AS n FROM deliveries WHERE message_id = $1', [message.messageId])).toBe(1);
  });

  it('routes a reply from a participant and rejects a message from an agency outside the case', async () => {
    const opening = submittedMessage({ senderAgency: 'GB-NCA-UKLB', recipientAgencies: ['RO-ENU'] });
    const reply = submittedMessage({
      caseReference: opening.caseReference,
      opensCase: false,
      senderAgency: 'RO-ENU',
      recipientAgencies: ['GB-NCA-UKLB'],
    });
    const intruder = submittedMessage({
      caseReference: opening.caseReference,
      opensCase: false,
      senderAgency: 'BG-ENU',
      recipientAgencies: ['RO-ENU'],
    });
    // One publish: the three arrive in one batch, in order, and the reply must see the case the opener created.
    await publisher.publish(
      Topics.messageSubmitted,
      [opening, reply, intruder].map((payload) => ({
        key: opening.caseReference,
        correlationId: randomUUID(),
        payload,
      })),
    );

    await waitFor(() => routed.find((e) => e.payload.messageId === reply.messageId)[0], { what: 'reply routed' });
    const refusal = await waitFor(() => rejected.find((e) => e.payload.messageId === intruder.messageId)[0], {
      what: 'intruder rejected',
    });
    expect(refusal.payload.reason).toBe(RejectionReason.CASE_NOT_ACCESSIBLE);
    expect(refusal.payload.detail).toContain(opening.caseReference);
    expect(await count('SELECT count(*) AS n FROM messages WHERE id = $1', [intruder.messageId])).toBe(0);
    expect(await count('SELECT count(*) AS n FROM deliveries WHERE message_id = $1', [intruder.messageId])).toBe(0);
    expect(await db.query('SELECT reason FROM message_rejections WHERE message_id = $1', [intruder.messageId])).toEqual(
      [{ reason: 'CASE_NOT_ACCESSIBLE' }],
    );
    expect(
      await count("SELECT count(*) AS n FROM case_participants WHERE case_reference = $1 AND agency_code = 'BG-ENU'", [
        opening.caseReference,
      ]),
    ).toBe(0);
  });

  it('files a participant’s message that claims to open an existing case into that case, without reopening it', async () => {
    const opening = submittedMessage({ senderAgency: 'GB-NCA-UKLB', recipientAgencies: ['RO-ENU'] });
    await publisher.publish(Topics.messageSubmitted, [
      { key: opening.caseReference, correlationId: randomUUID(), payload: opening },
    ]);
    await waitFor(() => routed.find((e) => e.payload.messageId === opening.messageId)[0], { what: 'opening routed' });
    const second = submittedMessage({
      caseReference: opening.caseReference,
      opensCase: true,
      senderAgency: 'RO-ENU',
      recipientAgencies: ['GB-NCA-UKLB'],
    });
    await publisher.publish(Topics.messageSubmitted, [
      { key: opening.caseReference, correlationId: randomUUID(), payload: second },
    ]);
    const event = await waitFor(() => routed.find((e) => e.payload.messageId === second.messageId)[0], {
      what: 'second routed',
    });
    expect(event.payload.openedCase).toBe(false);
    expect(
      await db.query('SELECT owner_agency, opened_by_message FROM cases WHERE reference = $1', [opening.caseReference]),
    ).toEqual([{ owner_agency: 'GB-NCA-UKLB', opened_by_message: opening.messageId }]);
  });

  it('rejects a message into a case its owner closed', async () => {
    const opening = submittedMessage({ senderAgency: 'GB-WMP', recipientAgencies: ['GB-NCA-UKLB'] });
    await publisher.publish(Topics.messageSubmitted, [
      { key: opening.caseReference, correlationId: randomUUID(), payload: opening },
    ]);
    await waitFor(() => routed.find((e) => e.payload.messageId === opening.messageId)[0], { what: 'opening routed' });
    // Closing by someone other than the owner changes nothing; the owner's closing does.
    for (const agency of ['GB-NCA-UKLB', 'GB-WMP']) {
      await publisher.publish(Topics.caseClosed, [
        {
          key: opening.caseReference,
          correlationId: randomUUID(),
          payload: create(CaseClosedSchema, {
            caseReference: opening.caseReference,
            closedByAgency: agency,
            closedAt: timestampFromDate(new Date()),
          }),
        },
      ]);
    }
    await waitFor(
      async () =>
        (await db.query('SELECT status FROM cases WHERE reference = $1', [opening.caseReference]))[0].status ===
        'closed',
      { what: 'case closed' },
    );
    const late = submittedMessage({
      caseReference: opening.caseReference,
      opensCase: false,
      senderAgency: 'GB-NCA-UKLB',
      recipientAgencies: ['GB-WMP'],
    });
    await publisher.publish(Topics.messageSubmitted, [
      { key: opening.caseReference, correlationId: randomUUID(), payload: late },
    ]);
    const refusal = await waitFor(() => rejected.find((e) => e.payload.messageId === late.messageId)[0], {
      what: 'late message rejected',
    });
    expect(refusal.payload.reason).toBe(RejectionReason.CASE_CLOSED);
  });

  it('rejects a message classified above a recipient’s clearance', async () => {
    const secret = submittedMessage({ recipientAgencies: ['RO-ENU'], classification: 'confidential' });
    await publisher.publish(Topics.messageSubmitted, [
      { key: secret.caseReference, correlationId: randomUUID(), payload: secret },
    ]);
    const refusal = await waitFor(() => rejected.find((e) => e.payload.messageId === secret.messageId)[0], {
      what: 'classified message rejected',
    });
    expect(refusal.payload.reason).toBe(RejectionReason.RECIPIENT_NOT_CLEARED);
    expect(refusal.payload.detail).toContain('RO-ENU');
  });

  it('dead-letters a record it cannot decode, records it in the ledger and keeps routing the partition', async () => {
    const caseReference = submittedMessage().caseReference;
    const topic = qualifiedTopic(namespace, Topics.messageSubmitted);
    const after = submittedMessage({ caseReference });
    const poisonEventId = randomUUID();
    await rawProducer.send({
      topic,
      messages: [
        {
          key: caseReference,
          value: Buffer.from('not protobuf at all'),
          headers: { 'liaison-event-id': poisonEventId },
        },
        encodeEvent(Topics.messageSubmitted, { key: caseReference, correlationId: 'after-poison', payload: after }),
      ],
    });
    await waitFor(() => routed.find((e) => e.payload.messageId === after.messageId)[0], {
      what: 'the record after the poison one',
    });
    const dead = await waitFor(() => deadLetters.find((d) => d.eventId === poisonEventId), { what: 'dead letter' });
    expect(dead.error).toBe('UndecodableEventError');
    const [ledger] = await waitFor(
      async () => {
        const rows: {
          failure: string;
          error: string;
          source_topic: string;
          consumer_group: string;
          message_id: string | null;
        }[] = await db.query(
          'SELECT failure, error, source_topic, consumer_group, message_id FROM dead_letters WHERE event_id = $1',
          [poisonEventId],
        );
        return rows.length > 0 ? rows : undefined;
      },
      { what: 'the dead letter in the ledger' },
    );
    expect(ledger).toEqual({
      failure: 'undecodable',
      error: 'UndecodableEventError',
      source_topic: Topics.messageSubmitted,
      consumer_group: 'liaison-router',
      message_id: null,
    });
  });

  it('rejects text the database would refuse, from any producer, as INVALID_CONTENT, storing none of it', async () => {
    const nul = submittedMessage({ subject: 'x\u0000', recipientAgencies: ['RO-ENU'] });
    const badCase = submittedMessage({ caseReference: 'LIA-2026-\u0000BAD', body: 'b' });
    const badEntity = submittedMessage({
      entities: [create(EntitySchema, { ref: 'p1', kind: { case: 'person', value: { names: ['Ion\u0085'] } } })],
    });
    const fine = submittedMessage();
    await publisher.publish(
      Topics.messageSubmitted,
      [nul, badCase, badEntity, fine].map((payload) => ({
        key: 'LIA-2026-SAMEPART0',
        correlationId: randomUUID(),
        payload,
      })),
    );
    await waitFor(() => routed.find((e) => e.payload.messageId === fine.messageId)[0], {
      what: 'the valid message routed',
    });
    for (const [message, field] of [
      [nul, 'subject'],
      [badCase, 'caseReference'],
      [badEntity, 'entities.0.names.0'],
    ] as const) {
      const refusal = await waitFor(() => rejected.find((e) => e.payload.messageId === message.messageId)[0], {
        what: `rejection naming ${field}`,
      });
      expect(refusal.payload.reason).toBe(RejectionReason.INVALID_CONTENT);
      expect(refusal.payload.detail).toMatch(
        new RegExp(`^${field.replace(/\./g, '\\.')} must not contain the control character`),
      );
      expect(await count('SELECT count(*) AS n FROM messages WHERE id = $1', [message.messageId])).toBe(0);
    }
    const [stored] = await db.query('SELECT case_reference, reason FROM message_rejections WHERE message_id = $1', [
      badCase.messageId,
    ]);
    expect(stored).toEqual({ case_reference: 'LIA-2026-\uFFFDBAD', reason: 'INVALID_CONTENT' });
  });

  it('dead-letters a message the database refuses at once, tells its sender it was rejected, and routes the rest of the partition', async () => {
    const poison = submittedMessage({ inReplyTo: 'not-a-message-id', recipientAgencies: ['RO-ENU'] });
    const next = submittedMessage();
    await publisher.publish(
      Topics.messageSubmitted,
      [poison, next].map((payload) => ({ key: 'LIA-2026-SAMEPART1', correlationId: randomUUID(), payload })),
    );
    await waitFor(() => routed.find((e) => e.payload.messageId === next.messageId)[0], {
      what: 'the message after the poison one',
    });
    const refusal = await waitFor(() => rejected.find((e) => e.payload.messageId === poison.messageId)[0], {
      what: 'the poison message rejected',
      timeoutMs: 20_000,
    });
    expect(refusal.payload.reason).toBe(RejectionReason.UNPROCESSABLE);
    expect(refusal.payload.detail).toContain('SQLSTATE 22P02');
    expect(refusal.payload.detail).not.toContain('not-a-message-id');
    const [ledger] = await db.query(
      'SELECT failure, error, message_id, sender_agency FROM dead_letters WHERE message_id = $1',
      [poison.messageId],
    );
    expect(ledger).toMatchObject({
      failure: 'permanent',
      error: 'SQLSTATE 22P02 (data exception)',
      message_id: poison.messageId,
      sender_agency: 'GB-WMP',
    });
    const [rejection] = await db.query('SELECT reason FROM message_rejections WHERE message_id = $1', [
      poison.messageId,
    ]);
    expect(rejection).toEqual({ reason: 'UNPROCESSABLE' });
  });
});
