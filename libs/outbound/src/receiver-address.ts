import { webhookAddressProblem, webhookTarget, webhookUrlProblem, type WebhookTargetPolicy } from '@liaison/domain';
import type { LookupAddress, LookupAllOptions, LookupOptions } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns/promises';

/** A receiver's name did not resolve, or resolved to an address the policy refuses. */
export class ReceiverRefusedError extends Error {
  readonly code = 'ERECEIVERREFUSED';
  constructor(readonly reason: string) {
    super(`receiver refused: ${reason}`);
    this.name = 'ReceiverRefusedError';
  }
}

export type Resolve = (host: string) => Promise<LookupAddress[]>;

const resolveAll: Resolve = (host) => dnsLookup(host, { all: true, verbatim: true });

/**
 * Every address a receiver's name resolves to, each held to the policy: one refused address refuses the name
 * (a name that answers with a private address among public ones is not a public receiver).
 */
export async function resolveReceiver(
  host: string,
  policy: WebhookTargetPolicy,
  resolve: Resolve = resolveAll,
): Promise<LookupAddress[]> {
  let addresses: LookupAddress[];
  try {
    addresses = await resolve(host);
  } catch {
    throw new ReceiverRefusedError('its name does not resolve');
  }
  if (addresses.length === 0) throw new ReceiverRefusedError('its name does not resolve');
  for (const { address } of addresses) {
    const problem = webhookAddressProblem(address, policy);
    if (problem) throw new ReceiverRefusedError(`it resolves to ${address}, which ${problem}`);
  }
  return addresses;
}

/**
 * Why a URL cannot be registered as a receiver, or null: the URL held to the policy, then every address its
 * name resolves to now (it is checked again at every connection).
 */
export async function receiverProblem(
  url: string,
  policy: WebhookTargetPolicy,
  resolve: Resolve = resolveAll,
): Promise<string | null> {
  const problem = webhookUrlProblem(url, policy);
  if (problem) return problem;
  const target = webhookTarget(url);
  if (typeof target === 'string' || target.literal) return null;
  try {
    await resolveReceiver(target.host, policy, resolve);
    return null;
  } catch (error) {
    if (error instanceof ReceiverRefusedError) return `must name a public receiver: ${error.reason}`;
    throw error;
  }
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for node's `http(s).request` and agents: the name is resolved and checked when the connection is
 * made, and the socket connects to the address that was checked, so a name that changes its answer after
 * the check (DNS rebinding) cannot lead the connection elsewhere.
 */
export function checkedLookup(policy: WebhookTargetPolicy, resolve: Resolve = resolveAll) {
  return (host: string, options: LookupOptions | LookupAllOptions, callback: LookupCallback): void => {
    resolveReceiver(host, policy, resolve).then(
      (addresses) => {
        const wanted =
          options.family === 4 || options.family === 6
            ? addresses.filter((a) => a.family === options.family)
            : addresses;
        if (wanted.length === 0) return callback(new ReceiverRefusedError('no address of the wanted family'), '');
        if (options.all) callback(null, wanted);
        else callback(null, wanted[0].address, wanted[0].family);
      },
      (error: ReceiverRefusedError) => callback(error, ''),
    );
  };
}
