import {
  signWebhook,
  standardWebhookHeaders,
  webhookUrlProblem,
  WEBHOOK_DELIVERY_HEADER,
  WEBHOOK_EVENT_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  webhookTarget,
  type WebhookTargetPolicy,
} from '@liaison/domain';
import { checkedLookup, type Resolve } from '@liaison/outbound';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { DeliveryWork } from './notification.repository';

export interface AttemptResult {
  ok: boolean;
  status: number | null;
  /** Why it failed, fit for an admin to read: a status or a network error; never the body or the URL. */
  error: string | null;
}

export interface WebhookSenderSettings {
  policy: WebhookTargetPolicy;
  timeoutMs: number;
  /** Connections kept open per origin, for deliveries in flight at once. */
  maxSockets: number;
  /** How names are resolved (the system's resolver unless given). */
  resolve?: Resolve;
}

/**
 * Signed POSTs of notifications to receivers. The body is the notification as the API lists it; the signatures
 * (Standard Webhooks', and Liaison's earlier one) cover the delivery's id, the timestamp and that exact body. Any 2xx is delivered; redirects are not followed (a receiver
 * moving must be registered again, so a notification never lands somewhere an admin did not name).
 *
 * Every connection goes to an address checked against the receiver policy at the moment it is made (the URL
 * again, then each address its name resolves to), and only there. Whatever stops a delivery before a receiver
 * answers (a refused address, no route, a refused or reset connection, a TLS failure, silence) is reported in
 * the same words, so that the delivery log cannot be used to map what listens inside the network.
 */
export class WebhookSender {
  private readonly http: HttpAgent;
  private readonly https: HttpsAgent;

  constructor(private readonly settings: WebhookSenderSettings) {
    const lookup = checkedLookup(settings.policy, settings.resolve);
    this.http = new HttpAgent({ keepAlive: true, maxSockets: settings.maxSockets, lookup } as ConstructorParameters<
      typeof HttpAgent
    >[0]);
    this.https = new HttpsAgent({ keepAlive: true, maxSockets: settings.maxSockets, lookup } as ConstructorParameters<
      typeof HttpsAgent
    >[0]);
  }

  get unreachable(): string {
    return `could not reach the receiver, or it did not answer within ${this.settings.timeoutMs} ms`;
  }

  /** One attempt; `traceparent` (W3C) lets the receiver continue the trace the delivery belongs to. */
  async send(work: DeliveryWork, now = Date.now(), traceparent?: string): Promise<AttemptResult> {
    const target = webhookTarget(work.url);
    if (typeof target === 'string' || webhookUrlProblem(work.url, this.settings.policy))
      return { ok: false, status: null, error: this.unreachable };
    const body = JSON.stringify(work.notification);
    const secure = target.url.protocol === 'https:';
    try {
      const status = await new Promise<number>((resolve, reject) => {
        const request = (secure ? httpsRequest : httpRequest)(
          target.url,
          {
            method: 'POST',
            agent: secure ? this.https : this.http,
            signal: AbortSignal.timeout(this.settings.timeoutMs),
            headers: {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(body),
              'user-agent': 'Liaison-Webhooks/1',
              ...standardWebhookHeaders(work.secret, work.id, Math.floor(now / 1000), body),
              [WEBHOOK_SIGNATURE_HEADER]: signWebhook(work.secret, Math.floor(now / 1000), body),
              [WEBHOOK_DELIVERY_HEADER]: work.id,
              [WEBHOOK_EVENT_HEADER]: work.notification.event,
              ...(traceparent ? { traceparent } : {}),
            },
          },
          (response: IncomingMessage) => {
            // Read to the end, so the connection is kept for the next delivery.
            response
              .on('error', reject)
              .on('end', () => resolve(response.statusCode ?? 0))
              .resume();
          },
        );
        request.on('error', reject);
        request.end(body);
      });
      const ok = status >= 200 && status < 300;
      return { ok, status, error: ok ? null : `receiver answered HTTP ${status}` };
    } catch {
      return { ok: false, status: null, error: this.unreachable };
    }
  }

  close(): void {
    this.http.destroy();
    this.https.destroy();
  }
}
