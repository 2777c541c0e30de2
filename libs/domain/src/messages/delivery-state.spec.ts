import { isOverdue } from './delivery-state';

describe('isOverdue', () => {
  const now = new Date('2026-05-10T12:00:00Z');
  const past = new Date('2026-05-10T11:59:59Z');
  const future = new Date('2026-05-10T12:00:01Z');

  it('is true past the deadline while unanswered', () => {
    expect(isOverdue({ answerDeadline: past, answeredAt: null }, now)).toBe(true);
  });

  it('is false before the deadline, once answered, or without a deadline', () => {
    expect(isOverdue({ answerDeadline: future, answeredAt: null }, now)).toBe(false);
    expect(isOverdue({ answerDeadline: past, answeredAt: new Date('2026-05-11T00:00:00Z') }, now)).toBe(false);
    expect(isOverdue({ answerDeadline: null, answeredAt: null }, now)).toBe(false);
  });
});
