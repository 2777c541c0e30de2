import {
  CLASSIFICATIONS,
  DEFAULT_CLASSIFICATION,
  mayReceive,
  receivedClassification,
  uncleared,
  type Classification,
} from './classification';

describe('classification', () => {
  it('lets an agency receive everything up to its clearance and nothing above', () => {
    const expected: Record<Classification, Classification[]> = {
      'basic-protection': ['basic-protection'],
      restricted: ['basic-protection', 'restricted'],
      confidential: ['basic-protection', 'restricted', 'confidential'],
    };
    for (const clearance of CLASSIFICATIONS) {
      expect(CLASSIFICATIONS.filter((c) => mayReceive(clearance, c))).toEqual(expected[clearance]);
    }
  });

  it('names the recipients cleared below the classification', () => {
    const clearances: Record<string, Classification> = {
      'RO-ENU': 'confidential',
      'BG-ENU': 'restricted',
      'XX-LOW': 'basic-protection',
    };
    expect(uncleared(['RO-ENU', 'BG-ENU', 'XX-LOW'], 'confidential', (code) => clearances[code])).toEqual([
      'BG-ENU',
      'XX-LOW',
    ]);
    expect(uncleared(['RO-ENU', 'BG-ENU'], 'restricted', (code) => clearances[code])).toEqual([]);
  });

  it('reads an unset classification as the lowest and an unknown one as the highest', () => {
    expect(receivedClassification('')).toBe(DEFAULT_CLASSIFICATION);
    expect(DEFAULT_CLASSIFICATION).toBe(CLASSIFICATIONS[0]);
    expect(receivedClassification('restricted')).toBe('restricted');
    expect(receivedClassification('top-secret')).toBe('confidential');
  });
});
