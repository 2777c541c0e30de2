import type { NotificationDocument } from '@liaison/domain';
import { receiverProblem, type Resolve } from '@liaison/outbound';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebhookSender, type DeliveryWork } from '../../apps/notifier/src';

const production = { allowedPorts: [443, 80], allowLoopback: false };
const development = { ...production, allowLoopback: true };

/** Answers every request with 204 and counts the connections made to it. */
async function receiver(): Promise<{
  server: Server;
  port: number;
  connections: () => number;
  requests: () => number;
}> {
  let connections = 0;
  let requests = 0;
  const server = createServer((request, response) => {
    requests += 1;
    request.resume().on('end', () => response.writeHead(204).end());
  });
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    port: (server.address() as AddressInfo).port,
    connections: () => connections,
    requests: () => requests,
  };
}

function work(url: string): DeliveryWork {
  const notification = {
    id: 'n-1',
    event: 'match.found',
    agency: 'GB-WMP',
    createdAt: '2026-12-03T08:00:00.000Z',
    data: {},
  } as unknown as NotificationDocument;
  return {
    id: 'd-1',
    state: 'pending',
    attempts: 0,
    url,
    secret: 'whsec-0123456789abcdef0123456789abcdef',
    removed: false,
    notification,
  };
}

/** DNS answers of our choosing: the name a delivery connects by, and the addresses it stands for. */
const answering =
  (...addresses: string[]): Resolve =>
  () =>
    Promise.resolve(addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));

/**
 * The notifier's webhook connections on real sockets: only to addresses the policy allows, to the address
 * that was checked when the connection is made, and one error text for every target that does not answer.
 */
describe('webhook sender', () => {
  let target: Awaited<ReturnType<typeof receiver>>;
  const senders: WebhookSender[] = [];
  const sender = (policy: typeof production, resolve?: Resolve) => {
    const made = new WebhookSender({ policy, timeoutMs: 1_000, maxSockets: 4, resolve });
    senders.push(made);
    return made;
  };

  beforeAll(async () => {
    target = await receiver();
  });

  afterAll(async () => {
    for (const made of senders) made.close();
    await new Promise((resolve) => target.server.close(resolve));
  });

  it('delivers to a loopback receiver where development allows it', async () => {
    const result = await sender(development).send(work(`http://127.0.0.1:${target.port}/hook`));
    expect(result).toEqual({ ok: true, status: 204, error: null });
  });

  it.each([
    'http://127.0.0.1:PORT/hook',
    'http://127.1:PORT/hook',
    'http://2130706433:PORT/hook',
    'http://[::ffff:127.0.0.1]:PORT/hook',
    'http://localhost:PORT/hook',
  ])('never connects to %s in production', async (url) => {
    const before = target.connections();
    const result = await sender(production).send(work(url.replace('PORT', String(target.port))));
    expect(result).toEqual({
      ok: false,
      status: null,
      error: 'could not reach the receiver, or it did not answer within 1000 ms',
    });
    expect(target.connections()).toBe(before);
  });

  it('connects to the address its name resolved to when it was checked, and refuses a name that resolves inside the network', async () => {
    const before = target.requests();
    // receiver.liaison.test exists nowhere but in these answers: the request reaching the receiver proves the
    // socket went to the checked address, not to a second resolution of the name.
    expect(
      await sender(development, answering('127.0.0.1')).send(work(`http://receiver.liaison.test:${target.port}/hook`)),
    ).toMatchObject({ ok: true, status: 204 });
    expect(target.requests()).toBe(before + 1);
    const connections = target.connections();
    for (const answers of [['127.0.0.1'], ['81.2.69.160', '10.0.0.7'], ['::1']]) {
      const result = await sender({ ...production, allowedPorts: [target.port] }, answering(...answers)).send(
        work(`https://receiver.liaison.test:${target.port}/hook`),
      );
      expect(result.error).toBe('could not reach the receiver, or it did not answer within 1000 ms');
    }
    expect(target.connections()).toBe(connections);
  });

  it('says the same of a closed port, a name that does not resolve and a receiver that never answers', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const unresolvable: Resolve = () =>
      Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }));
    const errors = [
      (await sender(development).send(work(`http://127.0.0.1:${closedPort}/hook`))).error,
      (await sender(development, unresolvable).send(work('http://nowhere.liaison.test:8080/hook'))).error,
      (await sender(development).send(work(`http://127.0.0.1:${(silent.address() as AddressInfo).port}/hook`))).error,
    ];
    silent.closeAllConnections();
    await new Promise((resolve) => silent.close(resolve));
    expect(new Set(errors)).toEqual(new Set(['could not reach the receiver, or it did not answer within 1000 ms']));
  });

  it('refuses at registration a receiver whose name resolves inside the network, or not at all', async () => {
    const refusing: Resolve = () => Promise.reject(new Error('getaddrinfo ENOTFOUND'));
    expect(await receiverProblem('https://hooks.wmp.example/liaison', production, answering('81.2.69.160'))).toBeNull();
    expect(
      await receiverProblem(
        'https://hooks.wmp.example/liaison',
        production,
        answering('81.2.69.160', '169.254.169.254'),
      ),
    ).toMatch(/must name a public receiver: it resolves to 169\.254\.169\.254/);
    expect(await receiverProblem('https://hooks.wmp.example/liaison', production, refusing)).toBe(
      'must name a public receiver: its name does not resolve',
    );
    expect(await receiverProblem('http://127.0.0.1:6379/', production)).toMatch(/public receiver/);
  });
});
