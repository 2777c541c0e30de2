import type { ApiClient } from '@liaison/testing';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
export const KEYCLOAK = `http://127.0.0.1:${process.env.KEYCLOAK_PORT ?? '8180'}`;
export const KEYCLOAK_ISSUER = `${KEYCLOAK}/realms/liaison`;

interface KeycloakSecrets {
  clientSecret: string;
  adminPassword: string;
}

/** Starts the project's Keycloak (deploy/local/keycloak.sh: fetched from Maven Central on first use) if it is not up. */
export function keycloakUp(): KeycloakSecrets {
  const up = spawnSync(join(root, 'deploy/local/keycloak.sh'), ['up'], { stdio: 'inherit', timeout: 600_000 });
  if (up.status !== 0) throw new Error('Keycloak did not start (deploy/local/keycloak.sh up)');
  return JSON.parse(readFileSync(join(root, 'deploy/local/.runtime/keycloak/secrets.json'), 'utf8')) as KeycloakSecrets;
}

/** Keycloak's admin REST API, as its admin. */
export async function keycloakAdmin(secrets: KeycloakSecrets) {
  const token = (await (
    await fetch(`${KEYCLOAK}/realms/master/protocol/openid-connect/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'password',
        client_id: 'admin-cli',
        username: 'admin',
        password: secrets.adminPassword,
      }),
    })
  ).json()) as { access_token: string };
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${KEYCLOAK}/admin/realms/liaison${path}`, {
      method,
      headers: { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`Keycloak ${method} ${path}: ${response.status} ${await response.text()}`);
    const text = await response.text();
    return text ? (JSON.parse(text) as unknown) : null;
  };
  return {
    /** Lets a gateway at `origin` (a test's, on a port of its own) be sent back to. */
    async allowGateway(origin: string): Promise<void> {
      const [found] = (await call('GET', '/clients?clientId=liaison-gateway')) as { id: string }[];
      const client = (await call('GET', `/clients/${found.id}`)) as {
        redirectUris: string[];
        attributes: Record<string, string>;
      };
      client.redirectUris = [...new Set([...client.redirectUris, `${origin}/auth/callback`])];
      const logout = (client.attributes['post.logout.redirect.uris'] ?? '').split('##').filter(Boolean);
      client.attributes['post.logout.redirect.uris'] = [...new Set([...logout, `${origin}/*`])].join('##');
      await call('PUT', `/clients/${found.id}`, client);
    },
    /** A person in the realm who sets up an authenticator app at their first sign-in. */
    async addPerson(username: string, email: string, password: string): Promise<void> {
      await call('POST', '/users', {
        username,
        email,
        emailVerified: true,
        enabled: true,
        firstName: 'Test',
        lastName: 'Person',
        requiredActions: ['CONFIGURE_TOTP'],
        credentials: [{ type: 'password', value: password, temporary: false }],
      });
    },
  };
}

/**
 * A person of Spain's ENU who signs in through the project's Keycloak: Keycloak started (or reused), the
 * gateway allowed as its client's redirect, the person added there with the password, Keycloak made the
 * agency's identity provider for their domain, and the person invited to Liaison.
 */
export async function keycloakPersonInvited(
  gatewayUrl: string,
  admin: ApiClient,
  person: { username: string; email: string; password: string; name: string },
): Promise<void> {
  const secrets = keycloakUp();
  const keycloak = await keycloakAdmin(secrets);
  await keycloak.allowGateway(new URL(gatewayUrl).origin);
  await keycloak.addPerson(person.username, person.email, person.password);
  const set = await admin.request('PUT', '/v1/identity-provider', {
    json: {
      issuer: KEYCLOAK_ISSUER,
      clientId: 'liaison-gateway',
      clientSecret: secrets.clientSecret,
      emailDomains: [person.email.split('@')[1]],
    },
  });
  if (set.status !== 200) throw new Error(`the identity provider was refused: ${set.status}`);
  const invited = await admin.post('/v1/people', { email: person.email, name: person.name, role: 'officer' });
  if (invited.status !== 201) throw new Error(`the invitation was refused: ${invited.status}`);
}
