import { describeRecipientProblem, recipientProblem } from './recipients';

const register = new Set(['GB-WMP', 'GB-NCA-UKLB', 'RO-ENU', 'BG-ENU']);
const known = (code: string): boolean => register.has(code);

describe('recipientProblem', () => {
  it('accepts distinct known agencies other than the sender', () => {
    expect(recipientProblem(['RO-ENU', 'BG-ENU'], 'GB-NCA-UKLB', known, 5)).toBeNull();
  });

  it('requires at least one recipient', () => {
    expect(recipientProblem([], 'GB-WMP', known, 5)).toEqual({ kind: 'empty' });
  });

  it('enforces the limit', () => {
    expect(recipientProblem(['RO-ENU', 'BG-ENU'], 'GB-WMP', known, 1)).toEqual({ kind: 'too-many', limit: 1 });
  });

  it('names repeated recipients', () => {
    expect(recipientProblem(['RO-ENU', 'BG-ENU', 'RO-ENU'], 'GB-WMP', known, 5)).toEqual({
      kind: 'duplicate',
      codes: ['RO-ENU'],
    });
  });

  it('refuses the sender as its own recipient', () => {
    expect(recipientProblem(['GB-WMP'], 'GB-WMP', known, 5)).toEqual({ kind: 'includes-sender', code: 'GB-WMP' });
  });

  it('names every unknown agency', () => {
    const problem = recipientProblem(['RO-ENU', 'XX-NOPE', 'YY-NOPE'], 'GB-WMP', known, 5);
    expect(problem).toEqual({ kind: 'unknown', codes: ['XX-NOPE', 'YY-NOPE'] });
    expect(describeRecipientProblem(problem!)).toBe('unknown recipient agencies: XX-NOPE, YY-NOPE');
  });

  it('describes each problem in words that name the values', () => {
    expect(describeRecipientProblem({ kind: 'unknown', codes: ['XX-NOPE'] })).toBe('unknown recipient agency: XX-NOPE');
    expect(describeRecipientProblem({ kind: 'too-many', limit: 50 })).toContain('50');
    expect(describeRecipientProblem({ kind: 'includes-sender', code: 'GB-WMP' })).toContain('GB-WMP');
    expect(describeRecipientProblem({ kind: 'duplicate', codes: ['RO-ENU'] })).toContain('RO-ENU');
    expect(describeRecipientProblem({ kind: 'empty' })).toContain('at least one');
  });
});
