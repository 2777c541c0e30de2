import { create } from '@bufbuild/protobuf';
import {
  AttachmentSchema,
  encodeEvent,
  EntitySchema,
  qualifiedTopic,
  RejectionReason,
  Topics,
} from '@liaison/contracts';
import { newDataKey, seal } from '@liaison/protection';
import { EventPublisher } from '@liaison/messaging';
import { submittedMessage, waitFor } from '@liaison/testing';
import type { Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { routerFixture, type RouterFixture } from '../support/router-fixture';

/** What the router does with records it cannot decode or the database refuses. */
describe('router: dead letters and refused content (real Kafka and PostgreSQL)', () => {
  const fixture = routerFixture();
  const { deadLetters, count } = fixture;
  const namespace = process.env.KAFKA_NAMESPACE!;
  let publisher: EventPublisher;
  let rawProducer: Producer;
  let db: DataSource;
  let routed: RouterFixture['routed'];
  let rejected: RouterFixture['rejected'];

  beforeAll(() => {
    ({ publisher, rawProducer, db, routed, rejected } = fixture);
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

  it('rejects attachments whose sealed file it cannot check as INVALID_CONTENT, storing none of them', async () => {
    const attachment = (fields: Partial<{ sha256: string; fileId: string; sealedKey: Uint8Array }>) =>
      create(AttachmentSchema, { sha256: 'a'.repeat(64), contentType: 'application/pdf', size: 10n, ...fields });
    const foreignKey = seal(newDataKey(), newDataKey(), 'elsewhere');
    const cases = [
      [submittedMessage({ attachments: [attachment({ sha256: 'Z'.repeat(64) })] }), 'attachments.0.sha256'],
      [
        submittedMessage({ attachments: [attachment({ fileId: 'not-a-uuid', sealedKey: foreignKey })] }),
        'attachments.0.fileId',
      ],
      [submittedMessage({ attachments: [attachment({ fileId: randomUUID() })] }), 'attachments.0.sealedKey'],
      [
        submittedMessage({ attachments: [attachment({ fileId: randomUUID(), sealedKey: foreignKey })] }),
        'attachments.0.sealedKey',
      ],
    ] as const;
    // A file stored in clear before sealing (no file id, no key) is still taken.
    const fine = submittedMessage({ attachments: [attachment({})] });
    await publisher.publish(
      Topics.messageSubmitted,
      [...cases.map(([message]) => message), fine].map((payload) => ({
        key: payload.caseReference,
        correlationId: randomUUID(),
        payload,
      })),
    );
    await waitFor(() => routed.find((e) => e.payload.messageId === fine.messageId)[0], {
      what: 'the message with a file from before sealing routed',
    });
    for (const [message, field] of cases) {
      const refusal = await waitFor(() => rejected.find((e) => e.payload.messageId === message.messageId)[0], {
        what: `rejection naming ${field}`,
      });
      expect(refusal.payload.reason).toBe(RejectionReason.INVALID_CONTENT);
      expect(refusal.payload.detail.startsWith(`${field} `)).toBe(true);
      expect(
        await count('SELECT count(*) AS n FROM message_attachments WHERE message_id = $1', [message.messageId]),
      ).toBe(0);
    }
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
