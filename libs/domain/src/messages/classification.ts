/**
 * Security classification of a message, lowest first. No agency may receive a message above its clearance.
 */
export const CLASSIFICATIONS = ['basic-protection', 'restricted', 'confidential'] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

/** What a message is classified when its sender says nothing: the lowest. */
export const DEFAULT_CLASSIFICATION: Classification = 'basic-protection';

/**
 * A classification as received from another system: an unset one (older producers) is the default, the lowest;
 * an unknown one (a newer producer's) is treated as the highest, so that it never reaches an agency not cleared.
 */
export function receivedClassification(value: string): Classification {
  if (value === '') return DEFAULT_CLASSIFICATION;
  return (CLASSIFICATIONS as readonly string[]).includes(value) ? (value as Classification) : 'confidential';
}

export function mayReceive(clearance: Classification, classification: Classification): boolean {
  return CLASSIFICATIONS.indexOf(clearance) >= CLASSIFICATIONS.indexOf(classification);
}

/** Recipients whose clearance is below the classification, in the order given. */
export function uncleared(
  recipients: readonly string[],
  classification: Classification,
  clearanceOf: (code: string) => Classification | undefined,
): string[] {
  return recipients.filter((code) => {
    const clearance = clearanceOf(code);
    return clearance !== undefined && !mayReceive(clearance, classification);
  });
}
