import { REPORT_TABLES, rebuildReportFacts, startTracker } from '../../apps/tracker/src';
import { provision } from '../../scripts/ops/provision';
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  AgencyRefSchema,
  CandidateState,
  CaseClosedSchema,
  derivedEventId,
  JitChangedSchema,
  JitCreatedSchema,
  JitMeetingRecordedSchema,
  JitMemberAddedSchema,
  JitPartySchema,
  MatchFoundSchema,
  MatchSideSchema,
  MatchStrength,
  MatchUpdatedSchema,
  MessageRoutedSchema,
  MessageType,
  Priority,
  ReleaseDecision,
  Topics,
  type JitChanged,
} from '@liaison/contracts';
import { type ConsumerService } from '@liaison/runtime';
import { createKafka, deleteNamespaceTopics, EventPublisher, parseBrokers } from '@liaison/messaging';
import { createLogger } from '@liaison/observability';
import { createDataSource } from '@liaison/persistence';
import { seededRandom, waitFor } from '@liaison/testing';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';

/** A deterministic generator, so a failure can be replayed. */
function generator(seed: number) {
  const next = seededRandom(seed);
  return { next, pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)] };
}

const AGENCIES: [string, string][] = [
  ['GB-WMP', 'GB'],
  ['GB-NCA-UKLB', 'GB'],
  ['GB-NCA', 'GB'],
  ['RO-ENU', 'RO'],
  ['BG-ENU', 'BG'],
  ['FR-ENU', 'FR'],
  ['EU-EUROPOL', 'EU'],
];

/**
 * `npm run tracker:rebuild` gives exactly the figures the live tracker kept, from the topics alone: a mix of
 * routed messages (requests answered on time, late and never, cross-checks, information, domestic and abroad),
 * a closed case, matches found and decided (an update arriving before the match), and a team with a meeting.
 * Runs in a database and Kafka namespace of its own, since the rebuild replaces whole tables.
 */
