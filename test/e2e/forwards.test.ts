import { waitFor, type ApiClient } from '@liaison/testing';
import { issueKey, startServices, type RunningServices } from '../support/services';

type Problem = { type: string; status: number; detail: string; errors?: { field: string; message: string }[] };
type Accepted = { id: string; caseReference: string };
type Forward = {
  id: string;
  messageId: string;
  provider: string;
  from: string;
  to: string;
  state: string;
  decidedAt: string | null;
};
type Message = { id: string; recipients: { code: string; forwardedBy?: string | null }[] };

/** Forwarding, and the provider's permission for H2 messages. */
describe('forwarding and H2 permission', () => {
  let services: RunningServices;
  let ncaOfficer: ApiClient;
  let ncaSupervisor: ApiClient;
  let romania: ApiClient;
  let romaniaSupervisor: ApiClient;
  let netherlands: ApiClient;
  let bulgaria: ApiClient;
  let france: ApiClient;
  let admin: ApiClient;

  beforeAll(async () => {
    services = await startServices();
    admin = services.api.as(services.adminKey);
    [ncaOfficer, ncaSupervisor, romania, romaniaSupervisor, netherlands, bulgaria, france] = await Promise.all([
      issueKey(services, 'GB-NCA', 'officer'),
      issueKey(services, 'GB-NCA', 'supervisor'),
      issueKey(services, 'RO-ENU', 'officer'),
      issueKey(services, 'RO-ENU', 'supervisor'),
      issueKey(services, 'NL-ENU', 'officer'),
      issueKey(services, 'BG-ENU', 'officer'),
      issueKey(services, 'FR-ENU', 'officer'),
    ]);
  }, 90_000);

  afterAll(async () => {
    await services?.stop();
  });

  async function sendToRomania(handling: string): Promise<Accepted> {
    const sent = await ncaOfficer.post<Accepted>('/v1/messages', {
      recipients: ['RO-ENU'],
      subject: `${handling} intelligence`,
      body: 'Details.',
      handling: { code: handling },
    });
    expect(sent.status).toBe(202);
    await waitFor(async () => (await romania.get(`/v1/messages/${sent.body.id}`)).status === 200, {
      what: 'the message at RO-ENU',
    });
    return sent.body;
  }

  const opens = (client: ApiClient, id: string) =>
    waitFor(async () => ((await client.get(`/v1/messages/${id}`)).status === 200 ? true : undefined), {
      what: `message ${id} opened`,
    });

  it('passes an H0 message on at once, shows who forwarded it, and audits the forward', async () => {
    const message = await sendToRomania('H0');
    const forwarded = await romania.post<Forward>(`/v1/messages/${message.id}/forward`, { to: 'NL-ENU' });
    expect(forwarded.status).toBe(202);
    expect(forwarded.body).toMatchObject({
      messageId: message.id,
      provider: 'GB-NCA',
      from: 'RO-ENU',
      to: 'NL-ENU',
      state: 'delivered',
    });
    await opens(netherlands, message.id);
    const seen = await ncaOfficer.get<Message>(`/v1/messages/${message.id}`);
    expect(seen.body.recipients.find((r) => r.code === 'NL-ENU')).toMatchObject({ forwardedBy: 'RO-ENU' });
    const audit = await waitFor(
      async () => {
        const page = await admin.get<{ items: { action: string; agency: string; detail: string }[] }>(
          `/v1/audit?objectId=${message.id}&action=message.forwarded`,
        );
        return page.body.items[0];
      },
      { what: 'the forward in the audit log' },
    );
    expect(audit).toMatchObject({ agency: 'RO-ENU', detail: expect.stringContaining('to NL-ENU') });
  });

  it('holds an H2 forward until a supervisor of the provider grants it', async () => {
    const message = await sendToRomania('H2');
    const requested = await romania.post<Forward>(`/v1/messages/${message.id}/forward`, { to: 'BG-ENU' });
    expect(requested.status).toBe(202);
    expect(requested.body).toMatchObject({ state: 'pending', provider: 'GB-NCA' });
    expect((await bulgaria.get(`/v1/messages/${message.id}`)).status).toBe(404);

    const pending = await ncaSupervisor.get<Forward[]>('/v1/permissions?state=pending');
    expect(pending.body.map((f) => f.id)).toContain(requested.body.id);
    const path = `/v1/messages/${message.id}/permissions/${requested.body.id}`;
    expect((await ncaOfficer.post(`${path}/grant`, {})).status).toBe(403); // officers do not decide
    expect((await romaniaSupervisor.post<Problem>(`${path}/grant`, {})).status).toBe(403); // the requester does not decide
    expect((await bulgaria.post(`${path}/grant`, {})).status).toBe(403);
    const again = await romania.post<Problem>(`/v1/messages/${message.id}/forward`, { to: 'BG-ENU' });
    expect(again.status).toBe(422);
    expect(again.body.detail).toContain('already waiting for the provider');

    const granted = await ncaSupervisor.post<Forward>(`${path}/grant`, {});
    expect(granted.status).toBe(200);
    expect(granted.body).toMatchObject({ state: 'granted' });
    expect(granted.body.decidedAt).not.toBeNull();
    await opens(bulgaria, message.id);
    expect((await ncaSupervisor.post<Problem>(`${path}/deny`, {})).status).toBe(409);
  });

  it('delivers nothing when the provider denies', async () => {
    const message = await sendToRomania('H2');
    const requested = await romania.post<Forward>(`/v1/messages/${message.id}/forward`, { to: 'FR-ENU' });
    const denied = await ncaSupervisor.post<Forward>(
      `/v1/messages/${message.id}/permissions/${requested.body.id}/deny`,
      {},
    );
    expect(denied.status).toBe(200);
    expect(denied.body.state).toBe('denied');
    expect((await france.get(`/v1/messages/${message.id}`)).status).toBe(404);
    const mine = await romaniaSupervisor.get<Forward[]>('/v1/permissions?state=denied');
    expect(mine.body.map((f) => f.id)).toContain(requested.body.id);
  });

  it('refuses forwards that make no sense, naming the problem, and hides messages from strangers', async () => {
    const message = await sendToRomania('H0');
    const toSender = await romania.post<Problem>(`/v1/messages/${message.id}/forward`, { to: 'GB-NCA' });
    expect(toSender.status).toBe(422);
    expect(toSender.body.errors).toEqual([{ field: 'to', message: 'GB-NCA sent this message' }]);
    const unknown = await romania.post<Problem>(`/v1/messages/${message.id}/forward`, { to: 'XX-NOPE' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors).toEqual([{ field: 'to', message: 'unknown agency XX-NOPE' }]);
    expect((await romania.post<Problem>(`/v1/messages/${message.id}/forward`, { to: 'not a code' })).status).toBe(400);
    expect((await bulgaria.post(`/v1/messages/${message.id}/forward`, { to: 'FR-ENU' })).status).toBe(404);
    // The sender is not a recipient: it addresses new recipients with a new message instead.
    expect((await ncaOfficer.post(`/v1/messages/${message.id}/forward`, { to: 'FR-ENU' })).status).toBe(404);
  });
});
