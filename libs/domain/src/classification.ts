/**
 * Security classification of a message, lowest first. No agency may receive a message above its clearance.
 */
export const CLASSIFICATIONS = ['basic-protection', 'restricted', 'confidential'] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

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
