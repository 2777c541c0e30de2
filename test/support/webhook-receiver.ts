import { createHmac, timingSafeEqual } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  deliveryId: string;
  event: string;
  body: string;
  json: { id: string; event: string; agency: string; createdAt: string; data: Record<string, unknown> };
  /** The `Liaison-Signature` header as it came. */
  signature: string;
  /** Checked here from the raw bytes, with node's crypto and nothing of Liaison's. */
  signatureValid: boolean;
  /** The Standard Webhooks headers checked with the `standardwebhooks` library, as a receiver would. */
  standardValid: boolean;
  /** The `webhook-id` header: the delivery's id, signed. */
  webhookId: string;
  /** The W3C `traceparent` header, when the delivery was traced. */
  traceparent?: string;
  /** The status the receiver answered with. */
  answered: number;
  receivedAt: number;
}

/**
 * A force system's webhook receiver, written as a partner would from the README: it checks the signature
 * itself (HMAC-SHA256 over "<t>.<raw body>" with the shared secret, within five minutes), and can be told to
 * answer with an error or to stop listening altogether.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  /** Status to answer with; 200 unless a test sets otherwise. */
  status = 200;
  private server?: Server;
  private port = 0;

  /** The shared secret it checks signatures with; a test sets a new one when it rotates the endpoint's. */
  constructor(public secret: string) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/liaison`;
  }

  async start(): Promise<void> {
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const header = String(request.headers['liaison-signature'] ?? '');
        this.received.push({
          deliveryId: String(request.headers['liaison-delivery-id']),
          event: String(request.headers['liaison-event']),
          body,
          json: JSON.parse(body) as ReceivedWebhook['json'],
          signature: header,
          signatureValid: this.verify(header, body),
          standardValid: this.verifyStandard(request.headers, body),
          webhookId: String(request.headers['webhook-id']),
          traceparent: request.headers.traceparent?.toString(),
          answered: this.status,
          receivedAt: Date.now(),
        });
        response.writeHead(this.status).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Stops listening: deliveries fail to connect until `start` again (on the same port). */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private verifyStandard(headers: Record<string, string | string[] | undefined>, body: string): boolean {
    try {
      new Webhook(this.secret, { format: 'raw' }).verify(body, {
        'webhook-id': String(headers['webhook-id']),
        'webhook-timestamp': String(headers['webhook-timestamp']),
        'webhook-signature': String(headers['webhook-signature']),
      });
      return true;
    } catch {
      return false;
    }
  }

  /** Whether a delivery received was signed with this secret. */
  signedWith(received: ReceivedWebhook, header: string, secret: string): boolean {
    return this.verify(header, received.body, secret);
  }

  /** Deliveries of one notification event, first attempt first. */
  of(event: string): ReceivedWebhook[] {
    return this.received.filter((r) => r.event === event);
  }

  private verify(header: string, body: string, secret = this.secret): boolean {
    const fields: Record<string, string | undefined> = Object.fromEntries(
      header.split(',').map((part) => part.split('=') as [string, string]),
    );
    const timestamp = Number(fields.t);
    if (!Number.isInteger(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > 300 || typeof fields.v1 !== 'string')
      return false;
    const expected = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest();
    const given = Buffer.from(fields.v1, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
