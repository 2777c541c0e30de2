import { startTracker } from '../../apps/tracker/src/tracker.app';
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { AgencyRefSchema, derivedEventId, MessageRoutedSchema, MessageType, Topics } from '@liaison/contracts';
import { createKafka, EventPublisher, parseBrokers, type ConsumerService } from '@liaison/messaging';
import { createLogger } from '@liaison/observability';
import { createDataSource } from '@liaison/persistence';
import { waitFor } from '@liaison/testing';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';

describe('tracker (real Kafka and PostgreSQL)', () => {
  const namespace = process.env.KAFKA_NAMESPACE!;
  let tracker: ConsumerService;
  let publisher: EventPublisher;
  let db: DataSource;

  beforeAll(async () => {
    tracker = await startTracker(process.env);
    const kafka = createKafka({ brokers: parseBrokers(process.env.KAFKA_BROKERS!), clientId: 'tracker-test', namespace }, createLogger({ service: 'test', level: 'error', format: 'pretty' }));
    publisher = new EventPublisher(kafka, namespace);
    db = await createDataSource({ url: process.env.DATABASE_URL!, poolSize: 2, applicationName: 'tracker-test' }).initialize();
  });

  afterAll(async () => {
    await publisher.disconnect();
    await tracker.app.close();
    await db.destroy();
  });

  function routed(day: string, sender: [string, string], recipients: [string, string][]) {
    const messageId = randomUUID();
    return {
      eventId: derivedEventId(Topics.messageRouted, messageId),
      key: 'LIA-1999-00000000X',
      correlationId: messageId,
      payload: create(MessageRoutedSchema, {
        messageId,
        caseReference: 'LIA-1999-00000000X',
        sender: create(AgencyRefSchema, { code: sender[0], country: sender[1] }),
        recipients: recipients.map(([code, country]) => create(AgencyRefSchema, { code, country })),
        submittedAt: timestampFromDate(new Date(`${day}T10:00:00Z`)),
        routedAt: timestampFromDate(new Date(`${day}T10:00:01Z`)),
      }),
    };
  }

  const volumes = (day: string) =>
    db.query('SELECT sender_country, recipient_country, messages::int FROM volume_daily WHERE day = $1 ORDER BY 1, 2', [day]);

  it('counts routed messages per day and country pair, once per distinct recipient country', async () => {
    const day = '1999-01-04';
    await publisher.publish(Topics.messageRouted, [
      routed(day, ['GB-WMP', 'GB'], [['GB-NCA-UKLB', 'GB']]),
      routed(day, ['GB-NCA-UKLB', 'GB'], [['RO-ENU', 'RO'], ['BG-ENU', 'BG']]),
      routed(day, ['GB-NCA-UKLB', 'GB'], [['RO-ENU', 'RO']]),
      routed(day, ['RO-ENU', 'RO'], [['GB-NCA-UKLB', 'GB']]),
    ]);
    await waitFor(async () => (await volumes(day)).length === 4, { what: 'four country pairs' });
    expect(await volumes(day)).toEqual([
      { sender_country: 'GB', recipient_country: 'BG', messages: 1 },
      { sender_country: 'GB', recipient_country: 'GB', messages: 1 },
      { sender_country: 'GB', recipient_country: 'RO', messages: 2 },
      { sender_country: 'RO', recipient_country: 'GB', messages: 1 },
    ]);
    expect(await db.query('SELECT sender_country, messages::int FROM volume_sent_daily WHERE day = $1 ORDER BY 1', [day])).toEqual([
      { sender_country: 'GB', messages: 3 },
      { sender_country: 'RO', messages: 1 },
    ]);
  });

  it('counts every routed message from each country it touches, by agency, direction, partner, type and crime area', async () => {
    const day = '1999-01-05';
    const asked = routed(day, ['GB-NCA-UKLB', 'GB'], [['RO-ENU', 'RO'], ['BG-ENU', 'BG'], ['GB-WMP', 'GB']]);
    asked.payload.type = MessageType.REQUEST;
    asked.payload.crimeArea = 'labour-exploitation';
    const answer = routed(day, ['RO-ENU', 'RO'], [['GB-NCA-UKLB', 'GB']]);
    answer.payload.type = MessageType.REPLY;
    answer.payload.crimeArea = 'labour-exploitation';
    await publisher.publish(Topics.messageRouted, [asked, answer]);
    const rows = () =>
      db.query(
        `SELECT agency, direction, partner_country, message_type, crime_area, messages::int, agency_messages::int, partner_messages::int, country_messages::int
           FROM report_exchanges_daily WHERE day = $1 ORDER BY 1, 2, 3, 4`,
        [day],
      );
    await waitFor(async () => (await rows()).length === 7, { what: 'seven exchange rows' });
    const row = (agency: string, direction: string, partner: string, type: string, [messages, agencyMessages, partnerMessages, countryMessages]: number[]) => ({
      agency,
      direction,
      partner_country: partner,
      message_type: type,
      crime_area: 'labour-exploitation',
      messages,
      agency_messages: agencyMessages,
      partner_messages: partnerMessages,
      country_messages: countryMessages,
    });
    // The request counts once for the UK abroad (on its first partner row), once per partner, once at each recipient.
    expect(await rows()).toEqual([
      row('BG-ENU', 'inbound', 'GB', 'request', [1, 1, 1, 1]),
      row('GB-NCA-UKLB', 'domestic', 'GB', 'request', [1, 1, 1, 1]),
      row('GB-NCA-UKLB', 'inbound', 'RO', 'reply', [1, 1, 1, 1]),
      row('GB-NCA-UKLB', 'outbound', 'BG', 'request', [1, 1, 1, 1]),
      row('GB-NCA-UKLB', 'outbound', 'RO', 'request', [1, 0, 1, 0]),
      row('RO-ENU', 'inbound', 'GB', 'request', [1, 1, 1, 1]),
      row('RO-ENU', 'outbound', 'GB', 'reply', [1, 1, 1, 1]),
    ]);
  });

  it('never counts a redelivered event twice', async () => {
    const day = '1999-02-01';
    const event = routed(day, ['GB-WMP', 'GB'], [['RO-ENU', 'RO']]);
    const marker = routed(day, ['FR-ENU', 'FR'], [['RO-ENU', 'RO']]);
    await publisher.publish(Topics.messageRouted, [event]);
    await publisher.publish(Topics.messageRouted, [event, marker]);
    // The marker follows the duplicate on the same partition key, so once it is counted the duplicate was seen.
    await waitFor(async () => (await volumes(day)).some((r: { sender_country: string }) => r.sender_country === 'FR'), { what: 'marker counted' });
    expect(await volumes(day)).toEqual([
      { sender_country: 'FR', recipient_country: 'RO', messages: 1 },
      { sender_country: 'GB', recipient_country: 'RO', messages: 1 },
    ]);
  });

  it('counts an event repeated within one batch once', async () => {
    const day = '1999-03-01';
    const event = routed(day, ['GB-WMP', 'GB'], [['RO-ENU', 'RO']]);
    // One produce request: the two copies reach the tracker in the same batch.
    await publisher.publish(Topics.messageRouted, [event, event]);
    await waitFor(async () => (await volumes(day)).length > 0, { what: 'the event counted' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await volumes(day)).toEqual([{ sender_country: 'GB', recipient_country: 'RO', messages: 1 }]);
  });
});
