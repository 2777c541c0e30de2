import { startRouter } from '../../apps/router/src';
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  ForwardPermissionDecidedSchema,
  handlingToProto,
  JitChangedSchema,
  MessageForwardedSchema,
  PermissionDecision,
  Topics,
  type JitChanged,
} from '@liaison/contracts';
import { type ConsumerService } from '@liaison/runtime';
import { createKafka, EventPublisher, parseBrokers } from '@liaison/messaging';
import { createLogger } from '@liaison/observability';
import { createDataSource } from '@liaison/persistence';
import { submittedMessage, waitFor } from '@liaison/testing';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';

/**
 * The router is the authority on JITs and forwards: events that the gateway would have refused (published
 * straight to Kafka here) change nothing, and events applied twice change nothing more.
 */
describe('router authority over JITs and forwards (real Kafka and PostgreSQL)', () => {
  const namespace = process.env.KAFKA_NAMESPACE!;
  let router: ConsumerService;
  let publisher: EventPublisher;
  let db: DataSource;

  beforeAll(async () => {
    router = await startRouter(process.env);
    const kafka = createKafka(
      { brokers: parseBrokers(process.env.KAFKA_BROKERS!), clientId: 'authority-test', namespace },
      createLogger({ service: 'test', level: 'error', format: 'pretty' }),
    );
    publisher = new EventPublisher(kafka, namespace);
    db = await createDataSource({
      url: process.env.DATABASE_URL!,
      poolSize: 2,
      applicationName: 'authority-test',
    }).initialize();
  });

  afterAll(async () => {
    await publisher.disconnect();
    await router.app.close();
    await db.destroy();
  });

  const jitEvent = (jitId: string, byAgency: string, change: JitChanged['change']) =>
    create(JitChangedSchema, { jitId, byAgency, byKeyId: randomUUID(), at: timestampFromDate(new Date()), change });

  async function changeJit(jitId: string, byAgency: string, change: JitChanged['change']): Promise<void> {
    await publisher.publish(Topics.jitChanged, [
      { key: jitId, correlationId: 'authority', payload: jitEvent(jitId, byAgency, change) },
    ]);
  }

  it('applies JIT changes only from the agencies entitled to make them, and each once', async () => {
    const jitId = randomUUID();
    await changeJit(jitId, 'GB-NCA', {
      case: 'created',
      value: {
        $typeName: 'liaison.v1.JitCreated',
        name: 'JIT AUTHORITY',
        parties: [
          { $typeName: 'liaison.v1.JitParty', country: 'GB', agencies: ['GB-NCA'] },
          { $typeName: 'liaison.v1.JitParty', country: 'RO', agencies: ['RO-ENU'] },
        ],
        startsOn: '2026-01-01',
        endsOn: '2026-12-31',
        eurojust: false,
        europol: false,
        fundingReference: '',
      },
    });
    await waitFor(async () => (await db.query('SELECT 1 FROM jits WHERE id = $1', [jitId])).length === 1, {
      what: 'the JIT stored',
    });

    // Romania is a member but not the lead: its extension and its removal of the lead change nothing.
    await changeJit(jitId, 'RO-ENU', {
      case: 'extended',
      value: { $typeName: 'liaison.v1.JitExtended', endsOn: '2030-01-01' },
    });
    await changeJit(jitId, 'RO-ENU', {
      case: 'memberRemoved',
      value: { $typeName: 'liaison.v1.JitMemberRemoved', agency: 'GB-NCA' },
    });
    // The lead cannot remove itself; an agency not in the register cannot join.
    await changeJit(jitId, 'GB-NCA', {
      case: 'memberRemoved',
      value: { $typeName: 'liaison.v1.JitMemberRemoved', agency: 'GB-NCA' },
    });
    await changeJit(jitId, 'GB-NCA', {
      case: 'memberAdded',
      value: { $typeName: 'liaison.v1.JitMemberAdded', agency: 'XX-NOPE', country: 'XX' },
    });
    // A lead's extension applies, twice over as once.
    for (let i = 0; i < 2; i += 1)
      await changeJit(jitId, 'GB-NCA', {
        case: 'extended',
        value: { $typeName: 'liaison.v1.JitExtended', endsOn: '2027-06-30' },
      });
    await waitFor(
      async () => (await db.query('SELECT ends_on::text AS e FROM jits WHERE id = $1', [jitId]))[0].e === '2027-06-30',
      { what: 'the extension' },
    );

    const members: { agency_code: string; left_at: Date | null }[] = await db.query(
      'SELECT agency_code, left_at FROM jit_members WHERE jit_id = $1 ORDER BY 1',
      [jitId],
    );
    expect(members).toEqual([
      { agency_code: 'GB-NCA', left_at: null },
      { agency_code: 'RO-ENU', left_at: null },
    ]);
  });

  it('refuses a forward from an agency that did not receive the message, and lets only the provider decide', async () => {
    const message = submittedMessage({
      senderAgency: 'GB-NCA',
      recipientAgencies: ['RO-ENU'],
      handling: handlingToProto({ code: 'H2' }),
    });
    await publisher.publish(Topics.messageSubmitted, [
      { key: message.caseReference, correlationId: 'authority', payload: message },
    ]);
    await waitFor(
      async () => (await db.query('SELECT 1 FROM messages WHERE id = $1', [message.messageId])).length === 1,
      { what: 'the message routed' },
    );

    const forward = (from: string, to: string) =>
      create(MessageForwardedSchema, {
        forwardId: randomUUID(),
        messageId: message.messageId,
        caseReference: message.caseReference,
        fromAgency: from,
        toAgency: to,
        requestedByKeyId: randomUUID(),
        requestedAt: timestampFromDate(new Date()),
      });
    const stranger = forward('BG-ENU', 'FR-ENU');
    const proper = forward('RO-ENU', 'ES-ENU');
    await publisher.publish(
      Topics.messageForwarded,
      [stranger, proper].map((payload) => ({ key: message.caseReference, correlationId: 'authority', payload })),
    );
    await waitFor(
      async () => (await db.query('SELECT 1 FROM forwards WHERE id = $1', [proper.forwardId])).length === 1,
      { what: 'the forward recorded' },
    );
    expect(await db.query('SELECT state FROM forwards WHERE message_id = $1', [message.messageId])).toEqual([
      { state: 'pending' },
    ]);

    const decide = (provider: string) =>
      create(ForwardPermissionDecidedSchema, {
        forwardId: proper.forwardId,
        messageId: message.messageId,
        caseReference: message.caseReference,
        providerAgency: provider,
        decision: PermissionDecision.GRANTED,
        decidedByKeyId: randomUUID(),
        decidedAt: timestampFromDate(new Date()),
      });
    await publisher.publish(Topics.permissionDecided, [
      { key: message.caseReference, correlationId: 'authority', payload: decide('RO-ENU') },
    ]);
    await publisher.publish(
      Topics.permissionDecided,
      [decide('GB-NCA'), decide('GB-NCA')].map((payload) => ({
        key: message.caseReference,
        correlationId: 'authority',
        payload,
      })),
    );
    await waitFor(
      async () =>
        (await db.query('SELECT state FROM forwards WHERE id = $1', [proper.forwardId]))[0].state === 'granted',
      { what: 'the grant' },
    );
    const deliveries: { recipient_agency: string; forwarded_by: string | null }[] = await db.query(
      'SELECT recipient_agency, forwarded_by FROM deliveries WHERE message_id = $1 ORDER BY 1',
      [message.messageId],
    );
    expect(deliveries).toEqual([
      { recipient_agency: 'ES-ENU', forwarded_by: 'RO-ENU' },
      { recipient_agency: 'RO-ENU', forwarded_by: null },
    ]);
  });
});
