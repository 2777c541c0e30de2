import type { HandlingCode } from './message-codes';

/**
 * A forward passes a received message on to another agency. `delivered`: passed on at once. For an H2
 * message (not to be passed on without the provider's permission) it is a permission request: `pending`
 * until a supervisor of the provider decides, then `granted` (and delivered) or `denied`.
 */
export const FORWARD_STATES = ['delivered', 'pending', 'granted', 'denied'] as const;
export type ForwardState = (typeof FORWARD_STATES)[number];

export function forwardNeedsPermission(handling: HandlingCode): boolean {
  return handling === 'H2';
}

/** Why an agency that received a message cannot pass it to `to`; null when it can. */
export function forwardProblem(
  message: { senderAgency: string; recipients: readonly string[] },
  to: string,
): string | null {
  if (to === message.senderAgency) return `${to} sent this message`;
  if (message.recipients.includes(to)) return `${to} already received this message`;
  return null;
}

/** Why an agency cannot decide a forward; null when it can. Only the provider decides, and only once. */
export function permissionDecisionProblem(
  forward: { providerAgency: string; state: ForwardState },
  agency: string,
): string | null {
  if (forward.providerAgency !== agency)
    return `only the providing agency ${forward.providerAgency} decides this request`;
  if (forward.state !== 'pending') return `the request was already decided: ${forward.state}`;
  return null;
}
