import {
  answeredChange,
  deadlineState,
  factChange,
  grainStart,
  matchFacts,
  requestFacts,
  type MatchFact,
  type MatchReportState,
  type RequestCountFact,
} from './report-facts';
import { MATCH_COUNT_FIELDS as MATCH_COUNTS, REQUEST_COUNT_FIELDS as REQUEST_COUNTS } from './cube-catalogue';
import { responseBucket } from './response-times';

const hours = (n: number) => n * 3_600_000;

describe('stored grains', () => {
  it('puts a day in its month, quarter and year', () => {
    expect(['day', 'month', 'quarter', 'year'].map((g) => grainStart('2017-08-14', g as 'day'))).toEqual([
      '2017-08-14',
      '2017-08-01',
      '2017-07-01',
      '2017-01-01',
    ]);
    expect(['2017-01-31', '2017-03-31', '2017-04-01', '2017-12-31'].map((day) => grainStart(day, 'quarter'))).toEqual([
      '2017-01-01',
      '2017-01-01',
      '2017-04-01',
      '2017-10-01',
    ]);
  });
});

describe('request facts', () => {
  const sentAt = new Date('2017-03-31T22:00:00Z');
  const request = {
    country: 'GB',
    partnerCountry: 'RO',
    priority: 'urgent',
    sentAt,
    deadline: new Date(sentAt.getTime() + hours(72)),
    answeredAt: null,
  };

  it('counts an unanswered request in the period it was sent, with no time to answer', () => {
    expect(requestFacts(request)).toEqual({
      counts: {
        day: '2017-03-31',
        country: 'GB',
        partnerCountry: 'RO',
        priority: 'urgent',
        requests: 1,
        answered: 0,
        withinDeadline: 0,
      },
      times: [],
    });
  });

  it('counts an answer in the period the request was sent, in the bucket of its time to answer', () => {
    const answered = requestFacts({ ...request, answeredAt: new Date(sentAt.getTime() + hours(5)) });
    expect(answered.counts).toMatchObject({ day: '2017-03-31', answered: 1, withinDeadline: 1 });
    expect(answered.times).toEqual([
      {
        day: '2017-03-31',
        country: 'GB',
        partnerCountry: 'RO',
        priority: 'urgent',
        bucket: responseBucket(5 * 3600),
        answers: 1,
      },
    ]);
  });

  it('counts an answer at the deadline as within it, and one a second late as not', () => {
    expect(requestFacts({ ...request, answeredAt: request.deadline }).counts.withinDeadline).toBe(1);
    expect(requestFacts({ ...request, answeredAt: new Date(request.deadline.getTime() + 1000) }).counts).toMatchObject({
      answered: 1,
      withinDeadline: 0,
    });
  });

  it('moves the figures from unanswered to answered as a change', () => {
    const key = (r: RequestCountFact) => [r.day, r.country, r.partnerCountry, r.priority];
    const change = factChange(
      [requestFacts(request).counts],
      [requestFacts({ ...request, answeredAt: request.deadline }).counts],
      key,
      REQUEST_COUNTS,
    );
    expect(change).toEqual([
      {
        day: '2017-03-31',
        country: 'GB',
        partnerCountry: 'RO',
        priority: 'urgent',
        requests: 0,
        answered: 1,
        withinDeadline: 1,
      },
    ]);
    expect(factChange([requestFacts(request).counts], [requestFacts(request).counts], key, REQUEST_COUNTS)).toEqual([]);
  });

  it('moves answered requests from unanswered to answered, summed per period, with their times', () => {
    const answered = [
      { ...request, answeredAt: new Date(sentAt.getTime() + hours(5)) },
      { ...request, answeredAt: new Date(request.deadline.getTime() + 1000) },
    ];
    expect(answeredChange(answered)).toEqual({
      counts: [
        {
          day: '2017-03-31',
          country: 'GB',
          partnerCountry: 'RO',
          priority: 'urgent',
          requests: 0,
          answered: 2,
          withinDeadline: 1,
        },
      ],
      times: answered.flatMap((r) => requestFacts(r).times),
    });
    expect(answeredChange([])).toEqual({ counts: [], times: [] });
  });

  it('tells where an open request stands against its deadline', () => {
    const deadline = request.deadline;
    expect(deadlineState(sentAt, deadline, new Date(sentAt.getTime() + hours(1)))).toBe('within-deadline');
    // Reminders go out at 80% of the time allowed: from then the request is approaching its deadline.
    expect(deadlineState(sentAt, deadline, new Date(sentAt.getTime() + hours(72 * 0.8)))).toBe('approaching');
    expect(deadlineState(sentAt, deadline, deadline)).toBe('overdue');
  });
});

describe('match facts', () => {
  const match: MatchReportState = {
    foundOn: '2017-05-02',
    entityType: 'phone',
    strength: 'strong',
    a: { agency: 'GB-WMP', country: 'GB', decision: 'pending' },
    b: { agency: 'RO-ENU', country: 'RO', decision: 'pending' },
    candidateState: null,
  };
  const key = (r: MatchFact) => [r.day, r.country, r.partnerCountry, r.entityType, r.strength];

  it('counts a match once for each country holding a side, with that side as its own', () => {
    const facts = matchFacts({ ...match, a: { ...match.a, decision: 'released' } });
    expect(facts).toEqual([
      {
        day: '2017-05-02',
        country: 'GB',
        partnerCountry: 'RO',
        entityType: 'phone',
        strength: 'strong',
        found: 1,
        released: 1,
        declined: 0,
        confirmed: 0,
        dismissed: 0,
      },
      {
        day: '2017-05-02',
        country: 'RO',
        partnerCountry: 'GB',
        entityType: 'phone',
        strength: 'strong',
        found: 1,
        released: 0,
        declined: 0,
        confirmed: 0,
        dismissed: 0,
      },
    ]);
  });

  it('counts a match between two agencies of one country once, with both sides decisions', () => {
    const domestic = {
      ...match,
      a: { ...match.a, decision: 'released' as const },
      b: { agency: 'GB-NCA', country: 'GB', decision: 'declined' as const },
    };
    expect(matchFacts(domestic)).toEqual([
      {
        day: '2017-05-02',
        country: 'GB',
        partnerCountry: 'GB',
        entityType: 'phone',
        strength: 'strong',
        found: 1,
        released: 1,
        declined: 1,
        confirmed: 0,
        dismissed: 0,
      },
    ]);
  });

  it('counts nothing until the match is seen found, and all of it once it is', () => {
    const early = { ...match, foundOn: null, strength: 'candidate' as const, candidateState: 'confirmed' as const };
    expect(matchFacts(early)).toEqual([]);
    const change = factChange(matchFacts(early), matchFacts({ ...early, foundOn: '2017-05-02' }), key, MATCH_COUNTS);
    expect(change.map((r) => [r.country, r.found, r.confirmed])).toEqual([
      ['GB', 1, 1],
      ['RO', 1, 1],
    ]);
  });

  it('moves a decision without counting the match again', () => {
    const change = factChange(
      matchFacts(match),
      matchFacts({ ...match, b: { ...match.b, decision: 'declined' } }),
      key,
      MATCH_COUNTS,
    );
    expect(change).toEqual([
      {
        day: '2017-05-02',
        country: 'RO',
        partnerCountry: 'GB',
        entityType: 'phone',
        strength: 'strong',
        found: 0,
        released: 0,
        declined: 1,
        confirmed: 0,
        dismissed: 0,
      },
    ]);
  });
});
