import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  CaseClosedSchema,
  CaseOpenedSchema,
  encodeEvent,
  MessageType,
  qualifiedTopic,
  RejectionReason,
  Topics,
} from '@liaison/contracts';
import { EventPublisher } from '@liaison/messaging';
import { openedMessages, submittedMessage, waitFor } from '@liaison/testing';
import type { Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { routerFixture, type RouterFixture } from '../support/router-fixture';

describe('router (real Kafka and PostgreSQL)', () => {
  const fixture = routerFixture();
  const { count } = fixture;
  const namespace = process.env.KAFKA_NAMESPACE!;
  let publisher: EventPublisher;
  let rawProducer: Producer;
  let db: DataSource;
  let routed: RouterFixture['routed'];
  let rejected: RouterFixture['rejected'];

  beforeAll(() => {
    ({ publisher, rawProducer, db, routed, rejected } = fixture);
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
    const stored = await db.query('SELECT correlation_id FROM messages WHERE id = $1', [message.messageId]);
    expect(stored).toEqual([{ correlation_id: 'corr-router-1' }]);
    // Sent in clear (as before sealing), stored sealed under the case's new key.
    const [opened] = await openedMessages(db, 'm.id = $1', [message.messageId]);
    expect(opened.text).toMatchObject({ subject: message.subject, body: message.body });
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
});
