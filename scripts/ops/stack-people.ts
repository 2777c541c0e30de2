import type { ApiClient } from '@liaison/testing';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The people side of `npm run stack`: the embedded Keycloak as the demo agencies' identity provider, the demo
 * people of deploy/local/keycloak/people.tsv invited to Liaison, and the deployment's first admin, a local
 * account whose one-time enrolment link is printed.
 */
const root = join(__dirname, '..', '..', '..');
const KEYCLOAK_ISSUER = `http://127.0.0.1:${process.env.KEYCLOAK_PORT ?? '8180'}/realms/liaison`;
const FIRST_ADMIN = { email: 'first.admin@liaison.local', name: 'First administrator', agency: 'GB-NCA' };

interface DemoPerson {
  username: string;
  email: string;
  name: string;
  agency: string;
  role: string;
}

export interface DemoPeople {
  /** Username and password of each demo person at Keycloak. */
  people: (DemoPerson & { password: string })[];
  /** The first admin's enrolment link, while they have not enrolled; null once they have. */
  firstAdminLink: string | null;
}

export function demoPeople(): DemoPerson[] {
  return readFileSync(join(root, 'deploy/local/keycloak/people.tsv'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => {
      const [username, email, first, last, agency, role] = line.split('\t');
      return { username, email, name: `${first} ${last}`, agency, role };
    });
}

/** The demo people's Keycloak passwords, as the first `npm run stack` generated them; empty before it. */
export function demoPasswords(): Record<string, string> {
  try {
    return (
      JSON.parse(readFileSync(join(root, 'deploy/local/.runtime/keycloak/secrets.json'), 'utf8')) as {
        passwords: Record<string, string>;
      }
    ).passwords;
  } catch {
    return {};
  }
}

/** Starts Keycloak (fetched from Maven Central on the first run) and returns its generated secrets. */
export function startKeycloak(): { clientSecret: string; passwords: Record<string, string> } {
  if (spawnSync(join(root, 'deploy/local/keycloak.sh'), ['up'], { stdio: 'inherit' }).status !== 0)
    throw new Error('could not start Keycloak (deploy/local/keycloak.sh up)');
  return JSON.parse(readFileSync(join(root, 'deploy/local/.runtime/keycloak/secrets.json'), 'utf8')) as {
    clientSecret: string;
    passwords: Record<string, string>;
  };
}

/** Makes Keycloak the demo agencies' provider, invites the demo people and the first admin. Safe to run again. */
export async function provisionPeople(
  admin: ApiClient,
  keycloak: { clientSecret: string; passwords: Record<string, string> },
): Promise<DemoPeople> {
  const people = demoPeople();
  for (const agency of new Set(people.map((p) => p.agency))) {
    const set = await admin.request('PUT', '/v1/identity-provider', {
      json: {
        agency,
        issuer: KEYCLOAK_ISSUER,
        clientId: 'liaison-gateway',
        clientSecret: keycloak.clientSecret,
        emailDomains: ['demo.liaison.test'],
      },
    });
    if (set.status !== 200) throw new Error(`could not set ${agency}'s identity provider: ${JSON.stringify(set.body)}`);
  }
  for (const person of people) {
    const invited = await admin.post('/v1/people', {
      email: person.email,
      name: person.name,
      role: person.role,
      agency: person.agency,
      signIn: 'identity-provider',
    });
    if (invited.status !== 201 && invited.status !== 409)
      throw new Error(`could not invite ${person.username}: ${JSON.stringify(invited.body)}`);
  }
  return {
    people: people.map((person) => ({ ...person, password: keycloak.passwords[person.username] ?? '' })),
    firstAdminLink: await firstAdminLink(admin),
  };
}

/** Invites the first admin, or gives them a new link while they have not enrolled. */
async function firstAdminLink(admin: ApiClient): Promise<string | null> {
  const invited = await admin.post<{ enrolmentLink: string | null }>('/v1/people', {
    ...FIRST_ADMIN,
    role: 'admin',
    signIn: 'local',
  });
  if (invited.status === 201) return invited.body.enrolmentLink;
  // Already invited (a stack started again): found a page at a time.
  type PeoplePage = { items: { id: string; email: string; status: string }[]; nextCursor: string | null };
  let existing: PeoplePage['items'][number] | undefined;
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const listed: PeoplePage = (await admin.get<PeoplePage>(`/v1/people?limit=100${query}`)).body;
    existing = listed.items.find((person) => person.email === FIRST_ADMIN.email);
    cursor = listed.nextCursor;
  } while (!existing && cursor);
  if (!existing || existing.status !== 'invited') return null;
  const again = await admin.post<{ enrolmentLink: string | null }>(`/v1/people/${existing.id}/enrolment-link`, {});
  return again.body.enrolmentLink;
}

export const FIRST_ADMIN_EMAIL = FIRST_ADMIN.email;
