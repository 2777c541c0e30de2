import ipaddr from 'ipaddr.js';

/**
 * Where a webhook may be delivered. An administrator names a URL, and the notifier then connects to it from
 * inside the network: unchecked, that lets a URL reach the database, the broker or a cloud metadata service.
 * So a receiver must be a public unicast address (every address its name resolves to), on an allowed port,
 * over HTTPS; loopback receivers, on any port, and plain HTTP only where a development setting allows them.
 * The ranges are ipaddr.js's registry of IANA special-purpose blocks, IPv4 and IPv6 (IPv4-mapped, NAT64 and
 * 6to4 forms of an IPv4 address are judged as that address).
 */
export interface WebhookTargetPolicy {
  /** Ports a receiver may listen on (443 and 80 unless configured). */
  allowedPorts: readonly number[];
  /** Development only: receivers on the machine itself, on any port, and plain HTTP. */
  allowLoopback: boolean;
}

/** Why a resolved address may not be connected to, or null when it may. */
export function webhookAddressProblem(address: string, policy: WebhookTargetPolicy): string | null {
  if (!ipaddr.isValid(address)) return 'is not an IP address';
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6') {
    const v6 = parsed as ipaddr.IPv6;
    const range = v6.range();
    if (range === 'ipv4Mapped') parsed = v6.toIPv4Address();
    else if (range === 'rfc6052' || range === '6to4') parsed = embeddedIPv4(v6, range);
  }
  const range = parsed.range();
  if (range === 'unicast') return null;
  if (range === 'loopback' && policy.allowLoopback) return null;
  return `is a ${range} address, not a public one`;
}

/** The IPv4 address inside a NAT64 (64:ff9b::/96) or 6to4 (2002::/16) address. */
function embeddedIPv4(address: ipaddr.IPv6, range: 'rfc6052' | '6to4'): ipaddr.IPv4 {
  const bytes = address.toByteArray();
  const start = range === '6to4' ? 2 : 12;
  return new ipaddr.IPv4(bytes.slice(start, start + 4));
}

export interface WebhookTarget {
  url: URL;
  /** The host as it is resolved: a name, or an IP literal without its brackets. */
  host: string;
  port: number;
  /** Set when the host is an IP literal: nothing to resolve. */
  literal: boolean;
}

/**
 * Why a URL cannot be a webhook receiver (before its name is resolved), or null. The URL parser has already
 * turned every numeric spelling of an IPv4 address (`127.1`, `2130706433`, `0x7f.0.0.1`) into its dotted form.
 */
export function webhookUrlProblem(url: string, policy: WebhookTargetPolicy): string | null {
  const target = webhookTarget(url);
  if (typeof target === 'string') return target;
  if (target.url.username || target.url.password)
    return 'must not carry credentials; the signature authenticates the sender';
  if (target.url.hash) return 'must not have a fragment';
  if (target.literal) {
    const problem = webhookAddressProblem(target.host, policy);
    if (problem) return `must name a public receiver: ${target.host} ${problem}`;
  }
  if (target.host === 'localhost' && !policy.allowLoopback) return 'must name a public receiver, not this machine';
  if (target.url.protocol !== 'https:' && !policy.allowLoopback) return 'must use https';
  if (!policy.allowLoopback && !policy.allowedPorts.includes(target.port))
    return `must use port ${policy.allowedPorts.join(' or ')}`;
  return null;
}

/** A URL taken apart for connecting, or why it cannot be. */
export function webhookTarget(url: string): WebhookTarget | string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'must be an absolute URL';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return 'must use https';
  const host = parsed.hostname.startsWith('[') ? parsed.hostname.slice(1, -1) : parsed.hostname;
  if (host === '') return 'must name a host';
  const port = parsed.port === '' ? (parsed.protocol === 'https:' ? 443 : 80) : Number(parsed.port);
  return { url: parsed, host, port, literal: ipaddr.IPv4.isValidFourPartDecimal(host) || ipaddr.IPv6.isValid(host) };
}
