import { createDataSource } from '@liaison/persistence';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { caseKeysFromEnvironment, seedMessages } from '@liaison/testing';
import { MessageListsUseCase, MessageReadRepository, RestrictedCases } from '../../apps/gateway/src';

/**
 * The inbox and the outbox in every order, paged through on PostgreSQL: every page follows from the last with
 * no row repeated or missed, in the order the rule names, ties broken newest first. The agencies are made up
 * (ZZ-...), so no other test sees their rows; they are removed after.
 */
describe('message lists in every order (real PostgreSQL)', () => {
  const HOME = 'ZZ-SORT';
  const SENDERS = [
    { code: 'ZZ-SORTB', name: 'Bravo Police' },
    { code: 'ZZ-SORTA', name: 'Alpha Police' },
    { code: 'ZZ-SORTC', name: 'Charlie Police' },
  ];
  const PRIORITY_RANK = { normal: 1, urgent: 2, 'urgent-direct': 3 } as const;
  const STATE_RANK = { delivered: 1, read: 2, answered: 3 } as const;
  const caller = { type: 'person' as const, id: randomUUID(), agency: HOME, role: 'officer' as const };
  const base = Date.parse('2026-03-02T09:00:00.000Z');

  type Seeded = {
    id: string;
    sender: (typeof SENDERS)[number];
    priority: keyof typeof PRIORITY_RANK;
    state: keyof typeof STATE_RANK;
    at: Date;
    deadline: Date | null;
  };
  let db: DataSource;
  let lists: MessageListsUseCase;
  let received: Seeded[];
  let sent: Seeded[];

  beforeAll(async () => {
    db = await createDataSource({
      url: process.env.DATABASE_URL!,
      poolSize: 2,
      applicationName: 'message-lists',
    }).initialize();
    lists = new MessageListsUseCase(new MessageReadRepository(db, caseKeysFromEnvironment()), new RestrictedCases(db));
    await removeRows();
    await db.query(
      `INSERT INTO agencies (code, name, kind, country) SELECT c, n, 'police', 'ZZ' FROM unnest($1::text[], $2::text[]) AS t(c, n)`,
      [
        [HOME, ...SENDERS.map((s) => s.code)],
        ['Home Police', ...SENDERS.map((s) => s.name)],
      ],
    );
    const seeded = (i: number): Seeded => ({
      id: randomUUID(),
      sender: SENDERS[i % 3],
      priority: (['normal', 'urgent', 'urgent-direct', 'normal'] as const)[i % 4],
      state: (['delivered', 'read', 'answered'] as const)[(i * 7) % 3],
      // Every third shares its time with the one before, so that ties must be broken by id.
      at: new Date(base + Math.floor(i - (i % 3 === 2 ? 1 : 0)) * 60_000),
      deadline: i % 5 === 0 ? null : new Date(base + ((i * 37) % 23) * 3_600_000),
    });
    received = Array.from({ length: 29 }, (_, i) => seeded(i));
    sent = Array.from({ length: 13 }, (_, i) => seeded(i + 100));
    const reference = 'LIA-2026-SORTLIST1';
    await db.query(`INSERT INTO cases (reference, owner_agency, opened_at, status) VALUES ($1, $2, $3, 'open')`, [
      reference,
      HOME,
      new Date(base),
    ]);
    const rows = [
      ...received.map((m) => ({ ...m, from: m.sender.code, to: HOME })),
      ...sent.map((m) => ({ ...m, from: HOME, to: m.sender.code })),
    ];
    await seedMessages(
      db,
      caseKeysFromEnvironment(),
      rows.map((m) => ({
        ...m,
        sender: m.from,
        caseReference: reference,
        type: 'request',
        handling: 'H0',
        subject: 'Sorting',
      })),
      'Body',
    );
  });

  async function removeRows(): Promise<void> {
    const codes = [HOME, ...SENDERS.map((s) => s.code)];
    await db.query('DELETE FROM deliveries WHERE recipient_agency = ANY($1)', [codes]);
    await db.query('DELETE FROM messages WHERE sender_agency = ANY($1)', [codes]);
    await db.query('DELETE FROM cases WHERE owner_agency = ANY($1)', [codes]);
    await db.query('DELETE FROM agencies WHERE code = ANY($1)', [codes]);
  }

  afterAll(async () => {
    await removeRows();
    await db.destroy();
  });

  /** Newest first, then the greater id first: how every order breaks its ties. */
  const newestFirst = (a: Seeded, b: Seeded) => b.at.getTime() - a.at.getTime() || (a.id < b.id ? 1 : -1);
  const by =
    (key: (m: Seeded) => number | string, descending: boolean) =>
    (a: Seeded, b: Seeded): number => {
      const [x, y] = [key(a), key(b)];
      return x === y ? newestFirst(a, b) : x < y !== descending ? -1 : 1;
    };
  // Without a deadline sorts last either way.
  const deadline = (descending: boolean) => (m: Seeded) => m.deadline?.getTime() ?? (descending ? -Infinity : Infinity);

  /** Every id of a list, a page of `limit` at a time, following each page's cursor. */
  async function pagedThrough(
    read: (cursor?: string) => Promise<{ items: { id: string }[]; nextCursor: string | null }>,
  ): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await read(cursor);
      ids.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor && ids.length < 100);
    return ids;
  }

  it.each([
    ['received', undefined, (a: Seeded, b: Seeded) => newestFirst(a, b)],
    ['received', 'asc', (a: Seeded, b: Seeded) => newestFirst(b, a)],
    ['deadline', undefined, by(deadline(false), false)],
    ['deadline', 'desc', by(deadline(true), true)],
    ['priority', undefined, by((m) => PRIORITY_RANK[m.priority], true)],
    ['priority', 'asc', by((m) => PRIORITY_RANK[m.priority], false)],
    ['sender', undefined, by((m) => m.sender.name, false)],
    ['sender', 'desc', by((m) => m.sender.name, true)],
    ['status', undefined, by((m) => STATE_RANK[m.state], false)],
    ['status', 'desc', by((m) => STATE_RANK[m.state], true)],
  ] as const)('pages through the inbox sorted by %s (%s)', async (sort, order, compare) => {
    const ids = await pagedThrough(async (cursor) => lists.inbox({ sort, order, limit: 4, cursor }, caller));
    expect(ids).toEqual([...received].sort(compare).map((m) => m.id));
  });

  it.each([
    ['sent', undefined, (a: Seeded, b: Seeded) => newestFirst(a, b)],
    ['sent', 'asc', (a: Seeded, b: Seeded) => newestFirst(b, a)],
    ['priority', undefined, by((m) => PRIORITY_RANK[m.priority], true)],
    ['priority', 'asc', by((m) => PRIORITY_RANK[m.priority], false)],
  ] as const)('pages through the outbox sorted by %s (%s)', async (sort, order, compare) => {
    const ids = await pagedThrough(async (cursor) => lists.outbox({ sort, order, limit: 3, cursor }, caller));
    expect(ids).toEqual([...sent].sort(compare).map((m) => m.id));
  });

  it('keeps filters and order together: urgent messages by deadline', async () => {
    const ids = await pagedThrough(async (cursor) =>
      lists.inbox({ priority: 'urgent', sort: 'deadline', limit: 2, cursor }, caller),
    );
    expect(ids).toEqual(
      received
        .filter((m) => m.priority === 'urgent')
        .sort(by(deadline(false), false))
        .map((m) => m.id),
    );
  });

  it('refuses a cursor from the same list in another order, naming the cursor', async () => {
    const first = await lists.inbox({ sort: 'priority', limit: 4 }, caller);
    await expect(lists.inbox({ limit: 4, cursor: first.nextCursor! }, caller)).rejects.toMatchObject({
      errors: [{ field: 'cursor', message: 'is from this list in another order' }],
    });
    const newest = await lists.inbox({ limit: 4 }, caller);
    await expect(lists.inbox({ sort: 'sender', limit: 4, cursor: newest.nextCursor! }, caller)).rejects.toMatchObject({
      errors: [{ field: 'cursor' }],
    });
  });
});
