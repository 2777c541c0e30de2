import type { LiaisonClient, Schema } from '@liaison/client';
import { waitFor } from '@liaison/testing';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** What the demo reads from the API: its own types, generated from the OpenAPI document (`@liaison/client`). */
export type Accepted = Schema<'SubmittedMessageView'>;
export type Message = Schema<'MessageView'>;

/** What a call answered, or an error naming what failed and the problem the API gave. */
export function answered<T>(result: { data?: T; error?: unknown; response: Response }, what: string): T {
  if (result.data === undefined)
    throw new Error(`${what}: ${result.response.status} ${JSON.stringify(result.error ?? null)}`);
  return result.data;
}

export const bold = (text: string) => `\x1b[1m${text}\x1b[0m`;

export async function send(client: LiaisonClient, who: string, message: Schema<'SubmitMessageDto'>): Promise<Accepted> {
  const accepted = answered(await client.POST('/v1/messages', { body: message }), `${who} could not send`);
  const to = message.recipients ? message.recipients.join(', ') : `joint investigation team ${String(message.jit)}`;
  console.log(`\n${bold(`${who} sends`)} "${message.subject}" to ${to}`);
  console.log(`  accepted: message ${accepted.id} in case ${accepted.caseReference}`);
  return accepted;
}

export async function receive(client: LiaisonClient, who: string, id: string): Promise<Message> {
  const item = await waitFor(
    async () =>
      (await client.GET('/v1/inbox', { params: { query: { limit: 50 } } })).data?.items.find((i) => i.id === id),
    { what: `message ${id} to reach ${who}` },
  );
  const message = answered(
    await client.GET('/v1/messages/{id}', { params: { path: { id } } }),
    `${who} could not open message ${id}`,
  );
  console.log(
    `${bold(`${who} inbox`)}: from ${item.sender.name} (${item.sender.code}), case ${item.caseReference}, delivered ${item.deliveredAt}`,
  );
  const due = item.answerDeadline ? `, answer due ${item.answerDeadline}` : '';
  const grade = message.evaluation ? `, evaluated ${message.evaluation.label}` : '';
  console.log(`  ${message.type}, ${message.priority} priority${due}; handling ${message.handling?.code}${grade}`);
  if (message.handling?.marking) console.log(`  ${message.handling.marking}`);
  console.log(`  subject: ${message.subject}`);
  // The body is absent until an H3 restriction is accepted; the demo sends none.
  for (const line of (message.body ?? '').split('\n')) console.log(`  | ${line}`);
  for (const r of (message.recipients ?? []).filter((r) => r.forwardedBy))
    console.log(`  passed on to ${r.code} by ${r.forwardedBy}`);
  // Entities are free-form objects in the API description (their fields depend on the type).
  const entities = (message.entities ?? []) as { ref: string; type: string }[];
  if (entities.length > 0) console.log(`  entities: ${entities.map((e) => `${e.ref} (${e.type})`).join(', ')}`);
  return message;
}

/**
 * West Midlands' own system receiving Liaison's webhooks, as a force would write it from the README: it
 * checks the Standard Webhooks signature over the raw body with the shared secret before trusting anything.
 */
export async function forceSystem(secret: string): Promise<{
  url: string;
  received: { event: string; verified: boolean; body: Record<string, unknown> }[];
  close: () => void;
}> {
  const received: { event: string; verified: boolean; body: Record<string, unknown> }[] = [];
  const liaison = new Webhook(secret, { format: 'raw' });
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let verified = true;
      try {
        liaison.verify(raw, request.headers as Record<string, string>);
      } catch {
        verified = false;
      }
      received.push({
        event: String(request.headers['liaison-event']),
        verified,
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
