import { ApiClient, waitFor } from '@liaison/testing';
import { randomInt } from 'node:crypto';
import { bold, receive, send, type forceSystem, type Match } from './steps';
import { programmeLeadReport } from './report';

export type Clients = Record<
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
export async function exchange(
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
