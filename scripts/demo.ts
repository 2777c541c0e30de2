import { ApiClient, waitFor } from '@liaison/testing';
import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { readStackFile } from './stack-files';

/**
 * `npm run demo` (with `npm run stack` running): a West Midlands Police request with entities through the
 * UK liaison bureau to Romania and Romania's reply; the request's phone matching a Romanian investigation
 * (hit / no-hit, a signed webhook to West Midlands' own system, both owners releasing their details); Romania's H2 forward to Spain, held until the bureau
 * grants it; a cross-check that goes overdue; a joint investigation team with a broadcast and a meeting;
 * the audit log verified. Each step is printed as its recipient sees it. Names and numbers are invented.
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
  recipients: { code: string; name: string; state: string; overdue?: boolean; forwardedBy?: string | null }[];
  entities: { ref: string; type: string }[];
};
type Match = {
  id: string;
  entityType: string;
  ownCase: string;
  otherAgency: string;
  linked: boolean;
  released?: { value: string; otherCase: string };
};
type Volumes = {
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

const bold = (text: string) => `\x1b[1m${text}\x1b[0m`;

async function send(
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

async function receive(client: ApiClient, who: string, id: string): Promise<Message> {
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
async function forceSystem(secret: string): Promise<{
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
  const bureauSupervisor = api.as(stack.keys.ukBureauSupervisor.key);
  const spain = api.as(stack.keys.spain.key);
  const admin = api.as(stack.adminKey);
  const wmpSupervisor = api.as(stack.keys.westMidlandsSupervisor.key);
  const romaniaSupervisor = api.as(stack.keys.romaniaSupervisor.key);

  // West Midlands' intelligence system takes Liaison's notifications as signed webhooks for this demo.
  const secret = randomBytes(24).toString('hex');
  const receiver = await forceSystem(secret);
  const hook = await admin.post<{ id: string }>('/v1/webhooks', {
    agency: 'GB-WMP',
    url: receiver.url,
    secret,
    events: ['match.found', 'match.updated'],
  });
  if (hook.status !== 201)
    throw new Error(`the admin could not register the webhook: ${hook.status} ${JSON.stringify(hook.body)}`);
  try {
    await exchange(
      { wmp, wmpSupervisor, bureau, bureauSupervisor, romania, romaniaSupervisor, spain, lead, admin },
      receiver,
    );
  } finally {
    await admin.request('DELETE', `/v1/webhooks/${hook.body.id}`);
    receiver.close();
  }
}

type Clients = Record<
  | 'wmp'
  | 'wmpSupervisor'
  | 'bureau'
  | 'bureauSupervisor'
  | 'romania'
  | 'romaniaSupervisor'
  | 'spain'
  | 'lead'
  | 'admin',
  ApiClient
>;

/** The exchange itself, step by step, with West Midlands' system receiving its webhooks at `receiver`. */
async function exchange(
  { wmp, wmpSupervisor, bureau, bureauSupervisor, romania, romaniaSupervisor, spain, lead, admin }: Clients,
  receiver: Awaited<ReturnType<typeof forceSystem>>,
): Promise<void> {
  // The recruiter's number, different on each run so that runs do not match each other.
  const digits = `721${randomInt(100_000, 999_999)}`;
  const phone = {
    international: `+40 ${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`,
    national: `0${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`,
  };

  console.log(bold('Before: Romania investigates a recruitment company in Bacău'));
  const romanianCase = await send(romania, 'Romania (Europol National Unit)', {
    type: 'information',
    recipients: ['ES-ENU'],
    subject: 'DIICOT Bacău: company recruiting workers for car washes abroad',
    body: `The company's recruiter answers on ${phone.national}; workers are sent to Spain and the United Kingdom.`,
  });
  await receive(spain, 'Spain (Europol National Unit)', romanianCase.id);

  console.log(`\n${bold('Operation KESTREL: labour exploitation at a car wash in Wolverhampton')}`);
  const opened = await wmp.post<{ reference: string }>('/v1/cases', {
    title: 'Labour exploitation at hand car washes, Wolverhampton',
    crimeArea: 'labour-exploitation',
    operationName: 'KESTREL',
  });
  if (opened.status !== 202)
    throw new Error(`West Midlands Police could not open the case: ${opened.status} ${JSON.stringify(opened.body)}`);
  console.log(
    `\n${bold('West Midlands Police opens case')} ${opened.body.reference} (labour exploitation, Operation KESTREL)`,
  );

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
      `Please ask the Romanian authorities whether the mobile number ${phone.international}, used to recruit the victims,`,
      'and the vehicle B-123-XYZ seen at the site are known to them, and whether they hold any linked investigation.',
    ].join('\n'),
    entities: [
      {
        ref: 'p1',
        type: 'person',
        names: ['Daniel', 'MUNTEANU'],
        dateOfBirth: '1985-03-14',
        nationality: 'RO',
        gender: 'male',
      },
      { ref: 'ph1', type: 'phone', number: phone.international, country: 'RO' },
      { ref: 'v1', type: 'vehicle', plate: 'B-123-XYZ', country: 'RO' },
    ],
    links: [
      { from: 'ph1', to: 'p1', relation: 'used-by' },
      { from: 'v1', to: 'p1', relation: 'used-by' },
    ],
  });
  await receive(bureau, 'UK liaison bureau', request.id);

  // The request's phone is in Romania's case too: a hit. Each owner learns only that its case matches one of
  // the other agency, through a phone; the details travel by each owner's decision.
  const hit = await waitFor(
    async () =>
      (await wmp.get<{ items: Match[] }>('/v1/matches')).body.items.find(
        (m) => m.ownCase === opened.body.reference && m.otherAgency === 'RO-ENU' && m.entityType === 'phone',
      ),
    { what: 'the match' },
  );
  console.log(
    `\n${bold('Hit')}: West Midlands' case ${hit.ownCase} matches a case of ${hit.otherAgency} through a ${hit.entityType} (no value, no case reference yet)`,
  );
  const pushed = await waitFor(
    async () =>
      receiver.received.find(
        (r) => r.event === 'match.found' && (r.body.data as { matchId?: string }).matchId === hit.id,
      ),
    { what: 'the webhook at West Midlands' },
  );
  console.log(
    `  West Midlands' system received webhook ${pushed.event}, signature ${pushed.verified ? 'verified' : 'NOT VALID'}: ${JSON.stringify(pushed.body.data)}`,
  );
  const atRomania = (await romania.get<Match>(`/v1/matches/${hit.id}`)).body;
  console.log(
    `  Romania sees: its case ${atRomania.ownCase} matches a case of ${atRomania.otherAgency} through a ${atRomania.entityType}`,
  );
  await romaniaSupervisor.post(`/v1/matches/${hit.id}/decision`, { decision: 'release' });
  console.log(`${bold('Romania supervisor releases')} Romania's details to West Midlands`);
  const released = (await wmpSupervisor.post<Match>(`/v1/matches/${hit.id}/decision`, { decision: 'release' })).body;
  console.log(
    `${bold('West Midlands supervisor releases')} its details too: cases ${released.linked ? 'linked' : 'not yet linked'}`,
  );
  console.log(
    `  West Midlands now sees: ${released.released?.value} in Romania's case ${released.released?.otherCase}`,
  );
  const decided = await waitFor(
    async () =>
      receiver.received.find(
        (r) => r.event === 'match.updated' && (r.body.data as { matchId?: string }).matchId === hit.id,
      ),
    { what: 'the decision webhook' },
  );
  console.log(
    `  West Midlands' system received webhook ${decided.event}, signature ${decided.verified ? 'verified' : 'NOT VALID'}: ${JSON.stringify(decided.body.data)}`,
  );

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
      `  - mobile number ${phone.international} (recruitment of victims, 2025-2026)`,
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

  const thread = (
    await wmp.get<{ messages: { id: string }[]; participants: string[] }>(`/v1/cases/${opened.body.reference}`)
  ).body;
  console.log(
    `\n${bold('West Midlands Police case view')}: ${thread.messages.length} of the case's messages are its own to see; participants ${thread.participants.join(', ')}`,
  );

  // Romania passes the bureau's H2 request on to Spain: that needs the bureau's permission.
  const forward = await romania.post<{ id: string; state: string }>(`/v1/messages/${query.id}/forward`, {
    to: 'ES-ENU',
  });
  if (forward.status !== 202)
    throw new Error(`Romania could not forward: ${forward.status} ${JSON.stringify(forward.body)}`);
  console.log(
    `\n${bold('Romania forwards')} the bureau's request to Spain (ES-ENU): it is H2, so the forward is ${forward.body.state}`,
  );
  console.log(
    `  Spain can open it: ${(await spain.get(`/v1/messages/${query.id}`)).status === 200 ? 'yes' : 'no (404)'}`,
  );
  const pending = (
    await bureauSupervisor.get<{ id: string; from: string; to: string }[]>('/v1/permissions?state=pending')
  ).body;
  console.log(
    `${bold('UK liaison bureau supervisor')}: ${pending.length} permission request(s) pending; granting ${forward.body.id}`,
  );
  const granted = await bureauSupervisor.post<{ state: string }>(
    `/v1/messages/${query.id}/permissions/${forward.body.id}/grant`,
    {},
  );
  console.log(`  the forward is now ${granted.body.state}`);
  await receive(spain, 'Spain (Europol National Unit)', query.id);

  // A cross-check with a short deadline that nobody answers in time.
  const crossCheck = await send(bureau, 'UK liaison bureau', {
    type: 'cross-check',
    priority: 'urgent-direct',
    deadline: new Date(Date.now() + 3_000).toISOString(),
    caseReference: opened.body.reference,
    recipients: ['RO-ENU'],
    subject: 'Cross-check: second vehicle seen at the site',
    body: 'Please check vehicle B-456-ABC against your holdings.',
    entities: [{ ref: 'v2', type: 'vehicle', plate: 'B-456-ABC', country: 'RO' }],
  });
  const overdue = await waitFor(
    async () =>
      (
        await bureauSupervisor.get<{ items: { id: string; recipients: { code: string; overdue?: boolean }[] }[] }>(
          '/v1/outbox?overdue=true',
        )
      ).body.items.find((m) => m.id === crossCheck.id),
    { what: 'the cross-check to go overdue', timeoutMs: 15_000 },
  );
  console.log(
    `${bold('UK liaison bureau supervisor outbox')}, overdue: "Cross-check: second vehicle seen at the site" unanswered by ${overdue.recipients
      .filter((r) => r.overdue)
      .map((r) => r.code)
      .join(', ')}`,
  );

  // The two countries set up a joint investigation team, broadcast to it and meet at Eurojust.
  const today = new Date().toISOString().slice(0, 10);
  const inAYear = new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);
  const jit = await bureauSupervisor.post<{ id: string; name: string; members: { code: string }[] }>('/v1/jits', {
    name: 'JIT KESTREL',
    parties: [
      { country: 'GB', agencies: ['GB-NCA-UKLB', 'GB-WMP'] },
      { country: 'RO', agencies: ['RO-ENU'] },
    ],
    startsOn: today,
    endsOn: inAYear,
    eurojust: true,
    europol: true,
    fundingReference: 'EJ-JITS-2026-0412',
  });
  if (jit.status !== 201)
    throw new Error(`the bureau could not set up the JIT: ${jit.status} ${JSON.stringify(jit.body)}`);
  console.log(
    `\n${bold('UK liaison bureau sets up')} ${jit.body.name} (${jit.body.id}) until ${inAYear}: ${jit.body.members.map((m) => m.code).join(', ')}`,
  );
  // The owner of the case, a member of the team, links it: Romania can now write into it through the team.
  const linked = await wmp.post(`/v1/jits/${jit.body.id}/cases`, { caseReference: opened.body.reference });
  if (linked.status !== 200)
    throw new Error(`West Midlands Police could not link the case: ${linked.status} ${JSON.stringify(linked.body)}`);
  console.log(`${bold('West Midlands Police links')} case ${opened.body.reference} to the team`);
  const broadcast = await send(romania, 'Romania (Europol National Unit)', {
    jit: jit.body.id,
    caseReference: opened.body.reference,
    subject: 'JIT KESTREL: coordinated action day proposed',
    body: 'We propose simultaneous searches in Bacău and Wolverhampton in the week of 14 December.',
  });
  await receive(wmp, 'West Midlands Police', broadcast.id);
  await receive(bureau, 'UK liaison bureau', broadcast.id);
  const meeting = await romania.post<{ heldOn: string; place: string }>(`/v1/jits/${jit.body.id}/meetings`, {
    heldOn: today,
    place: 'Eurojust, The Hague',
    participants: ['GB-NCA-UKLB', 'GB-WMP', 'RO-ENU', 'EU-EUROJUST', 'EU-EUROPOL'],
    fundedBy: 'eurojust',
  });
  console.log(`${bold('Operational meeting recorded')}: ${meeting.body.heldOn} at ${meeting.body.place}`);

  type AuditPage = {
    items: { seq: number; action: string; agency: string; objectType: string; objectId: string; detail: string }[];
  };
  // The tracker appends audit entries moments after the actions: wait for the meeting's.
  const audit = await waitFor(
    async () => {
      const page = (await admin.get<AuditPage>(`/v1/audit?limit=6&objectId=${jit.body.id}`)).body.items;
      return page.some((e) => e.detail.startsWith('meeting')) ? page : undefined;
    },
    { what: 'the audit log to record the meeting' },
  );
  console.log(`\n${bold('Audit log')}, entries on the JIT (who, what, which object; never content):`);
  for (const entry of audit)
    console.log(
      `  #${entry.seq} ${entry.action} by ${entry.agency} on ${entry.objectType} ${entry.objectId}${entry.detail ? ` (${entry.detail})` : ''}`,
    );
  const verified = (
    await admin.get<{ entries: number; valid: boolean; firstBroken: { seq: number; detail: string } | null }>(
      '/v1/audit/verify',
    )
  ).body;
  console.log(
    `  verification: ${verified.entries} entries, chain ${verified.valid ? 'intact' : `broken at #${verified.firstBroken!.seq}: ${verified.firstBroken!.detail}`}`,
  );

  await programmeLeadReport(lead, today);
}

