import type { ApiClient } from '@liaison/testing';
import { generate } from 'otplib';
import { randomUUID } from 'node:crypto';
import { PersonAgent } from './browser-session';

export const TEST_PASSWORD = 'a long and unusual passphrase';

export interface EnrolledPerson {
  id: string;
  email: string;
  /** The enrolment link's token (already used). */
  token: string;
}

export interface SignedInPerson {
  agent: PersonAgent;
  secret: string;
  recoveryCodes: string[];
  /** The epoch second of the code that confirmed the enrolment. */
  enrolledAt: number;
}

/**
 * Invites a local person through an admin's key and sets their password through the one-time link (local even
 * where the agency has an identity provider, which other tests of the run may have set).
 */
export async function enrolledPerson(
  gatewayUrl: string,
  admin: ApiClient,
  role = 'officer',
  domain = 'uklb.example',
  name = 'Tom Reid',
): Promise<EnrolledPerson> {
  const email = `person-${randomUUID()}@${domain}`;
  const invited = await admin.post<{ id: string; enrolmentLink: string }>('/v1/people', {
    email,
    name,
    role,
    signIn: 'local',
  });
  if (invited.status !== 201) throw new Error(`invitation refused: ${invited.status} ${JSON.stringify(invited.body)}`);
  const token = new URL(invited.body.enrolmentLink).searchParams.get('token')!;
  const enrolled = await new PersonAgent(gatewayUrl).request('POST', '/auth/enrol', { token, password: TEST_PASSWORD });
  if (enrolled.status !== 204) throw new Error(`enrolment refused: ${enrolled.status}`);
  return { id: invited.body.id, email, token };
}

/** Signs a person in with their password and enrols TOTP: the agent then holds a live session. */
export async function signedIn(gatewayUrl: string, email: string): Promise<SignedInPerson> {
  const agent = new PersonAgent(gatewayUrl);
  const first = await agent.request<{ next: string; enrolment: { key: string } }>('POST', '/auth/sign-in', {
    email,
    password: TEST_PASSWORD,
  });
  if (first.body.next !== 'enrol') throw new Error(`expected enrolment, got ${JSON.stringify(first.body)}`);
  const secret = first.body.enrolment.key;
  const enrolledAt = Math.floor(Date.now() / 1000);
  const enrolled = await agent.request<{ csrfToken: string; recoveryCodes: string[] }>(
    'POST',
    '/auth/enrol-second-factor',
    { code: await generate({ secret, epoch: enrolledAt }) },
  );
  if (enrolled.status !== 200) throw new Error(`second factor refused: ${enrolled.status}`);
  agent.csrfToken = enrolled.body.csrfToken;
  return { agent, secret, recoveryCodes: enrolled.body.recoveryCodes, enrolledAt };
}

/** A person of the admin's agency with the role, invited, enrolled and signed in. */
export async function personSignedIn(gatewayUrl: string, admin: ApiClient, role = 'officer', name?: string) {
  const person = await enrolledPerson(gatewayUrl, admin, role, 'uklb.example', name);
  return { ...person, ...(await signedIn(gatewayUrl, person.email)) };
}
