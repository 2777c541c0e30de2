import { liaisonClient, type LiaisonClient, type Schema } from '@liaison/client';
import { waitFor } from '@liaison/testing';
import { startServices, typedClient, type RunningServices } from '../support/services';

type Problem = { detail: string; errors?: { field: string; message: string }[] };

/** Forwarding, and the provider's permission for H2 messages, through the typed client. */
describe('forwarding and H2 permission', () => {
  let services: RunningServices;
  let ncaOfficer: LiaisonClient;
  let ncaSupervisor: LiaisonClient;
  let romania: LiaisonClient;
  let romaniaSupervisor: LiaisonClient;
  let netherlands: LiaisonClient;
  let bulgaria: LiaisonClient;
  let france: LiaisonClient;
  let admin: LiaisonClient;

  beforeAll(async () => {
    services = await startServices();
    admin = liaisonClient(services.gateway.url, services.adminKey);
    [ncaOfficer, ncaSupervisor, romania, romaniaSupervisor, netherlands, bulgaria, france] = await Promise.all([
      typedClient(services, 'GB-NCA', 'officer'),
      typedClient(services, 'GB-NCA', 'supervisor'),
      typedClient(services, 'RO-ENU', 'officer'),
      typedClient(services, 'RO-ENU', 'supervisor'),
      typedClient(services, 'NL-ENU', 'officer'),
      typedClient(services, 'BG-ENU', 'officer'),
      typedClient(services, 'FR-ENU', 'officer'),
    ]);
  }, 90_000);

  afterAll(async () => {
    await services?.stop();
  });

  /** The status a client gets opening the message. */
  const openStatus = async (client: LiaisonClient, id: string) =>
    (await client.GET('/v1/messages/{id}', { params: { path: { id } } })).response.status;

  async function sendToRomania(code: 'H0' | 'H2'): Promise<Schema<'SubmittedMessageView'>> {
    const sent = await ncaOfficer.POST('/v1/messages', {
      body: { recipients: ['RO-ENU'], subject: `${code} intelligence`, body: 'Details.', handling: { code } },
    });
    expect(sent.response.status).toBe(202);
    await waitFor(async () => (await openStatus(romania, sent.data!.id)) === 200, { what: 'the message at RO-ENU' });
    return sent.data!;
  }

  const forward = (client: LiaisonClient, id: string, to: string) =>
    client.POST('/v1/messages/{id}/forward', { params: { path: { id } }, body: { to } });
  const decide = (client: LiaisonClient, id: string, permissionId: string, decision: 'grant' | 'deny') =>
    decision === 'grant'
      ? client.POST('/v1/messages/{id}/permissions/{permissionId}/grant', { params: { path: { id, permissionId } } })
      : client.POST('/v1/messages/{id}/permissions/{permissionId}/deny', { params: { path: { id, permissionId } } });
  const opens = (client: LiaisonClient, id: string) =>
    waitFor(async () => ((await openStatus(client, id)) === 200 ? true : undefined), { what: `message ${id} opened` });

  it('passes an H0 message on at once, shows who forwarded it, and audits the forward', async () => {
    const message = await sendToRomania('H0');
    const forwarded = await forward(romania, message.id, 'NL-ENU');
    expect(forwarded.response.status).toBe(202);
    expect(forwarded.data).toMatchObject({
      messageId: message.id,
      provider: 'GB-NCA',
      from: 'RO-ENU',
      to: 'NL-ENU',
      state: 'delivered',
    });
    await opens(netherlands, message.id);
    const seen = await ncaOfficer.GET('/v1/messages/{id}', { params: { path: { id: message.id } } });
    expect(seen.data?.recipients?.find((r) => r.code === 'NL-ENU')).toMatchObject({ forwardedBy: 'RO-ENU' });
    const audit = await waitFor(
      async () =>
        (
          await admin.GET('/v1/audit', {
            params: { query: { objectId: message.id, action: 'message.forwarded' } },
          })
        ).data?.items[0],
      { what: 'the forward in the audit log' },
    );
    expect(audit).toMatchObject({ agency: 'RO-ENU', detail: expect.stringContaining('to NL-ENU') });
  });

  it('holds an H2 forward until a supervisor of the provider grants it', async () => {
    const message = await sendToRomania('H2');
    const requested = await forward(romania, message.id, 'BG-ENU');
    expect(requested.response.status).toBe(202);
    expect(requested.data).toMatchObject({ state: 'pending', provider: 'GB-NCA' });
    const forwardId = requested.data!.id;
    expect(await openStatus(bulgaria, message.id)).toBe(404);

    const pending = await ncaSupervisor.GET('/v1/permissions', { params: { query: { state: 'pending' } } });
    expect(pending.data?.map((f) => f.id)).toContain(forwardId);
    expect((await decide(ncaOfficer, message.id, forwardId, 'grant')).response.status).toBe(403); // officers do not decide
    expect((await decide(romaniaSupervisor, message.id, forwardId, 'grant')).response.status).toBe(403); // nor the requester
    expect((await decide(bulgaria, message.id, forwardId, 'grant')).response.status).toBe(403);
    const again = await forward(romania, message.id, 'BG-ENU');
    expect(again.response.status).toBe(422);
    expect((again.error as Problem).detail).toContain('already waiting for the provider');

    const granted = await decide(ncaSupervisor, message.id, forwardId, 'grant');
    expect(granted.response.status).toBe(200);
    expect(granted.data).toMatchObject({ state: 'granted' });
    expect(granted.data?.decidedAt).not.toBeNull();
    await opens(bulgaria, message.id);
    expect((await decide(ncaSupervisor, message.id, forwardId, 'deny')).response.status).toBe(409);
  });

  it('delivers nothing when the provider denies', async () => {
    const message = await sendToRomania('H2');
    const requested = await forward(romania, message.id, 'FR-ENU');
    const denied = await decide(ncaSupervisor, message.id, requested.data!.id, 'deny');
    expect(denied.response.status).toBe(200);
    expect(denied.data?.state).toBe('denied');
    expect(await openStatus(france, message.id)).toBe(404);
    const mine = await romaniaSupervisor.GET('/v1/permissions', { params: { query: { state: 'denied' } } });
    expect(mine.data?.map((f) => f.id)).toContain(requested.data!.id);
  });

  it('refuses forwards that make no sense, naming the problem, and hides messages from strangers', async () => {
    const message = await sendToRomania('H0');
    const toSender = await forward(romania, message.id, 'GB-NCA');
    expect(toSender.response.status).toBe(422);
    expect((toSender.error as Problem).errors).toEqual([{ field: 'to', message: 'GB-NCA sent this message' }]);
    const unknown = await forward(romania, message.id, 'XX-NOPE');
    expect(unknown.response.status).toBe(422);
    expect((unknown.error as Problem).errors).toEqual([{ field: 'to', message: 'unknown agency XX-NOPE' }]);
    expect((await forward(romania, message.id, 'not a code')).response.status).toBe(400);
    expect((await forward(bulgaria, message.id, 'FR-ENU')).response.status).toBe(404);
    // The sender is not a recipient: it addresses new recipients with a new message instead.
    expect((await forward(ncaOfficer, message.id, 'FR-ENU')).response.status).toBe(404);
  });
});
