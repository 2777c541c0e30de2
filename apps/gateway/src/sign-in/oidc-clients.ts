import type { IdentityProviderEntity } from '@liaison/persistence';
import { Injectable } from '@nestjs/common';
import * as client from 'openid-client';
import { SecretBox } from '../people/secret-box';

/** How long a provider's discovered configuration (endpoints, keys) is reused before it is fetched again. */
const DISCOVERY_TTL_MS = 10 * 60_000;

/**
 * The OpenID configuration of each agency's provider (openid-client 6), discovered from its issuer and kept for
 * a few minutes. Plain HTTP is allowed only for an issuer on this machine's loopback address (the embedded
 * Keycloak of a local stack); every other issuer must use HTTPS.
 */
@Injectable()
export class OidcClients {
  private readonly cache = new Map<string, { key: string; config: Promise<client.Configuration>; until: number }>();

  constructor(private readonly box: SecretBox) {}

  configuration(provider: IdentityProviderEntity, now = Date.now()): Promise<client.Configuration> {
    const key = `${provider.issuer}\n${provider.clientId}\n${provider.updatedAt.toISOString()}`;
    const cached = this.cache.get(provider.agencyCode);
    if (cached && cached.key === key && cached.until > now) return cached.config;
    const config = discover(
      provider.issuer,
      provider.clientId,
      this.box.open(provider.clientSecret, sealedFor(provider.agencyCode)),
    );
    config.catch(() => this.cache.delete(provider.agencyCode));
    this.cache.set(provider.agencyCode, { key, config, until: now + DISCOVERY_TTL_MS });
    return config;
  }
}

/** What a provider's client secret is sealed to: its agency's row. */
export function sealedFor(agency: string): string {
  return `identity-provider:${agency}`;
}

/** Fetches a provider's discovery document; refuses plain HTTP except on loopback. */
export function discover(issuer: string, clientId: string, clientSecret: string): Promise<client.Configuration> {
  const url = new URL(issuer);
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback))
    return Promise.reject(new Error('the issuer must be an https:// URL'));
  return client.discovery(url, clientId, clientSecret, undefined, {
    ...(url.protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : {}),
    timeout: 10,
  });
}
