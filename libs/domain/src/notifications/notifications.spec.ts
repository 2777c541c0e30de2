import {
  caseErasedNotifications,
  reviewOverdueNotifications,
  matchWithdrawnNotifications,
  deadlineChecks,
  deadlineNotifications,
  matchFoundNotifications,
  matchUpdatedNotifications,
  messageReceivedNotifications,
} from './notifications';

const a = { caseReference: 'LIA-2026-AAAAAAAAA', agency: 'GB-WMP' };
const b = { caseReference: 'LIA-2026-BBBBBBBBB', agency: 'RO-ENU' };

describe('match notifications', () => {
  it("tells each owner its own case, the other agency and the entity type, never the other's case", () => {
    const [toA, toB] = matchFoundNotifications({
      matchId: 'm-1',
      entityType: 'phone',
      strength: 'strong',
      a,
      b,
      foundAt: new Date('2026-11-01T10:00:00Z'),
    });
    expect(toA).toMatchObject({
      agency: 'GB-WMP',
      event: 'match.found',
      sourceId: 'm-1',
      payload: { ownCase: a.caseReference, otherAgency: 'RO-ENU', entityType: 'phone' },
    });
    expect(toB).toMatchObject({ agency: 'RO-ENU', payload: { ownCase: b.caseReference, otherAgency: 'GB-WMP' } });
    expect(JSON.stringify(toA)).not.toContain(b.caseReference);
    expect(JSON.stringify(toB)).not.toContain(a.caseReference);
  });

  it('tells the other owner of a decision, and both when the cases become linked', () => {
    const update = {
      matchId: 'm-1',
      reviewId: 'r-1',
      entityType: 'phone',
      a,
      b,
      actingAgency: 'RO-ENU',
      outcome: 'released',
      linked: false,
      updatedAt: new Date('2026-11-01T11:00:00Z'),
    };
    const told = matchUpdatedNotifications(update);
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({
      agency: 'GB-WMP',
      sourceId: 'r-1',
      payload: { ownCase: a.caseReference, by: 'RO-ENU', outcome: 'released' },
    });
    expect(JSON.stringify(told)).not.toContain(b.caseReference);
    expect(matchUpdatedNotifications({ ...update, linked: true }).map((n) => n.agency)).toEqual(['GB-WMP', 'RO-ENU']);
  });
});

describe('message notifications', () => {
  it('tells each recipient once, without subject or body', () => {
    const told = messageReceivedNotifications({
      messageId: 'x',
      caseReference: 'LIA-1',
      sender: 'GB-WMP',
      recipients: ['RO-ENU', 'BG-ENU', 'RO-ENU'],
      type: 'request',
      priority: 'urgent',
      answerDeadline: null,
    });
    expect(told.map((n) => n.agency)).toEqual(['RO-ENU', 'BG-ENU']);
    expect(Object.keys(told[0].payload).sort()).toEqual([
      'answerDeadline',
      'caseReference',
      'messageId',
      'priority',
      'sender',
      'type',
    ]);
  });
});

describe('deadline notifications', () => {
  const sent = new Date('2026-11-01T00:00:00Z');
  const deadline = new Date('2026-11-08T00:00:00Z');

  it('checks at 80% of the time to answer and at the deadline', () => {
    expect(deadlineChecks(sent, deadline)).toEqual({
      approaching: new Date('2026-11-06T14:24:00Z'),
      overdue: deadline,
    });
    expect(deadlineChecks(sent, new Date('2026-11-01T08:00:00Z')).approaching).toEqual(
      new Date('2026-11-01T06:24:00Z'),
    );
  });

  const open = {
    messageId: 'x',
    caseReference: 'LIA-1',
    sender: 'GB-WMP',
    unanswered: ['RO-ENU'],
    answerDeadline: deadline,
  };

  it('reminds recipients that have not answered, and tells the sender when overdue', () => {
    expect(
      deadlineNotifications('approaching', open, new Date('2026-11-06T15:00:00Z')).map((n) => [n.agency, n.event]),
    ).toEqual([['RO-ENU', 'deadline.approaching']]);
    const overdue = deadlineNotifications('overdue', open, deadline);
    expect(overdue.map((n) => [n.agency, n.event])).toEqual([
      ['RO-ENU', 'deadline.overdue'],
      ['GB-WMP', 'deadline.overdue'],
    ]);
    expect(overdue[1].payload).toMatchObject({ unansweredBy: ['RO-ENU'] });
  });

  it('says nothing once every recipient answered, or warns late of a deadline already past', () => {
    expect(deadlineNotifications('overdue', { ...open, unanswered: [] }, deadline)).toEqual([]);
    expect(deadlineNotifications('approaching', open, new Date('2026-11-09T00:00:00Z'))).toEqual([]);
    expect(deadlineNotifications('overdue', open, new Date('2026-11-07T23:00:00Z'))).toEqual([]);
  });
});

describe('erasure notifications', () => {
  const erasedAt = new Date('2026-12-01T09:00:00Z');

  it('tells every partner that took part in an erased case, once, and not its owner', () => {
    const drafts = caseErasedNotifications({
      caseReference: 'LIA-2026-AAAAAAAAA',
      ownerAgency: 'GB-WMP',
      participants: ['GB-WMP', 'RO-ENU', 'NL-ENU', 'RO-ENU'],
      ground: 'no-longer-needed',
      erasedAt,
    });
    expect(drafts.map((d) => d.agency)).toEqual(['RO-ENU', 'NL-ENU']);
    expect(drafts[0]).toEqual({
      agency: 'RO-ENU',
      event: 'case.erased',
      sourceId: 'LIA-2026-AAAAAAAAA',
      payload: {
        caseReference: 'LIA-2026-AAAAAAAAA',
        ownerAgency: 'GB-WMP',
        ground: 'no-longer-needed',
        erasedAt: '2026-12-01T09:00:00.000Z',
      },
    });
  });

  it('tells the remaining side a match was withdrawn, naming nothing of the erased side', () => {
    const [draft] = matchWithdrawnNotifications({
      matchId: 'm1',
      entityType: 'phone',
      remaining: { caseReference: 'LIA-2026-BBBBBBBBB', agency: 'RO-ENU' },
      withdrawnAt: erasedAt,
    });
    expect(draft).toEqual({
      agency: 'RO-ENU',
      event: 'match.withdrawn',
      sourceId: 'm1',
      payload: {
        matchId: 'm1',
        entityType: 'phone',
        ownCase: 'LIA-2026-BBBBBBBBB',
        withdrawnAt: '2026-12-01T09:00:00.000Z',
      },
    });
  });
});

describe('review notifications', () => {
  it('tells the owner of a case past its review date, once per date, with the reference and date only', () => {
    const facts = {
      caseReference: 'LIA-2026-BBBBBBBBB',
      ownerAgency: 'GB-WMP',
      reviewDueAt: new Date('2026-11-30T00:00:00Z'),
    };
    const [draft] = reviewOverdueNotifications(facts);
    expect(draft).toEqual({
      agency: 'GB-WMP',
      event: 'case.review-overdue',
      sourceId: 'LIA-2026-BBBBBBBBB@2026-11-30T00:00:00.000Z',
      payload: { caseReference: 'LIA-2026-BBBBBBBBB', reviewDueAt: '2026-11-30T00:00:00.000Z' },
    });
    // An extension makes a new review date, and so a new notification when that date passes.
    const [later] = reviewOverdueNotifications({ ...facts, reviewDueAt: new Date('2027-06-01T00:00:00Z') });
    expect(later.sourceId).not.toBe(draft.sourceId);
  });
});
