import { ApiClient, waitFor } from '@liaison/testing';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the demo reads from the API, and how it sends, receives and prints each step. */
export type Accepted = { id: string; caseReference: string };
export type InboxItem = {
  id: string;
  caseReference: string;
  subject: string;
  sender: { code: string; name: string };
  deliveredAt: string;
  type: string;
  priority: string;
  answerDeadline: string | null;
};
export type Message = InboxItem & {
  body: string;
  handling: { code: string; restriction?: string; marking?: string };
  evaluation: { label: string } | null;
  recipients: { code: string; name: string; state: string; overdue?: boolean; forwardedBy?: string | null }[];
  entities: { ref: string; type: string }[];
};
export type Match = {
  id: string;
  entityType: string;
  ownCase: string;
  otherAgency: string;
  linked: boolean;
  released?: { value: string; otherCase: string };
};
export type Volumes = {
  rows: {
    period: string;
    direction: string;
    partnerCountry: string;
    messages: number | string;
    imported: number | string;
    change: number | null;
    source: string;
  }[];
};

export const bold = (text: string) => `\x1b[1m${text}\x1b[0m`;

export async function send(
  client: ApiClient,
  who: string,
  message: Record<string, unknown> & { subject: string },
): Promise<Accepted> {
  const response = await client.post<Accepted>('/v1/messages', message);
  if (response.status !== 202)
    throw new Error(`${who} could not send: ${response.status} ${JSON.stringify(response.body)}`);
  const to = Array.isArray(message.recipients)
    ? message.recipients.join(', ')
    : `joint investigation team ${String(message.jit)}`;
  console.log(`\n${bold(`${who} sends`)} "${message.subject}" to ${to}`);
  console.log(`  accepted: message ${response.body.id} in case ${response.body.caseReference}`);
  return response.body;
}

export async function receive(client: ApiClient, who: string, id: string): Promise<Message> {
  const item = await waitFor(
    async () => (await client.get<{ items: InboxItem[] }>('/v1/inbox?limit=50')).body.items.find((i) => i.id === id),
    { what: `message ${id} to reach ${who}` },
  );
  const message = (await client.get<Message>(`/v1/messages/${id}`)).body;
  console.log(
    `${bold(`${who} inbox`)}: from ${item.sender.name} (${item.sender.code}), case ${item.caseReference}, delivered ${item.deliveredAt}`,
  );
  const due = item.answerDeadline ? `, answer due ${item.answerDeadline}` : '';
  const grade = message.evaluation ? `, evaluated ${message.evaluation.label}` : '';
  console.log(`  ${message.type}, ${message.priority} priority${due}; handling ${message.handling.code}${grade}`);
  if (message.handling.marking) console.log(`  ${message.handling.marking}`);
  console.log(`  subject: ${message.subject}`);
  for (const line of message.body.split('\n')) console.log(`  | ${line}`);
  for (const r of message.recipients.filter((r) => r.forwardedBy))
    console.log(`  passed on to ${r.code} by ${r.forwardedBy}`);
  if (message.entities.length > 0)
    console.log(`  entities: ${message.entities.map((e) => `${e.ref} (${e.type})`).join(', ')}`);
  return message;
}

/**
 * West Midlands' own system receiving Liaison's webhooks, as a force would write it from the README: it
 * checks the signature over the raw body with the shared secret before trusting anything.
 */
export async function forceSystem(secret: string): Promise<{
  url: string;
  received: { event: string; verified: boolean; body: Record<string, unknown> }[];
  close: () => void;
}> {
  const received: { event: string; verified: boolean; body: Record<string, unknown> }[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const fields = new Map(
        String(request.headers['liaison-signature'] ?? '')
          .split(',')
          .map((p) => p.split('=') as [string, string]),
      );
      const expected = createHmac('sha256', secret)
        .update(`${fields.get('t')}.${raw}`)
        .digest();
      const given = Buffer.from(fields.get('v1') ?? '', 'hex');
      const fresh = Math.abs(Date.now() / 1000 - Number(fields.get('t'))) <= 300;
      received.push({
        event: String(request.headers['liaison-event']),
        verified: fresh && given.length === expected.length && timingSafeEqual(given, expected),
        body: JSON.parse(raw) as Record<string, unknown>,
      });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/liaison`,
    received,
    close: () => server.close(),
  };
}
