import {
  startMatcher,
  IndexMessagesUseCase,
  MatchIndexRepository,
  MatcherConfig,
  rebuildIndex,
} from '../../apps/matcher/src';
import { loadConfig } from '@liaison/config';
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  AgencyRefSchema,
  derivedEventId,
  MatchStrength,
  MessageRoutedSchema,
  Topics,
  type EntityJson,
} from '@liaison/contracts';
import { type ConsumerService } from '@liaison/runtime';
import { createKafka, EventPublisher, parseBrokers } from '@liaison/messaging';
import { createLogger } from '@liaison/observability';
import { createDataSource } from '@liaison/persistence';
import { sealMessageText, type MatchKeyBlinder } from '@liaison/protection';
import { blinderFromEnvironment, caseKeysFromEnvironment, TopicRecorder, waitFor } from '@liaison/testing';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';

interface MatchRow {
  key: string;
  strength: string;
  case_a: string;
  agency_a: string;
  case_b: string;
  agency_b: string;
  candidate_state: string | null;
}

describe('matcher (real Kafka and PostgreSQL)', () => {
  const namespace = process.env.KAFKA_NAMESPACE!;
  const run = randomUUID().slice(0, 8).toUpperCase();
  const keys = caseKeysFromEnvironment();
  let matcher: ConsumerService;
  let publisher: EventPublisher;
  let db: DataSource;
  let blinder: MatchKeyBlinder;
  let found: TopicRecorder<typeof Topics.matchFound>;
  let caseCounter = 0;
  // Values unique to this run, so that runs against the same database do not link to each other.
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join('');
  const born = `19${10 + Math.floor(Math.random() * 80)}-0${1 + Math.floor(Math.random() * 9)}-1${Math.floor(Math.random() * 10)}`;
  const mobile = digits(6);

  /** A GB IBAN for the given 14-digit account, with its check digits computed (ISO 7064 mod 97-10). */
  function gbIban(account: string): string {
    const bban = `WEST${account}`;
    const numeric = [...`${bban}GB00`].map((c) => (/\d/.test(c) ? c : String(c.charCodeAt(0) - 55))).join('');
    const remainder = [...numeric].reduce((r, d) => (r * 10 + Number(d)) % 97, 0);
    return `GB${String(98 - remainder).padStart(2, '0')}${bban}`;
  }

  beforeAll(async () => {
    matcher = await startMatcher({ ...process.env, MATCH_OVER_CORRELATION_CAP: '3' });
    const kafka = createKafka(
      { brokers: parseBrokers(process.env.KAFKA_BROKERS!), clientId: 'matcher-test', namespace },
      createLogger({ service: 'test', level: 'error', format: 'pretty' }),
    );
    publisher = new EventPublisher(kafka, namespace);
    found = await new TopicRecorder(kafka, namespace, Topics.matchFound).start();
    db = await createDataSource({
      url: process.env.DATABASE_URL!,
      poolSize: 2,
      applicationName: 'matcher-test',
    }).initialize();
    blinder = await blinderFromEnvironment(db);
  });

  afterAll(async () => {
    await found.stop();
    await publisher.disconnect();
    await matcher.app.close();
    await db.destroy();
  });

  async function openCase(owner: string): Promise<string> {
    const reference = `LIA-MT${run}-${String(++caseCounter).padStart(4, '0')}`;
    await db.query('INSERT INTO cases (reference, owner_agency, opened_at) VALUES ($1, $2, now())', [reference, owner]);
    return reference;
  }

  /** Stores a message as the router would, then publishes its routed event; returns the event. */
  async function route(
    caseReference: string,
    sender: string,
    entities: Record<string, unknown>[],
    body = 'See attached entities.',
  ) {
    const messageId = randomUUID();
    const content = sealMessageText(await keys.issue(db, caseReference), caseReference, messageId, {
      subject: 'Checks',
      body,
      entities: entities as unknown as EntityJson[],
      links: [],
      handlingRestriction: '',
      attachmentNames: [],
    });
    await db.query(
      `INSERT INTO messages (id, case_reference, sender_agency, content, submitted_at, routed_at, submitted_by_key_id, correlation_id)
       VALUES ($1::uuid, $2, $3, $4, now(), now(), $5, $1::text)`,
      [messageId, caseReference, sender, content, randomUUID()],
    );
    const event = {
      eventId: derivedEventId(Topics.messageRouted, messageId),
      key: caseReference,
      correlationId: messageId,
      payload: create(MessageRoutedSchema, {
        messageId,
        caseReference,
        sender: create(AgencyRefSchema, { code: sender, country: sender.slice(0, 2) }),
        submittedAt: timestampFromDate(new Date()),
        routedAt: timestampFromDate(new Date()),
      }),
    };
    await publisher.publish(Topics.messageRouted, [event]);
    return { messageId, event };
  }

  /**
   * Routes a marker message in the case and waits until it is indexed. A batch's holdings are written before its
   * matches, so a message being indexed does not mean its matches are stored yet; but one partition's batches are
   * taken in order, so once the marker (routed after) is indexed, every earlier message of the case is handled.
   */
  async function handled(caseReference: string, sender: string): Promise<void> {
    const marker = await route(caseReference, sender, [
      { ref: 'm1', type: 'email', address: `marker-${randomUUID()}@example.org` },
    ]);
    await waitFor(async () => (await indexed(marker.messageId)) === 1, { what: 'a marker message indexed' });
  }

  const indexed = (messageId: string) =>
    db.query('SELECT key FROM match_keys WHERE message_id = $1', [messageId]).then((rows: unknown[]) => rows.length);
  const matchesOf = (caseReference: string): Promise<MatchRow[]> =>
    db.query(
      'SELECT key, strength, case_a, agency_a, case_b, agency_b, candidate_state FROM matches WHERE case_a = $1 OR case_b = $1 ORDER BY key, case_a, case_b',
      [caseReference],
    );

  it('links two cases in different countries that share a phone written differently, and a person spelt in two scripts', async () => {
    const uk = await openCase('GB-WMP');
    const ro = await openCase('RO-ENU');
    const first = await route(uk, 'GB-WMP', [
      { ref: 'p1', type: 'person', names: ['Ștefan POPESCU'], dateOfBirth: born },
      { ref: 't1', type: 'phone', number: `+40 721 ${mobile}` },
    ]);
    await waitFor(async () => (await indexed(first.messageId)) === 3, { what: 'the first message indexed' });
    const second = await route(ro, 'RO-ENU', [
      { ref: 'p1', type: 'person', names: ['Стефан Попеску'], dateOfBirth: born },
      { ref: 't1', type: 'phone', number: `0721 ${mobile}` },
    ]);
    await waitFor(async () => (await indexed(second.messageId)) === 3, { what: 'the second message indexed' });
    await handled(ro, 'RO-ENU');
    const [a, b] =
      uk < ro
        ? [
            [uk, 'GB-WMP'],
            [ro, 'RO-ENU'],
          ]
        : [
            [ro, 'RO-ENU'],
            [uk, 'GB-WMP'],
          ];
    expect(await matchesOf(uk)).toEqual([
      {
        key: blinder.blind(`person-sound:psk stfn|${born}`),
        strength: 'candidate',
        case_a: a[0],
        agency_a: a[1],
        case_b: b[0],
        agency_b: b[1],
        candidate_state: 'suggested',
      },
      {
        key: blinder.blind(`phone:+40721${mobile}`),
        strength: 'strong',
        case_a: a[0],
        agency_a: a[1],
        case_b: b[0],
        agency_b: b[1],
        candidate_state: null,
      },
    ]);
    // Each match is announced once, naming the cases, owners and entity type, never the value.
    const ids: { id: string }[] = await db.query('SELECT id FROM matches WHERE case_a = $1 OR case_b = $1', [uk]);
    const announced = () => found.find((e) => ids.some((m) => m.id === e.payload.matchId)).map((e) => e.payload);
    await waitFor(async () => announced().length === 2, { what: 'two MatchFound events' });
    expect(
      announced()
        .map((e) => [
          e.entityType,
          e.strength,
          e.a?.caseReference,
          e.a?.agency,
          e.b?.caseReference,
          e.b?.agency,
          e.messageId,
        ])
        .sort(),
    ).toEqual([
      ['person', MatchStrength.CANDIDATE, a[0], a[1], b[0], b[1], second.messageId],
      ['phone', MatchStrength.STRONG, a[0], a[1], b[0], b[1], second.messageId],
    ]);
    expect(
      JSON.stringify(announced(), (_key, value: unknown) => (typeof value === 'bigint' ? String(value) : value)),
    ).not.toContain(mobile);
    expect(
      await db.query(
        'SELECT count(*)::int AS n FROM matches WHERE (case_a = $1 OR case_b = $1) AND announced_at IS NULL',
        [uk],
      ),
    ).toEqual([{ n: 0 }]);
  });

  it('matches identifiers found only in the free text, never within one case, and adds nothing on redelivery', async () => {
    const first = await openCase('GB-NCA-UKLB');
    const second = await openCase('BG-ENU');
    const iban = gbIban(digits(14));
    const spaced = iban.replace(/(.{4})/g, '$1 ').trim();
    const a1 = await route(first, 'GB-NCA-UKLB', [], `Payments went to ${spaced}.`);
    const a2 = await route(first, 'GB-WMP', [{ ref: 'b1', type: 'bank-account', iban: iban.toLowerCase() }]);
    await waitFor(async () => (await indexed(a1.messageId)) === 1 && (await indexed(a2.messageId)) === 1, {
      what: 'both messages of one case indexed',
    });
    await handled(first, 'GB-WMP');
    expect(await matchesOf(first)).toEqual([]);
    const b1 = await route(second, 'BG-ENU', [], `Same account: ${iban}`);
    await waitFor(async () => (await indexed(b1.messageId)) === 1, { what: 'the other case indexed' });
    await publisher.publish(Topics.messageRouted, [b1.event, a1.event]);
    const marker = await route(second, 'BG-ENU', [{ ref: 'e1', type: 'email', address: `marker-${run}@example.org` }]);
    await waitFor(async () => (await indexed(marker.messageId)) === 1, { what: 'the marker after the redelivery' });
    expect((await matchesOf(second)).map((m) => [m.key, m.strength])).toEqual([
      [blinder.blind(`iban:${iban}`), 'strong'],
    ]);
  });

  it('stops linking a key held by more cases than the cap, and lists it as over-correlated', async () => {
    const line = `+442079460${digits(3)}`;
    const switchboard = { ref: 't1', type: 'phone', number: line };
    const cases = [
      await openCase('GB-WMP'),
      await openCase('GB-WMP'),
      await openCase('GB-WMP'),
      await openCase('GB-WMP'),
    ];
    for (const reference of cases) {
      const { messageId } = await route(reference, 'GB-WMP', [switchboard]);
      await waitFor(async () => (await indexed(messageId)) === 1, { what: 'a switchboard message indexed' });
    }
    for (const reference of cases) await handled(reference, 'GB-WMP');
    // Three cases (the cap) give three pairs; the fourth case links to none of them.
    const pairs = await db.query('SELECT count(*)::int AS n FROM matches WHERE key = $1', [
      blinder.blind(`phone:${line}`),
    ]);
    expect(pairs).toEqual([{ n: 3 }]);
    expect(await matchesOf(cases[3])).toEqual([]);
    const stats = () =>
      db.query(
        `SELECT count(DISTINCT case_reference)::int AS case_count, EXISTS (SELECT 1 FROM match_keys_over_correlated WHERE key = $1) AS over
           FROM match_keys WHERE key_hash = hashtextextended($1, 0) AND key = $1`,
        [blinder.blind(`phone:${line}`)],
      );
    expect(await stats()).toEqual([{ case_count: 4, over: true }]);
    // A case that already holds the key mentioning it again is not one more case.
    const again = await route(cases[0], 'GB-WMP', [
      switchboard,
      { ref: 'e1', type: 'email', address: `again-${run}@example.org` },
    ]);
    await waitFor(async () => (await indexed(again.messageId)) === 1, { what: 'the repeat indexed' });
    expect(await stats()).toEqual([{ case_count: 4, over: true }]);
  });

  it('links nothing through an excluded key, at once', async () => {
    const key = `email:desk-${run.toLowerCase()}@hotel.example`;
    await db.query(
      "INSERT INTO match_key_exclusions (key, reason, excluded_by_key_id, excluded_at) VALUES ($1, 'hotel front desk', $2, now())",
      [blinder.blind(key), randomUUID()],
    );
    const one = await openCase('GB-WMP');
    const two = await openCase('RO-ENU');
    for (const [reference, sender] of [
      [one, 'GB-WMP'],
      [two, 'RO-ENU'],
    ] as const) {
      const { messageId } = await route(reference, sender, [
        { ref: 'e1', type: 'email', address: key.slice('email:'.length) },
      ]);
      await waitFor(async () => (await indexed(messageId)) === 1, { what: 'an excluded key indexed' });
      await handled(reference, sender);
    }
    expect(await matchesOf(one)).toEqual([]);
  });

  it('does not suggest a dismissed candidate pair again', async () => {
    const one = await openCase('GB-WMP');
    const two = await openCase('RO-ENU');
    const person = (names: string[]) => [{ ref: 'p1', type: 'person', names, dateOfBirth: born }];
    const first = await route(one, 'GB-WMP', person(['Ivan', 'Petrov', run]));
    await waitFor(async () => (await indexed(first.messageId)) === 2, { what: 'first person indexed' });
    // Petroff sounds like Petrov: a candidate on the sound key.
    await route(two, 'RO-ENU', person(['Ivan', 'Petroff', run]));
    await waitFor(async () => (await matchesOf(one)).length === 1, { what: 'the candidate suggested' });
    expect((await matchesOf(one))[0]).toMatchObject({
      key: expect.stringMatching(/^person-sound:/),
      strength: 'candidate',
      candidate_state: 'suggested',
    });
    await db.query("UPDATE matches SET candidate_state = 'dismissed' WHERE case_a = $1 OR case_b = $1", [one]);
    // Later the other case names the person exactly as the first did: a new key, but the same pair.
    const third = await route(two, 'RO-ENU', person(['Petrov', 'Ivan', run]));
    await waitFor(async () => (await indexed(third.messageId)) === 1, {
      what: 'the exact name indexed for the other case',
    });
    await handled(two, 'RO-ENU');
    expect((await matchesOf(one)).map((m) => m.candidate_state)).toEqual(['dismissed']);
    // A strong key still links the pair.
    const phone = [{ ref: 't1', type: 'phone', number: `+40 722 ${digits(6)}` }];
    await route(one, 'GB-WMP', phone);
    await route(two, 'RO-ENU', phone);
    await waitFor(async () => (await matchesOf(one)).length === 2, { what: 'the strong match' });
    expect((await matchesOf(one)).map((m) => [m.strength, m.candidate_state])).toEqual([
      ['candidate', 'dismissed'],
      ['strong', null],
    ]);
  });

  it('rebuilds the index from the stored messages while the matcher runs, finding what the index had lost and publishing it once', async () => {
    const uk = await openCase('GB-WMP');
    const ro = await openCase('RO-ENU');
    const nl = await openCase('NL-ENU');
    const address = `rebuilt-${run.toLowerCase()}@example.org`;
    const first = await route(uk, 'GB-WMP', [{ ref: 'e1', type: 'email', address }]);
    await waitFor(async () => (await indexed(first.messageId)) === 1, { what: 'the first message indexed' });
    await route(ro, 'RO-ENU', [{ ref: 'e1', type: 'email', address: address.toUpperCase() }]);
    const [kept] = await waitFor(
      async () => {
        const rows: { id: string }[] = await db.query('SELECT id FROM matches WHERE case_a = $1 OR case_b = $1', [uk]);
        return rows.length === 1 ? rows : undefined;
      },
      { what: 'the match the matcher found' },
    );
    await db.query(`UPDATE matches SET decision_a = 'released' WHERE id = $1`, [kept.id]);
    // The index loses the first holding (as if an older rule had not derived it), and a match of another key.
    await db.query('DELETE FROM match_keys WHERE message_id = $1', [first.messageId]);
    const number = `+40 722 ${digits(6)}`;
    await route(uk, 'GB-WMP', [{ ref: 't1', type: 'phone', number }]);
    const phoneTwin = await route(nl, 'NL-ENU', [{ ref: 't1', type: 'phone', number }]);
    const lost = await waitFor(
      async () => {
        const rows: { id: string; key: string }[] = await db.query(
          `SELECT id, key FROM matches WHERE (case_a = $1 OR case_b = $1) AND key LIKE 'phone:%'`,
          [nl],
        );
        return rows.length === 1 ? rows[0] : undefined;
      },
      { what: 'the phone match' },
    );
    await db.query('DELETE FROM matches WHERE id = $1', [lost.id]);

    const pool = await createDataSource({
      url: process.env.DATABASE_URL!,
      poolSize: 4,
      applicationName: 'matcher-test-rebuild',
    }).initialize();
    try {
      const config = loadConfig(MatcherConfig, { ...process.env, MATCH_OVER_CORRELATION_CAP: '3' });
      const index = new MatchIndexRepository(pool, caseKeysFromEnvironment());
      // A third case mentions the address while the index is rebuilt: the running matcher indexes it.
      const [outcome, third] = await Promise.all([
        rebuildIndex(pool, index, new IndexMessagesUseCase(index, publisher, blinder, config), 3),
        route(nl, 'NL-ENU', [{ ref: 'e1', type: 'email', address }]),
      ]);
      expect(outcome.matches).toBeGreaterThanOrEqual(1);
      expect(outcome.announced).toBeGreaterThanOrEqual(1);
      await waitFor(async () => (await indexed(third.messageId)) === 1, { what: 'the third message indexed' });
    } finally {
      await pool.destroy();
    }
    expect(await indexed(first.messageId)).toBe(1);
    expect(await indexed(phoneTwin.messageId)).toBe(1);
    // The match kept its id and decision; the lost one is found again, under a new id, and published once.
    const email = await waitFor(
      async () => {
        const rows: { id: string; case_a: string; case_b: string; decision_a: string }[] = await db.query(
          `SELECT id, case_a, case_b, decision_a FROM matches WHERE key = $1 ORDER BY case_a, case_b`,
          [blinder.blind(`email:${address}`)],
        );
        return rows.length === 3 ? rows : undefined;
      },
      { what: 'the third case matched with both' },
    );
    expect(email.find((m) => m.id === kept.id)).toMatchObject({ decision_a: 'released' });
    const [again] = await db.query<{ id: string; announced: boolean }[]>(
      `SELECT id, announced_at IS NOT NULL AS announced FROM matches WHERE key = $1 AND (case_a = $2 OR case_b = $2)`,
      [lost.key, nl],
    );
    expect(again).toMatchObject({ announced: true });
    expect(again.id).not.toBe(lost.id);
    await waitFor(async () => found.find((e) => e.payload.matchId === again.id).length === 1 || undefined, {
      what: 'the found-again match published',
    });
    expect(found.find((e) => e.payload.matchId === kept.id)).toHaveLength(1);
  });
});
