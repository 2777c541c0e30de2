import { MessageType, Topics } from '@liaison/contracts';
import { EventPublisher } from '@liaison/messaging';
import { waitFor } from '@liaison/testing';
import type { DataSource } from 'typeorm';
import { routed, trackerFixture } from '../support/tracker-fixture';

describe('tracker: message volumes (real Kafka and PostgreSQL)', () => {
  const fixture = trackerFixture();
  let publisher: EventPublisher;
  let db: DataSource;

  beforeAll(() => {
    ({ publisher, db } = fixture);
  });

  const exchangeTotals = (day: string) =>
    db.query(
      `SELECT country, direction, partner_country, sum(partner_messages)::int AS messages FROM report_country_partners_daily
        WHERE period = $1 AND country <> '*' GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
      [day],
    );

  it('counts every routed message from each country it touches, by agency, direction, partner, type and crime area', async () => {
    const day = '1999-01-05';
    const asked = routed(
      day,
      ['GB-NCA-UKLB', 'GB'],
      [
        ['RO-ENU', 'RO'],
        ['BG-ENU', 'BG'],
        ['GB-WMP', 'GB'],
      ],
    );
    asked.payload.type = MessageType.REQUEST;
    asked.payload.crimeArea = 'labour-exploitation';
    const answer = routed(day, ['RO-ENU', 'RO'], [['GB-NCA-UKLB', 'GB']]);
    answer.payload.type = MessageType.REPLY;
    answer.payload.crimeArea = 'labour-exploitation';
    await publisher.publish(Topics.messageRouted, [asked, answer]);
    const month = '1999-01-01';
    const country = () =>
      db.query(
        `SELECT country, direction, partner_country, message_type, partner_messages::int, country_messages::int FROM report_country_exchanges_monthly
          WHERE period = $1 AND crime_area = 'labour-exploitation' AND country <> '*' ORDER BY 1, 2, 3, 4`,
        [month],
      );
    await waitFor(async () => (await country()).length === 7, { what: 'seven country rows' });
    // The request counts once for the UK abroad (on its first partner row), once per partner, once in each country reached.
    expect(await country()).toEqual([
      {
        country: 'BG',
        direction: 'inbound',
        partner_country: 'GB',
        message_type: 'request',
        partner_messages: 1,
        country_messages: 1,
      },
      {
        country: 'GB',
        direction: 'domestic',
        partner_country: 'GB',
        message_type: 'request',
        partner_messages: 1,
        country_messages: 1,
      },
      {
        country: 'GB',
        direction: 'inbound',
        partner_country: 'RO',
        message_type: 'reply',
        partner_messages: 1,
        country_messages: 1,
      },
      {
        country: 'GB',
        direction: 'outbound',
        partner_country: 'BG',
        message_type: 'request',
        partner_messages: 1,
        country_messages: 1,
      },
      {
        country: 'GB',
        direction: 'outbound',
        partner_country: 'RO',
        message_type: 'request',
        partner_messages: 1,
        country_messages: 0,
      },
      {
        country: 'RO',
        direction: 'inbound',
        partner_country: 'GB',
        message_type: 'request',
        partner_messages: 1,
        country_messages: 1,
      },
      {
        country: 'RO',
        direction: 'outbound',
        partner_country: 'GB',
        message_type: 'reply',
        partner_messages: 1,
        country_messages: 1,
      },
    ]);
    // Per agency: each agency once per direction, type and area; and once per partner.
    expect(
      await db.query(
        `SELECT agency, direction, message_type, agency_messages::int AS n FROM report_agency_exchanges_monthly WHERE period = $1 AND crime_area = 'labour-exploitation' ORDER BY 1, 2`,
        [month],
      ),
    ).toEqual([
      { agency: 'BG-ENU', direction: 'inbound', message_type: 'request', n: 1 },
      { agency: 'GB-NCA-UKLB', direction: 'domestic', message_type: 'request', n: 1 },
      { agency: 'GB-NCA-UKLB', direction: 'inbound', message_type: 'reply', n: 1 },
      { agency: 'GB-NCA-UKLB', direction: 'outbound', message_type: 'request', n: 1 },
      { agency: 'RO-ENU', direction: 'inbound', message_type: 'request', n: 1 },
      { agency: 'RO-ENU', direction: 'outbound', message_type: 'reply', n: 1 },
    ]);
    expect(
      await db.query(
        `SELECT agency, direction, partner_country, messages::int AS n FROM report_agency_partner_exchanges_monthly WHERE period = $1 AND agency = 'GB-NCA-UKLB' ORDER BY 2, 3`,
        [month],
      ),
    ).toEqual([
      { agency: 'GB-NCA-UKLB', direction: 'domestic', partner_country: 'GB', n: 1 },
      { agency: 'GB-NCA-UKLB', direction: 'inbound', partner_country: 'RO', n: 1 },
      { agency: 'GB-NCA-UKLB', direction: 'outbound', partner_country: 'BG', n: 1 },
      { agency: 'GB-NCA-UKLB', direction: 'outbound', partner_country: 'RO', n: 1 },
    ]);
    expect(
      await db.query(
        `SELECT agency, direction, agency_messages::int AS n FROM report_agency_totals_monthly WHERE period = $1 AND agency IN ('GB-NCA-UKLB', 'RO-ENU') ORDER BY 1, 2`,
        [month],
      ),
    ).toEqual([
      { agency: 'GB-NCA-UKLB', direction: 'domestic', n: 1 },
      { agency: 'GB-NCA-UKLB', direction: 'inbound', n: 1 },
      { agency: 'GB-NCA-UKLB', direction: 'outbound', n: 1 },
      { agency: 'RO-ENU', direction: 'inbound', n: 1 },
      { agency: 'RO-ENU', direction: 'outbound', n: 1 },
    ]);
    // Every direction together: a message an agency sent at home and abroad counts in both directions.
    expect(
      await db.query(
        `SELECT agency, message_type, agency_messages::int AS n FROM report_agency_kinds_monthly WHERE period = $1 AND crime_area = 'labour-exploitation' ORDER BY 1, 2`,
        [month],
      ),
    ).toEqual([
      { agency: 'BG-ENU', message_type: 'request', n: 1 },
      { agency: 'GB-NCA-UKLB', message_type: 'reply', n: 1 },
      { agency: 'GB-NCA-UKLB', message_type: 'request', n: 2 },
      { agency: 'RO-ENU', message_type: 'reply', n: 1 },
      { agency: 'RO-ENU', message_type: 'request', n: 1 },
    ]);
    // The smaller per-country cubes, and every country's figures summed (country '*').
    expect(
      await db.query(
        `SELECT country, direction, message_type, country_messages::int AS n FROM report_country_totals_daily WHERE period = $1 AND crime_area = 'labour-exploitation' ORDER BY 1, 2, 3`,
        [day],
      ),
    ).toEqual([
      { country: '*', direction: 'domestic', message_type: 'request', n: 1 },
      { country: '*', direction: 'inbound', message_type: 'reply', n: 1 },
      { country: '*', direction: 'inbound', message_type: 'request', n: 2 },
      { country: '*', direction: 'outbound', message_type: 'reply', n: 1 },
      { country: '*', direction: 'outbound', message_type: 'request', n: 1 },
      { country: 'BG', direction: 'inbound', message_type: 'request', n: 1 },
      { country: 'GB', direction: 'domestic', message_type: 'request', n: 1 },
      { country: 'GB', direction: 'inbound', message_type: 'reply', n: 1 },
      { country: 'GB', direction: 'outbound', message_type: 'request', n: 1 },
      { country: 'RO', direction: 'inbound', message_type: 'request', n: 1 },
      { country: 'RO', direction: 'outbound', message_type: 'reply', n: 1 },
    ]);
    expect(
      await db.query(
        `SELECT direction, partner_country, partner_messages::int AS n FROM report_country_partners_monthly WHERE period = $1 AND country = 'GB' ORDER BY 1, 2`,
        [month],
      ),
    ).toEqual([
      { direction: 'domestic', partner_country: 'GB', n: 1 },
      { direction: 'inbound', partner_country: 'RO', n: 1 },
      { direction: 'outbound', partner_country: 'BG', n: 1 },
      { direction: 'outbound', partner_country: 'RO', n: 1 },
    ]);
    expect(
      await db.query(
        `SELECT direction, partner_country, message_type, partner_messages::int AS n FROM report_country_exchanges_yearly WHERE period = '1999-01-01' AND country = '*' AND crime_area = 'labour-exploitation' ORDER BY 1, 2, 3`,
      ),
    ).toEqual([
      { direction: 'domestic', partner_country: 'GB', message_type: 'request', n: 1 },
      { direction: 'inbound', partner_country: 'GB', message_type: 'request', n: 2 },
      { direction: 'inbound', partner_country: 'RO', message_type: 'reply', n: 1 },
      { direction: 'outbound', partner_country: 'BG', message_type: 'request', n: 1 },
      { direction: 'outbound', partner_country: 'GB', message_type: 'reply', n: 1 },
      { direction: 'outbound', partner_country: 'RO', message_type: 'request', n: 1 },
    ]);
  });

  it('never counts a redelivered event twice', async () => {
    const day = '1999-02-01';
    const event = routed(day, ['GB-WMP', 'GB'], [['RO-ENU', 'RO']]);
    const marker = routed(day, ['FR-ENU', 'FR'], [['RO-ENU', 'RO']]);
    await publisher.publish(Topics.messageRouted, [event]);
    await publisher.publish(Topics.messageRouted, [event, marker]);
    // The marker follows the duplicate on the same partition key, so once it is counted the duplicate was seen.
    await waitFor(async () => (await exchangeTotals(day)).some((r: { country: string }) => r.country === 'FR'), {
      what: 'marker counted',
    });
    expect(await exchangeTotals(day)).toEqual([
      { country: 'FR', direction: 'outbound', partner_country: 'RO', messages: 1 },
      { country: 'GB', direction: 'outbound', partner_country: 'RO', messages: 1 },
      { country: 'RO', direction: 'inbound', partner_country: 'FR', messages: 1 },
      { country: 'RO', direction: 'inbound', partner_country: 'GB', messages: 1 },
    ]);
  });

  it('counts an event repeated within one batch once', async () => {
    const day = '1999-03-01';
    const event = routed(day, ['GB-WMP', 'GB'], [['RO-ENU', 'RO']]);
    const marker = routed(day, ['FR-ENU', 'FR'], [['RO-ENU', 'RO']]);
    // One produce request: the two copies reach the tracker in the same batch.
    await publisher.publish(Topics.messageRouted, [event, event, marker]);
    await waitFor(async () => (await exchangeTotals(day)).some((r: { country: string }) => r.country === 'FR'), {
      what: 'marker counted',
    });
    expect((await exchangeTotals(day)).filter((r: { country: string }) => r.country === 'GB')).toEqual([
      { country: 'GB', direction: 'outbound', partner_country: 'RO', messages: 1 },
    ]);
  });

  it('keeps the same facts per month and year, and per country without the agencies', async () => {
    const days = ['1998-06-01', '1998-06-30', '1998-07-02'];
    await publisher.publish(
      Topics.messageRouted,
      days.map((day) => routed(day, ['GB-WMP', 'GB'], [['RO-ENU', 'RO']])),
    );
    const sums = (table: string, from: string) =>
      db.query(
        `SELECT period::text, sum(${table.startsWith('report_country') ? 'partner_messages' : 'messages'})::int AS n FROM ${table} WHERE country = 'GB' AND period >= $1 AND period < '1999-01-01' GROUP BY 1 ORDER BY 1`,
        [from],
      );
    await waitFor(
      async () =>
        (await sums('report_agency_partner_exchanges_yearly', '1998-01-01')).some((r: { n: number }) => r.n === 3),
      { what: 'three messages in 1998' },
    );
    expect(await sums('report_agency_partner_exchanges_monthly', '1998-01-01')).toEqual([
      { period: '1998-06-01', n: 2 },
      { period: '1998-07-01', n: 1 },
    ]);
    expect(await sums('report_country_exchanges_monthly', '1998-01-01')).toEqual([
      { period: '1998-06-01', n: 2 },
      { period: '1998-07-01', n: 1 },
    ]);
    expect(await sums('report_country_exchanges_yearly', '1998-01-01')).toEqual([{ period: '1998-01-01', n: 3 }]);
    expect(
      await db.query(
        `SELECT agency_messages::int AS n FROM report_agency_exchanges_yearly WHERE country = 'GB' AND period = '1998-01-01' AND agency = 'GB-WMP' AND direction = 'outbound'`,
      ),
    ).toEqual([{ n: 3 }]);
    expect(
      await db.query(
        `SELECT period::text, messages::int AS n FROM report_agency_partner_exchanges_monthly WHERE country = 'GB' AND agency = 'GB-WMP' AND partner_country = 'RO' AND period BETWEEN '1998-01-01' AND '1998-12-31' ORDER BY 1`,
      ),
    ).toEqual([
      { period: '1998-06-01', n: 2 },
      { period: '1998-07-01', n: 1 },
    ]);
  });
});
