import { startTracker } from '../../apps/tracker/src';
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { AgencyRefSchema, derivedEventId, MessageRoutedSchema, Topics } from '@liaison/contracts';
import { createKafka, EventPublisher, parseBrokers } from '@liaison/messaging';
import { createLogger } from '@liaison/observability';
import { createDataSource } from '@liaison/persistence';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { ConsumerService } from '@liaison/runtime';

/** What a tracker test works with: the tracker itself, a publisher of its events, and the database. */
export interface TrackerFixture {
  tracker: ConsumerService;
  publisher: EventPublisher;
  db: DataSource;
}

/** Starts the tracker before a file's tests (and stops it after), with a publisher and a database connection. */
export function trackerFixture(): TrackerFixture {
  const namespace = process.env.KAFKA_NAMESPACE!;
  const fixture = {} as TrackerFixture;

  beforeAll(async () => {
    fixture.tracker = await startTracker(process.env);
    const kafka = createKafka(
      { brokers: parseBrokers(process.env.KAFKA_BROKERS!), clientId: 'tracker-test', namespace },
      createLogger({ service: 'test', level: 'error', format: 'pretty' }),
    );
    fixture.publisher = new EventPublisher(kafka, namespace);
    fixture.db = await createDataSource({
      url: process.env.DATABASE_URL!,
      poolSize: 2,
      applicationName: 'tracker-test',
    }).initialize();
  });

  afterAll(async () => {
    await fixture.publisher.disconnect();
    await fixture.tracker.app.close();
    await fixture.db.destroy();
  });

  return fixture;
}

/** A routed message on a day, from a sender to recipients (each an agency code and its country). */
export function routed(day: string, sender: [string, string], recipients: [string, string][]) {
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
