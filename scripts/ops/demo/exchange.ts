import type { LiaisonClient } from '@liaison/client';
import { waitFor, type ApiClient } from '@liaison/testing';
import { randomInt } from 'node:crypto';
import { answered, bold, receive, send, type forceSystem } from './steps';
import { programmeLeadReport } from './report';

/**
 * The typed API client of each demo actor; the programme lead's is the plain HTTP one, for what is not JSON (a
 * CSV file up, an SVG chart down).
 */
export type Clients = Record<
  'wmp' | 'wmpSupervisor' | 'bureau' | 'bureauSupervisor' | 'romania' | 'romaniaSupervisor' | 'spain' | 'admin',
  LiaisonClient
> & { lead: ApiClient };

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
  const opened = answered(
    await wmp.POST('/v1/cases', {
      body: {
        title: 'Labour exploitation at hand car washes, Wolverhampton',
        crimeArea: 'labour-exploitation',
        operationName: 'KESTREL',
      },
    }),
    'West Midlands Police could not open the case',
  );
  console.log(
    `\n${bold('West Midlands Police opens case')} ${opened.reference} (labour exploitation, Operation KESTREL)`,
  );

  const request = await send(wmp, 'West Midlands Police', {
    caseReference: opened.reference,
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
      (await wmp.GET('/v1/matches')).data?.items?.find(
        (m) => m.ownCase === opened.reference && m.otherAgency === 'RO-ENU' && m.entityType === 'phone',
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
  const atRomania = answered(
    await romania.GET('/v1/matches/{id}', { params: { path: { id: hit.id } } }),
    'Romania could not see the match',
  );
  console.log(
    `  Romania sees: its case ${atRomania.ownCase} matches a case of ${atRomania.otherAgency} through a ${atRomania.entityType}`,
  );
  answered(
    await romaniaSupervisor.POST('/v1/matches/{id}/decision', {
      params: { path: { id: hit.id } },
      body: { decision: 'release' },
    }),
    'Romania could not release',
  );
  console.log(`${bold('Romania supervisor releases')} Romania's details to West Midlands`);
  const released = answered(
    await wmpSupervisor.POST('/v1/matches/{id}/decision', {
      params: { path: { id: hit.id } },
      body: { decision: 'release' },
    }),
    'West Midlands could not release',
  );
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
    caseReference: opened.reference,
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

  const thread = answered(
    await wmp.GET('/v1/cases/{reference}', { params: { path: { reference: opened.reference } } }),
    'West Midlands Police could not read its case',
  );
  console.log(
    `\n${bold('West Midlands Police case view')}: ${thread.messages.length} of the case's messages are its own to see; participants ${thread.participants.join(', ')}`,
  );

  // Romania passes the bureau's H2 request on to Spain: that needs the bureau's permission.
  const forward = answered(
    await romania.POST('/v1/messages/{id}/forward', { params: { path: { id: query.id } }, body: { to: 'ES-ENU' } }),
    'Romania could not forward',
  );
  console.log(
    `\n${bold('Romania forwards')} the bureau's request to Spain (ES-ENU): it is H2, so the forward is ${forward.state}`,
  );
  console.log(
    `  Spain can open it: ${(await spain.GET('/v1/messages/{id}', { params: { path: { id: query.id } } })).response.status === 200 ? 'yes' : 'no (404)'}`,
  );
  const pending = answered(
    await bureauSupervisor.GET('/v1/permissions', { params: { query: { state: 'pending' } } }),
    'the bureau could not list its permission requests',
  );
  console.log(
    `${bold('UK liaison bureau supervisor')}: ${pending.length} permission request(s) pending; granting ${forward.id}`,
  );
  const granted = answered(
    await bureauSupervisor.POST('/v1/messages/{id}/permissions/{permissionId}/grant', {
      params: { path: { id: query.id, permissionId: forward.id } },
    }),
    'the bureau could not grant the forward',
  );
  console.log(`  the forward is now ${granted.state}`);
  await receive(spain, 'Spain (Europol National Unit)', query.id);

  // A cross-check with a short deadline that nobody answers in time.
  const crossCheck = await send(bureau, 'UK liaison bureau', {
    type: 'cross-check',
    priority: 'urgent-direct',
    deadline: new Date(Date.now() + 3_000).toISOString(),
    caseReference: opened.reference,
    recipients: ['RO-ENU'],
    subject: 'Cross-check: second vehicle seen at the site',
    body: 'Please check vehicle B-456-ABC against your holdings.',
    entities: [{ ref: 'v2', type: 'vehicle', plate: 'B-456-ABC', country: 'RO' }],
  });
  const overdue = await waitFor(
    async () =>
      (await bureauSupervisor.GET('/v1/outbox', { params: { query: { overdue: true } } })).data?.items.find(
        (m) => m.id === crossCheck.id,
      ),
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
  const jit = answered(
    await bureauSupervisor.POST('/v1/jits', {
      body: {
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
      },
    }),
    'the bureau could not set up the JIT',
  );
  console.log(
    `\n${bold('UK liaison bureau sets up')} ${jit.name} (${jit.id}) until ${inAYear}: ${jit.members.map((m) => m.code).join(', ')}`,
  );
  // The owner of the case, a member of the team, links it: Romania can now write into it through the team.
  answered(
    await wmp.POST('/v1/jits/{id}/cases', {
      params: { path: { id: jit.id } },
      body: { caseReference: opened.reference },
    }),
    'West Midlands Police could not link the case',
  );
  console.log(`${bold('West Midlands Police links')} case ${opened.reference} to the team`);
  const broadcast = await send(romania, 'Romania (Europol National Unit)', {
    jit: jit.id,
    caseReference: opened.reference,
    subject: 'JIT KESTREL: coordinated action day proposed',
    body: 'We propose simultaneous searches in Bacău and Wolverhampton in the week of 14 December.',
  });
  await receive(wmp, 'West Midlands Police', broadcast.id);
  await receive(bureau, 'UK liaison bureau', broadcast.id);
  const meeting = answered(
    await romania.POST('/v1/jits/{id}/meetings', {
      params: { path: { id: jit.id } },
      body: {
        heldOn: today,
        place: 'Eurojust, The Hague',
        participants: ['GB-NCA-UKLB', 'GB-WMP', 'RO-ENU', 'EU-EUROJUST', 'EU-EUROPOL'],
        fundedBy: 'eurojust',
      },
    }),
    'Romania could not record the meeting',
  );
  console.log(`${bold('Operational meeting recorded')}: ${meeting.heldOn} at ${meeting.place}`);

  // The tracker appends audit entries moments after the actions: wait for the meeting's.
  const audit = await waitFor(
    async () => {
      const page = (await admin.GET('/v1/audit', { params: { query: { limit: 6, objectId: jit.id } } })).data?.items;
      return page?.some((e) => e.detail.startsWith('meeting')) ? page : undefined;
    },
    { what: 'the audit log to record the meeting' },
  );
  console.log(`\n${bold('Audit log')}, entries on the JIT (who, what, which object; never content):`);
  for (const entry of audit)
    console.log(
      `  #${entry.seq} ${entry.action} by ${entry.agency} on ${entry.objectType} ${entry.objectId}${entry.detail ? ` (${entry.detail})` : ''}`,
    );
  const verified = answered(await admin.GET('/v1/audit/verify'), 'the admin could not verify the audit log');
  console.log(
    `  verification: ${verified.entries} entries, chain ${verified.valid ? 'intact' : `broken at #${verified.firstBroken!.seq}: ${verified.firstBroken!.detail}`}`,
  );

  await programmeLeadReport(lead, today);
}