/**
 * The programme lead's view: figures from before the system (imported once; importing the same file again
 * changes nothing), then the UK's volumes from 2015 to this year by direction and partner, printed and saved as
 * a chart for a briefing slide.
 */
async function programmeLeadReport(lead: ApiClient, today: string): Promise<void> {
  const historical = [
    'period,direction,partner,crime_area,message_type,count',
    '2015,outbound,EU,unspecified,request,145',
    '2016,outbound,EU,unspecified,request,201',
    '2017,outbound,EU,unspecified,request,298',
    '',
  ].join('\n');
  const imported = await lead.request<{ counts: number }>('POST', '/v1/reports/imports', {
    raw: historical,
    headers: { 'content-type': 'text/csv' },
  });
  console.log(
    `\n${bold('Programme lead')}: historical counts imported (${imported.status === 201 ? 'new' : 'already imported'}, ${imported.body.counts} lines)`,
  );
  const year = today.slice(0, 4);
  const query = `/v1/reports/volumes?from=2015&to=${year}&by=direction,partner-country`;
  // The tracker counts moments after routing: wait for this year's messages to the EU agencies and Romania.
  const volumes = await waitFor(
    async () => {
      const report = (await lead.get<Volumes>(query)).body;
      return report.rows.some((r) => r.period === year && r.partnerCountry === 'RO') ? report : undefined;
    },
    { what: 'the tracker to count the exchange' },
  );
  console.log(`${bold('Volumes report')} GET ${query}`);
  console.log('  period  direction  partner  messages  change   source');
  for (const row of volumes.rows) {
    const change = row.change === null ? '' : `${row.change >= 0 ? '+' : ''}${Math.round(row.change * 100)}%`;
    console.log(
      `  ${row.period.padEnd(6)}  ${row.direction.padEnd(9)}  ${row.partnerCountry.padEnd(7)}  ${String(row.messages).padStart(8)}  ${change.padEnd(7)}  ${row.source}`,
    );
  }
  const svg = await lead.get<string>(query, { accept: 'image/svg+xml' });
  const file = resolve('demo-output', `liaison-volumes-2015-${year}.svg`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, svg.body);
  console.log(`${bold('Chart saved')}: ${file} (the same report as CSV: Accept: text/csv)`);
}

main().catch((error: unknown) => {
  console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
