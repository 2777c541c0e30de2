import { waitFor, type ApiClient } from '@liaison/testing';
import { randomInt } from 'node:crypto';
import { LogCapture } from '../support/log-capture';
import { romanianMobile } from '../support/match-fixture';
import { issueKey, startServices, type RunningServices } from '../support/services';

type Accepted = { id: string; caseReference: string };
type Report = {
  searchId: string;
  agency: string;
  totals: { cases: number; messages: number; consultations: number };
  cases: {
    reference: string;
    ownerAgency: string;
    messages: {
      id: string;
      direction: string;
      matched: { ref: string; entity: Record<string, unknown>; certainty: string }[];
      inText: boolean;
      consultations: { action: string; agency: string; principalType: string; principalId: string }[];
    }[];
  }[];
};
type Problem = { status: number; errors?: { field: string; message: string }[] };

/**
 * Subject access: a data-protection officer finds what the agency holds on a person (by name and date of birth)
 * or an identifier, across the cases it takes part in and nothing beyond, with who consulted each message; as
 * JSON or a PDF. Every search is audited, without what was searched for, and no log line holds it.
 */
describe('subject access', () => {
  const logs = new LogCapture();
  let services: RunningServices;
  let wmp: ApiClient;
  let officer: ApiClient;
  let romania: ApiClient;
  let bulgaria: ApiClient;
  let dpo: ApiClient;
  const surname = `Vasilescu${randomInt(1000, 9999)}`;

  beforeAll(async () => {
    services = await startServices();
    [wmp, officer, romania, bulgaria, dpo] = await Promise.all([
      issueKey(services, 'GB-WMP', 'supervisor'),
      issueKey(services, 'GB-WMP', 'officer'),
      issueKey(services, 'RO-ENU', 'officer'),
      issueKey(services, 'BG-ENU', 'officer'),
      issueKey(services, 'GB-WMP', 'data-protection-officer'),
    ]);
    logs.start();
  }, 90_000);

  afterAll(async () => {
    logs.stop();
    await services?.stop();
  });

  it('finds what the agency holds on a person or an identifier, with who consulted it, as JSON and PDF', async () => {
    const phone = romanianMobile();
    const person = { ref: 'p1', type: 'person', names: ['Ion', surname], dateOfBirth: '1979-03-14' };
    const sent = await wmp.post<Accepted>('/v1/messages', {
      type: 'request',
      recipients: ['RO-ENU'],
      subject: 'Controller of workers',
      body: 'Checks requested.',
      entities: [person, { ref: 't1', type: 'phone', number: phone.international }],
    });
    const received = await romania.post<Accepted>('/v1/messages', {
      type: 'information',
      recipients: ['GB-WMP'],
      subject: 'A number seen in Constanța',
      body: `The recruiter answers on ${phone.national}.`,
    });
    // Bulgaria holds the same number in a case West Midlands takes no part in.
    const elsewhere = await bulgaria.post<Accepted>('/v1/messages', {
      type: 'information',
      recipients: ['NL-ENU'],
      subject: 'Number',
      body: 'See entity.',
      entities: [{ ref: 't1', type: 'phone', number: phone.international }],
    });
    for (const [client, id] of [
      [wmp, sent.body.id],
      [wmp, received.body.id],
      [bulgaria, elsewhere.body.id],
    ] as const)
      await waitFor(async () => (await client.get(`/v1/messages/${id}`)).status === 200, { what: 'routed' });
    await waitFor(async () => (await officer.get(`/v1/messages/${sent.body.id}`)).status === 200, { what: 'opened' });

    const search = (body: unknown, accept = 'application/json') =>
      dpo.request<Report & Problem>('POST', '/v1/subject-access/searches', { json: body, headers: { accept } });
    // By name (written in capitals, another order) and date of birth: the sent message, exactly.
    const byName = await waitFor(
      async () => {
        const found = await search({ person: { names: [surname.toUpperCase(), 'ION'], dateOfBirth: '1979-03-14' } });
        return found.body.totals?.messages === 1 && found.body.cases[0].messages[0].consultations.length > 0
          ? found
          : undefined;
      },
      { what: 'the person found, with the officer’s opening' },
    );
    expect(byName.status).toBe(200);
    const [held] = byName.body.cases;
    expect(held).toMatchObject({ reference: sent.body.caseReference, ownerAgency: 'GB-WMP' });
    expect(held.messages[0]).toMatchObject({ id: sent.body.id, direction: 'sent', inText: false });
    expect(held.messages[0].matched).toEqual([{ ref: 'p1', entity: person, certainty: 'exact' }]);
    expect(held.messages[0].consultations).toContainEqual(
      expect.objectContaining({ action: 'message.opened', agency: 'GB-WMP', principalType: 'api-key' }),
    );

    // By the number, written nationally and read as Romania writes it: the message sent (as an entity) and the one
    // received (in its text); not Bulgaria's.
    const byPhone = await waitFor(
      async () => {
        const found = await search({ identifier: { type: 'phone', number: phone.national }, country: 'RO' });
        return found.body.totals?.messages === 2 ? found : undefined;
      },
      { what: 'both messages indexed and found' },
    );
    expect(byPhone.status).toBe(200);
    const messages = byPhone.body.cases.flatMap((c) => c.messages);
    expect(messages.map((m) => [m.id, m.direction, m.inText]).sort()).toEqual(
      [
        [sent.body.id, 'sent', false],
        [received.body.id, 'received', true],
      ].sort(),
    );
    expect(JSON.stringify(byPhone.body)).not.toContain(elsewhere.body.caseReference);

    // A PDF summary of the same.
    const pdf = await fetch(`${services.gateway.url}/v1/subject-access/searches`, {
      method: 'POST',
      headers: { authorization: `Bearer ${dpo.key!}`, 'content-type': 'application/json', accept: 'application/pdf' },
      body: JSON.stringify({ identifier: { type: 'phone', number: phone.e164 } }),
    });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toContain('application/pdf');
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(bytes.subarray(0, 8).toString('latin1')).toBe('%PDF-1.7');
    expect(bytes.subarray(-6).toString('latin1')).toContain('%%EOF');

    // Refused searches name their problem.
    const both = await search({ person: { names: ['A'], dateOfBirth: '1979-03-14' }, identifier: { type: 'phone' } });
    expect(both.status).toBe(400);
    expect((await search({ person: { names: ['Ion'] } })).status).toBe(400);
    const wrongType = await search({ identifier: { type: 'person', names: ['Ion'] } });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.errors?.[0].field).toBe('identifier.type');

    // Every search audited, never with what was searched for; and no log line holds it.
    const audited = await waitFor(
      async () => {
        const items = (
          await services.api
            .as(services.adminKey)
            .get<{ items: { objectId: string; detail: string }[] }>('/v1/audit?action=subject-access.searched')
        ).body.items;
        return items.some((e) => e.objectId === byPhone.body.searchId) ? items : undefined;
      },
      { what: 'the searches audited' },
    );
    expect(audited.find((e) => e.objectId === byPhone.body.searchId)?.detail).toBe('phone: 2 messages in 2 cases');
    expect(JSON.stringify(audited)).not.toContain(surname);
    expect(JSON.stringify(audited)).not.toContain(phone.e164.slice(3));
    expect(logs.text()).not.toContain(surname);
    expect(logs.text()).not.toContain(phone.national);
  });
});