describe('tracker rebuild (real Kafka and PostgreSQL)', () => {
  const namespace = `${process.env.KAFKA_NAMESPACE}rebuild.`;
  const databaseUrl = process.env.DATABASE_URL!.replace(/\/[^/]+$/, '/liaison_test_rebuild');
  const env = { ...process.env, KAFKA_NAMESPACE: namespace, DATABASE_URL: databaseUrl, LOG_LEVEL: 'error' };
  const kafka = createKafka(
    { brokers: parseBrokers(process.env.KAFKA_BROKERS!), clientId: 'tracker-rebuild-test', namespace },
    createLogger({ service: 'test', level: 'error', format: 'pretty' }),
  );
  let publisher: EventPublisher;
  let db: DataSource;
  let tracker: ConsumerService | undefined;
  const published: string[] = [];

  beforeAll(async () => {
    await provision({ databaseUrl, kafkaBrokers: process.env.KAFKA_BROKERS!, kafkaNamespace: namespace, fresh: true });
    publisher = new EventPublisher(kafka, namespace);
    db = await createDataSource({
      url: databaseUrl,
      poolSize: 2,
      applicationName: 'tracker-rebuild-test',
    }).initialize();
  }, 60_000);

  afterAll(async () => {
    await tracker?.app.close();
    await publisher.disconnect();
    await db.destroy();
    await deleteNamespaceTopics(kafka, namespace);
  });

  async function publish(
    topic: Parameters<EventPublisher['publish']>[0],
    events: Parameters<EventPublisher['publish']>[1],
  ): Promise<void> {
    published.push(...events.map((e) => e.eventId!));
    await publisher.publish(topic, events);
  }

  async function allCounted(): Promise<void> {
    await waitFor(
      async () =>
        (
          await db.query(
            'SELECT count(*)::int AS n FROM processed_events WHERE consumer = $1 AND event_id = ANY($2::uuid[])',
            ['tracker', published],
          )
        )[0].n === published.length,
      {
        what: `all ${published.length} events counted`,
        timeoutMs: 60_000,
      },
    );
  }

  /** Every report table's rows, in one order. */
  async function figures(): Promise<Record<string, string[]>> {
    const dump: Record<string, string[]> = {};
    // An open count of nought holds no figure: whether its row is there depends on the order the events came in
    // (a request opened then closed leaves one; a request seen after its case closed, none).
    const rows = (table: string) => (table === 'report_open_requests' ? `${table} t WHERE open <> 0` : `${table} t`);
    for (const table of REPORT_TABLES)
      dump[table] = (await db.query(`SELECT row_to_json(t)::text AS r FROM ${rows(table)} ORDER BY 1`)).map(
        (row: { r: string }) => row.r,
      );
    return dump;
  }

  function routed(
    random: ReturnType<typeof generator>,
    caseReference: string,
    at: Date,
    type: MessageType,
    extra: Record<string, unknown> = {},
  ) {
    const messageId = randomUUID();
    const [senderCode, senderCountry] = random.pick(AGENCIES);
    const recipients = [
      ...new Map(
        Array.from({ length: 1 + Math.floor(random.next() * 3) }, () => random.pick(AGENCIES)).filter(
          ([code]) => code !== senderCode,
        ),
      ).entries(),
    ];
    if (recipients.length === 0) recipients.push(senderCode === 'RO-ENU' ? ['BG-ENU', 'BG'] : ['RO-ENU', 'RO']);
    return {
      eventId: derivedEventId(Topics.messageRouted, messageId),
      key: caseReference,
      correlationId: messageId,
      payload: create(MessageRoutedSchema, {
        messageId,
        caseReference,
        sender: create(AgencyRefSchema, { code: senderCode, country: senderCountry }),
        recipients: recipients.map(([code, country]) => create(AgencyRefSchema, { code, country })),
        submittedAt: timestampFromDate(at),
        routedAt: timestampFromDate(new Date(at.getTime() + 1000)),
        type,
        crimeArea: random.pick(['labour-exploitation', 'sexual-exploitation', '']),
        ...extra,
      }),
    };
  }

  it('refuses to run while the tracker runs, then rebuilds the same figures once it is stopped', async () => {
    tracker = await startTracker(env);
    const random = generator(2017);
    const cases = Array.from({ length: 12 }, (_, i) => `LIA-2017-REBUILD${String(i).padStart(2, '0')}`);
    for (const caseReference of cases) {
      const events = [];
      for (let i = 0; i < 15; i++) {
        const at = new Date(
          Date.UTC(
            2016 + Math.floor(random.next() * 3),
            Math.floor(random.next() * 12),
            1 + Math.floor(random.next() * 28),
            Math.floor(random.next() * 24),
          ),
        );
        const type = random.pick([MessageType.REQUEST, MessageType.CROSS_CHECK, MessageType.INFORMATION]);
        const request = routed(random, caseReference, at, type, {
          priority: random.pick([Priority.NORMAL, Priority.URGENT, Priority.URGENT_DIRECT]),
          answerDeadline:
            type === MessageType.INFORMATION ? undefined : timestampFromDate(new Date(at.getTime() + 3 * 86_400_000)),
        });
        events.push(request);
        if (type === MessageType.INFORMATION) continue;
        // Most recipients answer, some late, some twice; some never.
        for (const recipient of request.payload.recipients) {
          if (random.next() < 0.2) continue;
          const answeredAt = new Date(at.getTime() + random.next() * 6 * 86_400_000);
          const reply = routed(random, caseReference, answeredAt, MessageType.REPLY, {
            inReplyTo: request.payload.messageId,
            routedAt: timestampFromDate(answeredAt),
          });
          reply.payload.sender = create(AgencyRefSchema, { code: recipient.code, country: recipient.country });
          reply.payload.recipients = [request.payload.sender!];
          events.push(reply);
          if (random.next() < 0.1)
            events.push({ ...reply, eventId: randomUUID(), payload: { ...reply.payload, messageId: randomUUID() } });
        }
      }
      await publish(Topics.messageRouted, events);
    }
    await publish(Topics.caseClosed, [
      {
        eventId: randomUUID(),
        key: cases[0],
        correlationId: cases[0],
        payload: create(CaseClosedSchema, {
          caseReference: cases[0],
          closedByAgency: 'GB-WMP',
          closedAt: timestampFromDate(new Date('2018-12-31T00:00:00Z')),
        }),
      },
    ]);
    const matchIds = Array.from({ length: 8 }, () => randomUUID());
    const side = (agency: string) => create(MatchSideSchema, { caseReference: cases[1], agency });
    await publish(
      Topics.matchUpdated,
      matchIds.slice(0, 4).map((matchId, i) => ({
        eventId: randomUUID(),
        key: matchId,
        correlationId: matchId,
        payload: create(MatchUpdatedSchema, {
          matchId,
          entityType: 'phone',
          strength: i % 2 === 0 ? MatchStrength.STRONG : MatchStrength.CANDIDATE,
          a: side('GB-WMP'),
          b: side(i === 3 ? 'GB-NCA' : 'RO-ENU'),
          actingAgency: 'GB-WMP',
          decisionA: i === 2 ? ReleaseDecision.DECLINED : ReleaseDecision.RELEASED,
          decisionB: ReleaseDecision.PENDING,
          candidateState: i % 2 === 1 ? CandidateState.CONFIRMED : CandidateState.UNSPECIFIED,
          updatedAt: timestampFromDate(new Date(Date.UTC(2017, i, 10))),
        }),
      })),
    );
    await publish(
      Topics.matchFound,
      matchIds.map((matchId, i) => ({
        eventId: randomUUID(),
        key: matchId,
        correlationId: matchId,
        payload: create(MatchFoundSchema, {
          matchId,
          entityType: i < 4 ? 'phone' : 'bank-account',
          strength: i % 2 === 0 ? MatchStrength.STRONG : MatchStrength.CANDIDATE,
          a: side('GB-WMP'),
          b: side(i === 3 ? 'GB-NCA' : 'RO-ENU'),
          messageId: randomUUID(),
          foundAt: timestampFromDate(new Date(Date.UTC(2017, i, 1))),
        }),
      })),
    );
    const jitId = randomUUID();
    const change = (byAgency: string, value: JitChanged['change']) => ({
      eventId: randomUUID(),
      key: jitId,
      correlationId: jitId,
      payload: create(JitChangedSchema, {
        jitId,
        byAgency,
        byKeyId: randomUUID(),
        at: timestampFromDate(new Date('2017-02-01T09:00:00Z')),
        change: value,
      }),
    });
    await publish(Topics.jitChanged, [
      change('GB-NCA-UKLB', {
        case: 'created',
        value: create(JitCreatedSchema, {
          name: 'JIT REBUILD',
          parties: [
            create(JitPartySchema, { country: 'GB', agencies: ['GB-NCA-UKLB'] }),
            create(JitPartySchema, { country: 'RO', agencies: ['RO-ENU'] }),
          ],
          startsOn: '2017-02-01',
          endsOn: '2018-01-31',
        }),
      }),
      change('GB-NCA-UKLB', {
        case: 'memberAdded',
        value: create(JitMemberAddedSchema, { agency: 'BG-ENU', country: 'BG' }),
      }),
      change('BG-ENU', {
        case: 'meetingRecorded',
        value: create(JitMeetingRecordedSchema, {
          meetingId: randomUUID(),
          heldOn: '2017-06-01',
          place: 'Sofia',
          participants: ['RO-ENU', 'GB-NCA-UKLB'],
          fundedBy: 'eurojust',
        }),
      }),
    ]);
    await allCounted();

    await expect(rebuildReportFacts(env)).rejects.toThrow(/stop the tracker first/);
    // The live percentiles are recomputed moments after the batches (the rebuild computes them all at its end).
    await waitFor(
      async () => {
        for (const table of REPORT_TABLES.filter((t) => /requests_|request_counts_/.test(t)))
          if ((await db.query(`SELECT 1 FROM ${table} WHERE percentiles_stale LIMIT 1`)).length > 0) return false;
        return true;
      },
      { what: 'the live percentiles recomputed' },
    );
    const live = await figures();
    expect(live.report_country_totals_daily.length).toBeGreaterThan(100);
    expect(live.report_answer_times_monthly.length).toBeGreaterThan(20);
    expect(live.report_match_counts_yearly.length).toBeGreaterThan(2);
    expect(live.report_jit_meetings).toHaveLength(1);
    await tracker.app.close();
    tracker = undefined;

    // Figures lost or wrong since: the rebuild puts them right from the topics alone.
    await db.query('DELETE FROM report_agency_exchanges_yearly');
    await db.query('UPDATE report_request_counts_monthly SET answered = answered + 7');
    await db.query('DELETE FROM report_matches');
    const outcome = await rebuildReportFacts(env);
    expect(outcome.events).toBeGreaterThanOrEqual(published.length);
    expect(await figures()).toEqual(live);

    // The tracker carries on from where the replay ended: nothing counted twice, a new message counted once.
    tracker = await startTracker(env);
    const extra = routed(generator(1), 'LIA-2019-REBUILDXX', new Date('2019-05-05T10:00:00Z'), MessageType.INFORMATION);
    await publish(Topics.messageRouted, [extra]);
    await allCounted();
    const after = await figures();
    const grown = Object.keys(live).filter((table) => JSON.stringify(after[table]) !== JSON.stringify(live[table]));
    expect(grown.sort()).toEqual(
      [
        'agency_exchanges',
        'agency_kinds',
        'agency_partner_exchanges',
        'agency_totals',
        'country_directions',
        'country_exchanges',
        'country_partners',
        'country_totals',
      ]
        .flatMap((cube) => ['daily', 'monthly', 'yearly'].map((grain) => `report_${cube}_${grain}`))
        .filter((table) => table in live),
    );
    const sent = (
      await db.query(
        `SELECT sum(country_messages)::int AS n FROM report_country_exchanges_yearly WHERE period = '2019-01-01' AND direction <> 'inbound' AND country <> '*'`,
      )
    )[0].n;
    expect(sent).toBe(
      extra.payload.recipients.some((r) => r.country === extra.payload.sender!.country) &&
        extra.payload.recipients.some((r) => r.country !== extra.payload.sender!.country)
        ? 2
        : 1,
    );
  }, 180_000);
});
