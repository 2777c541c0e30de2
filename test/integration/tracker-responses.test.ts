import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  CaseClosedSchema,
  JitChangedSchema,
  JitCreatedSchema,
  JitExtendedSchema,
  JitMeetingRecordedSchema,
  JitMemberAddedSchema,
  JitMemberRemovedSchema,
  JitPartySchema,
  MatchFoundSchema,
  MatchSideSchema,
  MatchStrength,
  MatchUpdatedSchema,
  MessageType,
  Priority,
  ReleaseDecision,
  Topics,
  type JitChanged,
} from '@liaison/contracts';
import { responseBucket } from '@liaison/domain';
import { EventPublisher } from '@liaison/messaging';
import { waitFor } from '@liaison/testing';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { routed, trackerFixture } from '../support/tracker-fixture';

describe('tracker: requests, matches and teams (real Kafka and PostgreSQL)', () => {
  const fixture = trackerFixture();
  let publisher: EventPublisher;
  let db: DataSource;

  beforeAll(() => {
    ({ publisher, db } = fixture);
  });

  it("times each recipient's answer to a request against its deadline, and closes what a closed case leaves open", async () => {
    const caseReference = `LIA-1997-${randomUUID().slice(0, 9).toUpperCase()}`;
    const request = routed(
      '1997-04-01',
      ['GB-NCA-UKLB', 'GB'],
      [
        ['RO-ENU', 'RO'],
        ['BG-ENU', 'BG'],
      ],
    );
    request.key = caseReference;
    request.payload.caseReference = caseReference;
    request.payload.type = MessageType.REQUEST;
    request.payload.priority = Priority.URGENT;
    request.payload.answerDeadline = timestampFromDate(new Date('1997-04-04T10:00:00Z'));
    // Romania answers after two hours; a second Romanian reply changes nothing.
    const reply = (hours: number) => {
      const event = routed('1997-04-01', ['RO-ENU', 'RO'], [['GB-NCA-UKLB', 'GB']]);
      event.key = caseReference;
      Object.assign(event.payload, {
        caseReference,
        type: MessageType.REPLY,
        inReplyTo: request.payload.messageId,
        routedAt: timestampFromDate(new Date(Date.parse('1997-04-01T10:00:00Z') + hours * 3_600_000)),
      });
      return event;
    };
    await publisher.publish(Topics.messageRouted, [request, reply(2), reply(30)]);
    const counts = () =>
      db.query(
        `SELECT partner_country, priority, requests::int, answered::int, within_deadline::int FROM report_request_counts_yearly WHERE country = 'GB' AND period = '1997-01-01' ORDER BY 1`,
      );
    await waitFor(async () => (await counts()).some((r: { answered: number }) => r.answered === 1), {
      what: 'the answer counted',
    });
    expect(await counts()).toEqual([
      { partner_country: 'BG', priority: 'urgent', requests: 1, answered: 0, within_deadline: 0 },
      { partner_country: 'RO', priority: 'urgent', requests: 1, answered: 1, within_deadline: 1 },
    ]);
    expect(
      await db.query(
        `SELECT partner_country, bucket, answers::int FROM report_answer_times_monthly WHERE country = 'GB' AND period = '1997-04-01'`,
      ),
    ).toEqual([{ partner_country: 'RO', bucket: responseBucket(2 * 3600), answers: 1 }]);
    // Every response cube keeps the percentiles of its rows' answers, for the country and for every country,
    // recomputed moments after the batch that added the answer.
    const bucket = responseBucket(2 * 3600);
    const stale = async () => {
      let rows = 0;
      for (const table of ['report_request_counts', 'report_partner_requests', 'report_priority_requests'])
        for (const grain of ['monthly', 'quarterly', 'yearly'])
          rows += (
            await db.query(
              `SELECT 1 FROM ${table}_${grain} WHERE percentiles_stale AND period BETWEEN '1997-01-01' AND '1997-04-01'`,
            )
          ).length;
      return rows;
    };
    await waitFor(async () => (await stale()) === 0, { what: 'the percentiles recomputed' });
    for (const [table, keys] of [
      ['report_request_counts', 'partner_country, priority'],
      ['report_partner_requests', 'partner_country'],
      ['report_priority_requests', 'priority'],
    ]) {
      for (const grain of ['monthly', 'quarterly', 'yearly']) {
        expect(
          await db.query(
            `SELECT country, ${keys}, answered::int, median_bucket, p80_bucket FROM ${table}_${grain} WHERE period BETWEEN '1997-01-01' AND '1997-04-01' AND country IN ('GB', '*') ORDER BY 1, 2`,
          ),
        ).toEqual(
          table === 'report_priority_requests'
            ? [
                { country: '*', priority: 'urgent', answered: 1, median_bucket: bucket, p80_bucket: bucket },
                { country: 'GB', priority: 'urgent', answered: 1, median_bucket: bucket, p80_bucket: bucket },
              ]
            : ['*', 'GB'].flatMap((country) => [
                {
                  country,
                  partner_country: 'BG',
                  ...(keys.includes('priority') ? { priority: 'urgent' } : {}),
                  answered: 0,
                  median_bucket: null,
                  p80_bucket: null,
                },
                {
                  country,
                  partner_country: 'RO',
                  ...(keys.includes('priority') ? { priority: 'urgent' } : {}),
                  answered: 1,
                  median_bucket: bucket,
                  p80_bucket: bucket,
                },
              ]),
        );
      }
    }
    const open = () =>
      db.query(
        'SELECT recipient_agency FROM report_requests WHERE message_id = $1 AND answered_at IS NULL AND closed_at IS NULL',
        [request.payload.messageId],
      );
    expect(await open()).toEqual([{ recipient_agency: 'BG-ENU' }]);
    // The open counts move with the requests in the same transactions: in any one snapshot they agree.
    const disagreeing = async () =>
      db.query(
        `SELECT country, partner_country, priority, r.n::int AS requests, o.open::int AS counted
           FROM (SELECT country, partner_country, priority, count(*) AS n FROM report_requests WHERE answered_at IS NULL AND closed_at IS NULL GROUP BY 1, 2, 3) r
           FULL JOIN (SELECT * FROM report_open_requests WHERE open <> 0) o USING (country, partner_country, priority)
          WHERE r.n IS DISTINCT FROM o.open`,
      );
    expect(await disagreeing()).toEqual([]);
    await publisher.publish(Topics.caseClosed, [
      {
        eventId: randomUUID(),
        key: caseReference,
        correlationId: caseReference,
        payload: create(CaseClosedSchema, {
          caseReference,
          closedByAgency: 'GB-NCA-UKLB',
          closedAt: timestampFromDate(new Date('1997-05-01T00:00:00Z')),
        }),
      },
    ]);
    await waitFor(async () => (await open()).length === 0, { what: 'the open request closed with its case' });
    expect(await disagreeing()).toEqual([]);
  });

  it('counts a match once per country from whichever of its events comes first, and moves its decisions', async () => {
    const matchId = randomUUID();
    const sides = {
      a: create(MatchSideSchema, { caseReference: 'LIA-1996-AAAAAAAAA', agency: 'GB-WMP' }),
      b: create(MatchSideSchema, { caseReference: 'LIA-1996-BBBBBBBBB', agency: 'RO-ENU' }),
    };
    const updated = (minutes: number, decisionA: ReleaseDecision) => ({
      eventId: randomUUID(),
      key: matchId,
      correlationId: matchId,
      payload: create(MatchUpdatedSchema, {
        matchId,
        entityType: 'phone',
        strength: MatchStrength.STRONG,
        ...sides,
        actingAgency: 'GB-WMP',
        decisionA,
        decisionB: ReleaseDecision.PENDING,
        updatedAt: timestampFromDate(new Date(Date.parse('1996-03-02T10:00:00Z') + minutes * 60_000)),
      }),
    });
    // The release is seen before the match is found, and a stale update (declined, earlier) arrives last.
    const release = updated(10, ReleaseDecision.RELEASED);
    const found = {
      eventId: randomUUID(),
      key: matchId,
      correlationId: matchId,
      payload: create(MatchFoundSchema, {
        matchId,
        entityType: 'phone',
        strength: MatchStrength.STRONG,
        ...sides,
        messageId: randomUUID(),
        foundAt: timestampFromDate(new Date('1996-03-01T10:00:00Z')),
      }),
    };
    const stale = updated(5, ReleaseDecision.DECLINED);
    await publisher.publish(Topics.matchUpdated, [release]);
    await publisher.publish(Topics.matchFound, [found]);
    await publisher.publish(Topics.matchUpdated, [stale]);
    const counts = () =>
      db.query(
        `SELECT country, partner_country, found::int, released::int, declined::int FROM report_match_counts_monthly WHERE period = '1996-03-01' AND entity_type = 'phone' AND country <> '*' ORDER BY 1`,
      );
    const ids = [release, found, stale].map((e) => e.eventId);
    await waitFor(
      async () =>
        (
          await db.query('SELECT 1 FROM processed_events WHERE consumer = $1 AND event_id = ANY($2::uuid[])', [
            'tracker',
            ids,
          ])
        ).length === 3,
      { what: 'the three match events counted' },
    );
    expect(await counts()).toEqual([
      { country: 'GB', partner_country: 'RO', found: 1, released: 1, declined: 0 },
      { country: 'RO', partner_country: 'GB', found: 1, released: 0, declined: 0 },
    ]);
    expect(
      await db.query(
        `SELECT country, partner_country, found::int, released::int, declined::int FROM report_match_partners_yearly WHERE period = '1996-01-01' ORDER BY 1, 2`,
      ),
    ).toEqual([
      { country: '*', partner_country: 'GB', found: 1, released: 0, declined: 0 },
      { country: '*', partner_country: 'RO', found: 1, released: 1, declined: 0 },
      { country: 'GB', partner_country: 'RO', found: 1, released: 1, declined: 0 },
      { country: 'RO', partner_country: 'GB', found: 1, released: 0, declined: 0 },
    ]);
  });

  it("counts teams, their countries and the meetings their members record, with the router's rules", async () => {
    const jitId = randomUUID();
    const change = (byAgency: string, value: JitChanged['change']) => ({
      eventId: randomUUID(),
      key: jitId,
      correlationId: jitId,
      payload: create(JitChangedSchema, {
        jitId,
        byAgency,
        byKeyId: randomUUID(),
        at: timestampFromDate(new Date('1995-02-01T09:00:00Z')),
        change: value,
      }),
    });
    const meeting = () => ({
      case: 'meetingRecorded' as const,
      value: create(JitMeetingRecordedSchema, {
        meetingId: randomUUID(),
        heldOn: '1995-03-01',
        place: 'The Hague',
        participants: ['RO-ENU', 'EU-EUROJUST'],
        fundedBy: 'eurojust',
      }),
    });
    await publisher.publish(Topics.jitChanged, [
      change('GB-NCA-UKLB', {
        case: 'created',
        value: create(JitCreatedSchema, {
          name: 'JIT TEST',
          parties: [
            create(JitPartySchema, { country: 'GB', agencies: ['GB-NCA-UKLB'] }),
            create(JitPartySchema, { country: 'RO', agencies: ['RO-ENU'] }),
          ],
          startsOn: '1995-02-01',
          endsOn: '1995-12-31',
        }),
      }),
      change('GB-NCA-UKLB', {
        case: 'memberAdded',
        value: create(JitMemberAddedSchema, { agency: 'BG-ENU', country: 'BG' }),
      }),
      change('RO-ENU', meeting()),
      // Not a member: the router refuses it, and it is not counted.
      change('FR-ENU', meeting()),
      // Bulgaria leaves: its meeting afterwards is not counted, and only the lead may extend the agreement.
      change('GB-NCA-UKLB', { case: 'memberRemoved', value: create(JitMemberRemovedSchema, { agency: 'BG-ENU' }) }),
      change('BG-ENU', meeting()),
      change('RO-ENU', { case: 'extended', value: create(JitExtendedSchema, { endsOn: '1999-12-31' }) }),
      change('GB-NCA-UKLB', { case: 'extended', value: create(JitExtendedSchema, { endsOn: '1996-06-30' }) }),
    ]);
    const jit = () =>
      db.query('SELECT lead_country, countries, created_on::text, ends_on::text FROM report_jits WHERE jit_id = $1', [
        jitId,
      ]);
    await waitFor(async () => (await jit())[0]?.ends_on === '1996-06-30', { what: 'the team extended' });
    expect(await jit()).toEqual([
      { lead_country: 'GB', countries: ['BG', 'GB', 'RO'], created_on: '1995-02-01', ends_on: '1996-06-30' },
    ]);
    expect(
      await db.query('SELECT held_on::text, called_by_country, countries FROM report_jit_meetings WHERE jit_id = $1', [
        jitId,
      ]),
    ).toEqual([{ held_on: '1995-03-01', called_by_country: 'RO', countries: ['EU', 'RO'] }]);
  });
});
