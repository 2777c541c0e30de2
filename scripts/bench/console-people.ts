import type { ApiClient } from '@liaison/testing';
import { generate } from 'otplib';
import { randomUUID } from 'node:crypto';

const PASSWORD = 'a long and unusual bench passphrase';

/** A person's browser, reduced to what the benches need: the cookie jar of one host. */
export class Person {
  constructor(private readonly url: string) {}

  private readonly cookies = new Map<string, string>();

  async request(
    method: string,
    path: string,
    body?: unknown,
    extra: Record<string, string> = {},
  ): Promise<{ status: number; json: unknown; timing: number; text: string; etag: string | null }> {
    const headers: Record<string, string> = {
      origin: this.url,
      accept: body === undefined ? 'text/html' : 'application/json',
      ...extra,
    };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([n, v]) => `${n}=${v}`).join('; ');
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: 'manual',
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      this.cookies.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
    }
    const text = await response.text();
    const timing = Number(/app;dur=([\d.]+)/.exec(response.headers.get('server-timing') ?? '')?.[1] ?? NaN);
    let json: unknown = null;
    if (/json/.test(response.headers.get('content-type') ?? '') && text) json = JSON.parse(text);
    return { status: response.status, json, timing, text, etag: response.headers.get('etag') };
  }
}

/** A supervisor of the agency, invited, enrolled (password and TOTP) and signed in, as a person does it. */
export async function signIn(url: string, admin: ApiClient, agency: string, index: number): Promise<Person> {
  const email = `bench-console-${index}-${randomUUID()}@ro.example`;
  const invited = await admin.post<{ enrolmentLink: string }>('/v1/people', {
    email,
    name: `Bench ${index}`,
    role: 'supervisor',
    agency,
    signIn: 'local',
  });
  const token = new URL(invited.body.enrolmentLink).searchParams.get('token');
  const person = new Person(url);
  if ((await person.request('POST', '/auth/enrol', { token, password: PASSWORD })).status !== 204)
    throw new Error('enrolment failed');
  const first = await person.request('POST', '/auth/sign-in', { email, password: PASSWORD });
  const secret = (first.json as { enrolment: { key: string } }).enrolment.key;
  const enrolled = await person.request('POST', '/auth/enrol-second-factor', { code: await generate({ secret }) });
  if (enrolled.status !== 200) throw new Error('second factor failed');
  return person;
}
