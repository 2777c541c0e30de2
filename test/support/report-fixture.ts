import { createDataSource } from '@liaison/persistence';
import { waitFor, type ApiClient } from '@liaison/testing';
import type { DataSource } from 'typeorm';
import { issueKey, startServices, type RunningServices } from './services';

export type Accepted = { id: string; caseReference: string };
export type Problem = { status: number; detail: string; errors?: { field: string; message: string }[] };
export type VolumeRow = {
  period: string;
  direction: string;
  partnerCountry: string;
  messageType?: string;
  messages: number | string;
  source: string;
};
export type Report<R> = { country: string | null; rows: R[]; smallCountsHidden: boolean };
export type ResponseRow = {
  period: string;
  partnerCountry: string;
  requests: number;
  answered: number;
  answeredWithinDeadline: number;
  medianHours: number | null;
  p80Hours: number | null;
  shareWithinDeadline: number | null;
};
export type DeadlineRow = {
  partnerCountry: string;
  withinDeadline: number | string;
  approaching: number | string;
  overdue: number | string;
};
export type MatchRow = { period: string; country: string; partnerCountry: string; found: number };
export type JitReport = {
  country: string;
  live: number;
  years: { year: string; created: number; meetings: number; calledByCountry: number }[];
};

/** What a report test works with: every service, the database, and the leads' and officers' clients. */
export interface ReportFixture {
  services: RunningServices;
  db: DataSource;
  lead: ApiClient;
  europol: ApiClient;
  wmp: ApiClient;
  bureau: ApiClient;
  romania: ApiClient;
  portugal: ApiClient;
  year: string;
  yearStart: string;
  send(client: ApiClient, message: Record<string, unknown>): Promise<Accepted>;
  /** Waits until the router has stored a message (its delivery exists). */
  routed(id: string): Promise<void>;
  /** Keeps asking until a report equals what the router's records give (the tracker counts moments later). */
  reconciles<T>(what: string, report: () => Promise<T>, expected: () => Promise<T>): Promise<void>;
}

/**
 * Starts every service before a file's tests (and stops them after), with the UK's and Europol's programme leads
 * and officers of West Midlands, the UK bureau, Romania and Portugal; then sends a known mix of exchanges
 * (domestic, abroad and from abroad; requests answered, late and never; information), so that this year has
 * figures of every kind whatever else ran before.
 */
export function reportFixture(): ReportFixture {
  const year = String(new Date().getUTCFullYear());
  const fixture = { year, yearStart: `${year}-01-01` } as ReportFixture;
  fixture.send = async function send(client: ApiClient, message: Record<string, unknown>): Promise<Accepted> {
    const response = await client.post<Accepted>('/v1/messages', {
      subject: 'Report test',
      body: 'Figures only.',
      ...message,
    });
    expect(response.status).toBe(202);
    return response.body;
  };

  /** Waits until the router has stored a message (its delivery exists). */
  fixture.routed = async function routed(id: string): Promise<void> {
    await waitFor(
      async () => (await fixture.db.query('SELECT 1 FROM deliveries WHERE message_id = $1', [id])).length > 0,
      {
        what: `message ${id} routed`,
      },
    );
  };

  /** Keeps asking until a report equals what the router's records give (the tracker counts moments later). */
  fixture.reconciles = async function reconciles<T>(
    what: string,
    report: () => Promise<T>,
    expected: () => Promise<T>,
  ): Promise<void> {
    let last: { report: T; expected: T } | undefined;
    try {
      await waitFor(
        async () => {
          last = { report: await report(), expected: await expected() };
          return JSON.stringify(last.report) === JSON.stringify(last.expected);
        },
        { what, timeoutMs: 30_000 },
      );
    } finally {
      if (last) expect(last.report).toEqual(last.expected);
    }
  };

  beforeAll(async () => {
    fixture.services = await startServices();
    fixture.db = await createDataSource({
      url: process.env.DATABASE_URL!,
      poolSize: 2,
      applicationName: 'e2e-reports',
    }).initialize();
    [fixture.lead, fixture.europol, fixture.wmp, fixture.bureau, fixture.romania, fixture.portugal] = await Promise.all(
      [
        issueKey(fixture.services, 'GB-NCA', 'programme-lead'),
        issueKey(fixture.services, 'EU-EUROPOL', 'programme-lead'),
        issueKey(fixture.services, 'GB-WMP', 'officer'),
        issueKey(fixture.services, 'GB-NCA-UKLB', 'officer'),
        issueKey(fixture.services, 'RO-ENU', 'officer'),
        issueKey(fixture.services, 'PT-ENU', 'officer'),
      ],
    );
    const { send, routed, wmp, bureau, romania } = fixture;
    const opened = await send(wmp, { type: 'request', priority: 'urgent', recipients: ['GB-NCA-UKLB'] });
    const abroad = await send(bureau, { type: 'request', priority: 'normal', recipients: ['RO-ENU', 'BG-ENU'] });
    await send(bureau, { type: 'information', recipients: ['RO-ENU', 'GB-WMP'] });
    const fromRomania = await send(romania, {
      type: 'cross-check',
      priority: 'urgent',
      recipients: ['GB-NCA-UKLB', 'GB-WMP'],
    });
    for (const message of [opened, abroad, fromRomania]) await routed(message.id);
    // Romania answers the bureau; the bureau answers West Midlands and Romania; Bulgaria never answers.
    const answers = [
      await send(romania, {
        type: 'reply',
        inReplyTo: abroad.id,
        caseReference: abroad.caseReference,
        recipients: ['GB-NCA-UKLB'],
      }),
      await send(bureau, {
        type: 'reply',
        inReplyTo: opened.id,
        caseReference: opened.caseReference,
        recipients: ['GB-WMP'],
      }),
      await send(bureau, {
        type: 'reply',
        inReplyTo: fromRomania.id,
        caseReference: fromRomania.caseReference,
        recipients: ['RO-ENU'],
      }),
    ];
    for (const answer of answers) await routed(answer.id);
  }, 120_000);

  afterAll(async () => {
    await fixture.services?.stop();
    await fixture.db?.destroy();
  });

  return fixture;
}
