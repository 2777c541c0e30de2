import {
  evaluationLabel,
  evaluationProblem,
  expectsAnswer,
  handlingProblem,
  MESSAGE_TYPES,
  PRIORITIES,
  responseDeadlineFor,
  type HandlingCode,
} from './message-codes';

describe('message types', () => {
  it('expect an answer for requests and cross-checks only', () => {
    expect(MESSAGE_TYPES.filter(expectsAnswer)).toEqual(['request', 'cross-check']);
  });
});

describe('responseDeadlineFor', () => {
  const sentAt = new Date('2026-03-27T22:30:00Z'); // the night before the clocks change in Europe

  it.each([
    ['urgent-direct', '2026-03-28T06:30:00.000Z'],
    ['urgent', '2026-03-30T22:30:00.000Z'],
    ['normal', '2026-04-03T22:30:00.000Z'],
  ] as const)('gives a %s request its Directive 2023/977 deadline', (priority, due) => {
    expect(responseDeadlineFor('request', priority, sentAt)?.toISOString()).toBe(due);
    expect(responseDeadlineFor('cross-check', priority, sentAt)?.toISOString()).toBe(due);
  });

  it('gives no deadline to messages that expect no answer', () => {
    for (const priority of PRIORITIES) {
      expect(responseDeadlineFor('information', priority, sentAt)).toBeNull();
      expect(responseDeadlineFor('reply', priority, sentAt)).toBeNull();
    }
  });

  it('orders the priorities by urgency', () => {
    const due = (priority: (typeof PRIORITIES)[number]) => responseDeadlineFor('request', priority, sentAt)!.getTime();
    expect(due('urgent-direct')).toBeLessThan(due('urgent'));
    expect(due('urgent')).toBeLessThan(due('normal'));
  });
});

describe('handling codes', () => {
  it.each(['H0', 'H1', 'H2'] as HandlingCode[])('accept %s without a restriction text', (code) => {
    expect(handlingProblem({ code })).toBeNull();
    expect(handlingProblem({ code, uk: 'C' })).toBeNull();
  });

  it('require the restriction text with H3, and refuse a blank one', () => {
    expect(handlingProblem({ code: 'H3', restriction: 'Not to be shared with immigration authorities' })).toBeNull();
    expect(handlingProblem({ code: 'H3' })).toMatch(/^restriction: H3 requires/);
    expect(handlingProblem({ code: 'H3', restriction: '   ' })).toMatch(/^restriction:/);
  });

  it('refuse a restriction text on codes other than H3', () => {
    expect(handlingProblem({ code: 'H1', restriction: 'something' })).toMatch(/only H3/);
  });
});

describe('evaluations', () => {
  it('accept every 4x4 grade and label it as analysts write it', () => {
    for (const source of ['A', 'B', 'C', 'X'] as const) {
      for (const information of ['1', '2', '3', '4'] as const) {
        expect(evaluationProblem({ scheme: '4x4', source, information })).toBeNull();
        expect(evaluationLabel({ scheme: '4x4', source, information })).toBe(`${source}${information}`);
      }
    }
  });

  it('accept the UK 3x5x2 grading and carry it as given', () => {
    expect(evaluationProblem({ scheme: '3x5x2', source: '1', intelligence: 'B', handling: 'P' })).toBeNull();
    expect(evaluationLabel({ scheme: '3x5x2', source: '2', intelligence: 'E', handling: 'C' })).toBe('2/E/C');
  });

  it.each([
    [{ scheme: '4x4', source: 'D', information: '1' }, /^source:/],
    [{ scheme: '4x4', source: 'A', information: '5' }, /^information:/],
    [{ scheme: '4x4', source: 'A', information: '1', handling: 'P' }, /only source and information/],
    [{ scheme: '3x5x2', source: '4', intelligence: 'A', handling: 'P' }, /^source:/],
    [{ scheme: '3x5x2', source: '1', intelligence: 'F', handling: 'P' }, /^intelligence:/],
    [{ scheme: '3x5x2', source: '1', intelligence: 'A', handling: 'X' }, /^handling:/],
    [{ scheme: '5x5x5', source: '1' }, /^scheme:/],
    [{}, /^scheme:/],
  ])('name what is wrong in %p', (evaluation, problem) => {
    expect(evaluationProblem(evaluation)).toMatch(problem);
  });
});
