/**
 * A delivery is one recipient agency's copy of a message: `delivered` when it reaches the agency's inbox,
 * `read` when a user of that agency first opens it, `answered` when the agency replies to it. States only
 * move forward.
 */
export const DELIVERY_STATES = ['delivered', 'read', 'answered'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** A request or cross-check past its recipient's deadline and not answered by that recipient. */
export function isOverdue(delivery: { answerDeadline: Date | null; answeredAt: Date | null }, now: Date): boolean {
  return (
    delivery.answerDeadline !== null &&
    delivery.answeredAt === null &&
    delivery.answerDeadline.getTime() < now.getTime()
  );
}
