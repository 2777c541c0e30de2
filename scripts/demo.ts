import { ApiClient, waitFor } from '@liaison/testing';
import { readStackFile } from './stack-files';

/**
 * `npm run demo` (with `npm run stack` running): a West Midlands Police request through the UK liaison
 * bureau to Romania, and Romania's reply, each step printed as its recipient sees it. Names and numbers
 * in it are invented.
 */
type Accepted = { id: string; caseReference: string };
type InboxItem = {
  id: string;
  caseReference: string;
  subject: string;
  sender: { code: string; name: string };
  deliveredAt: string;
  type: string;
  priority: string;
  answerDeadline: string | null;
};
type Message = InboxItem & {
  body: string;
  handling: { code: string; restriction?: string; marking?: string };
  evaluation: { label: string } | null;
  recipients: { code: string; name: string; state: string }[];
};
type Volumes = { totalMessages: number; byCountryPair: { senderCountry: string; recipientCountry: string; messages: number }[] };

const bold = (text: string) => `\x1b[1m${text}\x1b[0m`;

async function send(client: ApiClient, who: string, message: Record<string, unknown> & { recipients: string[]; subject: string }): Promise<Accepted> {
  const response = await client.post<Accepted>('/v1/messages', message);
  if (response.status !== 202) throw new Error(`${who} could not send: ${response.status} ${JSON.stringify(response.body)}`);
  console.log(`\n${bold(`${who} sends`)} "${message.subject}" to ${message.recipients.join(', ')}`);
  console.log(`  accepted: message ${response.body.id} in case ${response.body.caseReference}`);
  return response.body;
}

async function receive(client: ApiClient, who: string, id: string): Promise<Message> {
  const item = await waitFor(
    async () => (await client.get<{ items: InboxItem[] }>('/v1/inbox?limit=50')).body.items.find((i) => i.id === id),
    { what: `message ${id} to reach ${who}` },
  );
  const message = (await client.get<Message>(`/v1/messages/${id}`)).body;
  console.log(`${bold(`${who} inbox`)}: from ${item.sender.name} (${item.sender.code}), case ${item.caseReference}, delivered ${item.deliveredAt}`);
  const due = item.answerDeadline ? `, answer due ${item.answerDeadline}` : '';
  const grade = message.evaluation ? `, evaluated ${message.evaluation.label}` : '';
  console.log(`  ${message.type}, ${message.priority} priority${due}; handling ${message.handling.code}${grade}`);
  if (message.handling.marking) console.log(`  ${message.handling.marking}`);
  console.log(`  subject: ${message.subject}`);
  for (const line of message.body.split('\n')) console.log(`  | ${line}`);
  return message;
}

async function main(): Promise<void> {
  const stack = readStackFile();
  if (!stack) throw new Error('no running stack found: start it with `npm run stack` first');
  const api = new ApiClient(stack.url);
  if ((await api.get('/health/ready').catch(() => ({ status: 0 }))).status !== 200) {
    throw new Error(`the stack at ${stack.url} is not ready: start it with \`npm run stack\``);
  }
  const wmp = api.as(stack.keys.westMidlands.key);
  const bureau = api.as(stack.keys.ukBureau.key);
  const romania = api.as(stack.keys.romania.key);
  const lead = api.as(stack.keys.programmeLead.key);

  console.log(bold('Operation KESTREL: labour exploitation at a car wash in Wolverhampton'));
  const opened = await wmp.post<{ reference: string }>('/v1/cases', {
    title: 'Labour exploitation at hand car washes, Wolverhampton',
    crimeArea: 'labour-exploitation',
    operationName: 'KESTREL',
  });
  if (opened.status !== 202) throw new Error(`West Midlands Police could not open the case: ${opened.status} ${JSON.stringify(opened.body)}`);
  console.log(`\n${bold('West Midlands Police opens case')} ${opened.body.reference} (labour exploitation, Operation KESTREL)`);

  const request = await send(wmp, 'West Midlands Police', {
    caseReference: opened.body.reference,
    type: 'request',
    priority: 'urgent',
    handling: { code: 'H2', uk: 'C' },
    evaluation: { scheme: '3x5x2', source: '2', intelligence: 'B', handling: 'C' },
    recipients: ['GB-NCA-UKLB'],
    subject: 'Request for checks in Romania: suspected controller, Operation KESTREL',
    body: [
      'Operation KESTREL is investigating the labour exploitation of eleven Romanian nationals at a hand car wash.',
      'Victims describe a controller known as "Dani" who recruited them in Bacău and collects their wages.',
      'Please ask the Romanian authorities whether the mobile number +40 721 000 123, used to recruit the victims,',
      'and the vehicle B-123-XYZ seen at the site are known to them, and whether they hold any linked investigation.',
    ].join('\n'),
  });
  await receive(bureau, 'UK liaison bureau', request.id);

  const query = await send(bureau, 'UK liaison bureau', {
    type: 'request',
    priority: 'urgent',
    handling: { code: 'H2' },
    evaluation: { scheme: '4x4', source: 'B', information: '2' },
    caseReference: opened.body.reference,
    recipients: ['RO-ENU'],
    subject: 'International request: mobile number and vehicle linked to labour exploitation',
    body: [
      'On behalf of West Midlands Police (Operation KESTREL), please check your holdings for:',
      '  - mobile number +40 721 000 123 (recruitment of victims, 2025-2026)',
      '  - vehicle registration B-123-XYZ (seen at the exploitation site)',
      'and tell us whether either is linked to an investigation in Romania.',
    ].join('\n'),
  });
  await receive(romania, 'Romania (Europol National Unit)', query.id);

  const reply = await send(romania, 'Romania (Europol National Unit)', {
    type: 'reply',
    inReplyTo: query.id,
    handling: { code: 'H1' },
    evaluation: { scheme: '4x4', source: 'A', information: '2' },
    recipients: ['GB-NCA-UKLB'],
    subject: 'Reply: number and vehicle known to DIICOT Bacău',
    body: [
      'The mobile number is registered to a company already under investigation by DIICOT Bacău for trafficking',
      'in human beings (labour exploitation). The vehicle is registered to the same company.',
      'We propose an operational meeting to discuss a joint investigation team.',
    ].join('\n'),
  });
  await receive(bureau, 'UK liaison bureau', reply.id);

  const relay = await send(bureau, 'UK liaison bureau', {
    type: 'reply',
    inReplyTo: request.id,
    handling: { code: 'H1' },
    recipients: ['GB-WMP'],
    subject: 'Romania replies: number and vehicle linked to an open Romanian investigation',
    body: 'Romania reports that both are linked to an open DIICOT investigation and proposes an operational meeting.',
  });
  await receive(wmp, 'West Midlands Police', relay.id);

  const thread = (await wmp.get<{ messages: { id: string }[]; participants: string[] }>(`/v1/cases/${opened.body.reference}`)).body;
  console.log(`\n${bold('West Midlands Police case view')}: ${thread.messages.length} of the case's messages are its own to see; participants ${thread.participants.join(', ')}`);

  const today = new Date().toISOString().slice(0, 10);
  const volumes = await waitFor(async () => {
    const report = (await lead.get<Volumes>(`/v1/reports/volumes?from=${today}&to=${today}`)).body;
    return report.totalMessages >= 4 ? report : undefined;
  }, { what: 'the tracker to count the exchange' });
  console.log(`\n${bold('Programme lead')}: messages today ${volumes.totalMessages}`);
  for (const row of volumes.byCountryPair) console.log(`  ${row.senderCountry} -> ${row.recipientCountry}: ${row.messages}`);
}

main().catch((error: unknown) => {
  console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
