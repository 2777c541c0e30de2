import { createKafka, parseBrokers } from '@liaison/messaging';
import { createLogger } from '@liaison/observability';
import { createDataSource } from '@liaison/persistence';
import { waitFor, type ApiClient } from '@liaison/testing';
import type { Kafka } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { LogCapture } from './log-capture';
import { issueKey, startServices, type RunningServices } from './services';

export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: { field: string; message: string }[];
};
export type Accepted = { id: string; caseReference: string };
export type InboxPage = {
  items: { id: string; caseReference: string; subject: string; sender: { code: string } }[];
  nextCursor: string | null;
};
export type Volumes = { rows: { direction: string; partnerCountry: string; messages: number }[] };

/** What an exchange test works with: every service, the database, the broker, and the agencies' clients. */
export interface ExchangeFixture {
  logs: LogCapture;
  services: RunningServices;
  db: DataSource;
  kafka: Kafka;
  wmp: ApiClient;
  bureau: ApiClient;
  romania: ApiClient;
  bulgaria: ApiClient;
  lead: ApiClient;
  /** The message in an agency's inbox, once it has arrived. */
  inboxItem(client: ApiClient, messageId: string): Promise<InboxPage['items'][number]>;
  /** The UK's messages this year by direction and partner: country by year, so no count is hidden. */
  volumesThisYear(): Promise<Volumes>;
}

/**
 * Starts every service against the real broker and database before a file's tests (and stops them after), with
 * officers of West Midlands Police, the UK liaison bureau, Romania and Bulgaria and the UK's programme lead. The
 * fixture's fields are filled in once the services are up.
 */
export function exchangeFixture(): ExchangeFixture {
  const fixture = {
    logs: new LogCapture(),
    kafka: createKafka(
      { brokers: parseBrokers(process.env.KAFKA_BROKERS!), clientId: 'e2e', namespace: process.env.KAFKA_NAMESPACE! },
      createLogger({ service: 'e2e', level: 'error', format: 'pretty' }),
    ),
    inboxItem(client: ApiClient, messageId: string) {
      return waitFor(
        async () =>
          (await client.get<InboxPage>('/v1/inbox?limit=100')).body.items.find((item) => item.id === messageId),
        { what: `message ${messageId} in the inbox` },
      );
    },
    async volumesThisYear(): Promise<Volumes> {
      const response = await fixture.lead.get<Volumes>(
        `/v1/reports/volumes?from=${new Date().getUTCFullYear()}&by=direction,partner-country`,
      );
      expect(response.status).toBe(200);
      return response.body;
    },
  } as ExchangeFixture;

  beforeAll(async () => {
    fixture.logs.start();
    fixture.services = await startServices({ LOG_LEVEL: 'debug' });
    fixture.db = await createDataSource({
      url: process.env.DATABASE_URL!,
      poolSize: 2,
      applicationName: 'e2e',
    }).initialize();
    [fixture.wmp, fixture.bureau, fixture.romania, fixture.bulgaria, fixture.lead] = await Promise.all([
      issueKey(fixture.services, 'GB-WMP', 'officer'),
      issueKey(fixture.services, 'GB-NCA-UKLB', 'officer'),
      issueKey(fixture.services, 'RO-ENU', 'officer'),
      issueKey(fixture.services, 'BG-ENU', 'officer'),
      issueKey(fixture.services, 'GB-NCA', 'programme-lead'),
    ]);
  }, 90_000);

  afterAll(async () => {
    await fixture.services?.stop();
    await fixture.db?.destroy();
    fixture.logs.stop();
  });

  return fixture;
}

export const pair = (report: Volumes, direction: string, partner: string) =>
  report.rows.find((row) => row.direction === direction && row.partnerCountry === partner)?.messages ?? 0;
export const total = (report: Volumes) => report.rows.reduce((sum, row) => sum + row.messages, 0);
