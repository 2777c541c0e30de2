import { liaisonClient, type LiaisonClient } from '@liaison/client';
import { waitFor } from '@liaison/testing';
import { startServices, type RunningServices } from '../support/services';

/**
 * The typed client (`@liaison/client`, generated from the gateway's OpenAPI document) against the real stack:
 * what it sends is what the gateway takes, and what it is typed to receive is what the gateway answers.
 */
describe('the typed client', () => {
  let services: RunningServices;
  let bureau: LiaisonClient;
  let romania: LiaisonClient;

  beforeAll(async () => {
    services = await startServices();
    const admin = liaisonClient(services.gateway.url, services.adminKey);
    const key = async (agency: string) =>
      (await admin.POST('/v1/api-keys', { body: { agency, role: 'officer', label: `typed client at ${agency}` } }))
        .data!.key;
    bureau = liaisonClient(services.gateway.url, await key('GB-NCA-UKLB'));
    romania = liaisonClient(services.gateway.url, await key('RO-ENU'));
  }, 120_000);

  afterAll(async () => {
    await services?.stop();
  });

  it('sends a request with entities, finds it in the inbox, opens it and reads its case', async () => {
    const sent = await bureau.POST('/v1/messages', {
      body: {
        type: 'request',
        priority: 'urgent',
        recipients: ['RO-ENU'],
        subject: 'Typed: subscriber check',
        body: 'Please check the number below.',
        entities: [{ ref: 'ph1', type: 'phone', number: '+40 721 234 567', country: 'RO' }],
      },
    });
    expect(sent.response.status).toBe(202);
    const { id, caseReference } = sent.data!;

    const item = await waitFor(
      async () =>
        (
          await romania.GET('/v1/inbox', { params: { query: { state: 'delivered', sort: 'priority' } } })
        ).data?.items.find((i) => i.id === id),
      { what: 'the message in the inbox' },
    );
    expect(item).toMatchObject({ caseReference, priority: 'urgent', sender: { code: 'GB-NCA-UKLB' } });
    const opened = await romania.GET('/v1/messages/{id}', { params: { path: { id } } });
    expect(opened.data).toMatchObject({
      id,
      subject: 'Typed: subscriber check',
      body: 'Please check the number below.',
    });
    const thread = await bureau.GET('/v1/cases/{reference}', { params: { path: { reference: caseReference } } });
    expect(thread.data?.messages.map((m) => m.id)).toEqual([id]);
  });

  it('gives a refusal as the problem it is, naming the field', async () => {
    const refused = await bureau.POST('/v1/messages', {
      body: { recipients: ['RO-ENU'], subject: 'No body', body: '' },
    });
    expect(refused.response.status).toBe(400);
    expect(refused.data).toBeUndefined();
    expect(refused.error).toMatchObject({
      status: 400,
      errors: expect.arrayContaining([expect.objectContaining({ field: 'body' })]),
    });
  });
});
