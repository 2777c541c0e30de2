/** Grounds for erasing a case (Directive (EU) 2016/680 Art. 5 and 16): the rule the audit trail keeps. */
export const ERASURE_GROUNDS = ['no-longer-needed', 'unlawfully-processed', 'data-subject-request', 'ordered'] as const;
export type ErasureGround = (typeof ERASURE_GROUNDS)[number];

/**
 * The services that each delete their own copies of an erased case: the gateway (attachment files, uploads,
 * drafts), the router (the case, messages, deliveries, receipts, forwards), the matcher (index keys and matches)
 * and the notifier (notifications and queued webhooks). The erasure is complete when all four have.
 */
export const ERASURE_PARTS = ['gateway', 'router', 'matcher', 'notifier'] as const;
export type ErasurePart = (typeof ERASURE_PARTS)[number];

/** A legal hold as the owner placed it. */
export interface LegalHold {
  reason: string;
  placedAt: Date;
}

export type ErasureRefusal = { kind: 'not-owner'; owner: string } | { kind: 'held'; hold: LegalHold };

/**
 * Only the owning agency erases its case, and never while a legal hold stands (Art. 16(3): kept, as evidence,
 * instead of erased). Erasing a case already erased is no problem: it is the same erasure.
 */
export function erasureRefusal(
  caseRow: { ownerAgency: string; hold: LegalHold | null },
  agency: string,
): ErasureRefusal | null {
  if (caseRow.ownerAgency !== agency) return { kind: 'not-owner', owner: caseRow.ownerAgency };
  if (caseRow.hold) return { kind: 'held', hold: caseRow.hold };
  return null;
}

/** What a refusal says, naming the hold (its reason and when it was placed) when there is one. */
export function describeErasureRefusal(reference: string, refusal: ErasureRefusal): string {
  return refusal.kind === 'not-owner'
    ? `only the owning agency ${refusal.owner} can erase case ${reference}`
    : `case ${reference} is under a legal hold placed ${refusal.hold.placedAt.toISOString()} (${refusal.hold.reason}); release the hold before erasing it`;
}

/** Which parts have still to erase their copies, in the order they are listed. */
export function partsPending(done: readonly string[]): ErasurePart[] {
  return ERASURE_PARTS.filter((part) => !done.includes(part));
}
