import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { ApplicationError, ErrorCode } from '../application/application-error';
import { AuditTrail } from '../audit/audit-trail';
import type { Caller } from '../auth/caller';
import { NotificationReadRepository, type DeliveryRow } from './notification-read.repository';
import { WebhookQueue } from './webhook-queue';

/** Sends a failed webhook delivery again, with the same delivery id and a fresh series of retries. */
@Injectable()
export class ResendDeliveryUseCase {
  constructor(
    private readonly store: NotificationReadRepository,
    private readonly queue: WebhookQueue,
    private readonly audit: AuditTrail,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(ResendDeliveryUseCase.name);
  }

  async execute(id: string, caller: Caller, correlationId: string): Promise<DeliveryRow> {
    const delivery = await this.store.delivery(id);
    if (!delivery) throw new ApplicationError(ErrorCode.NotFound, `no webhook delivery ${id}`);
    await this.audit.record(
      caller,
      { action: 'webhook.resent', objectType: 'webhook-delivery', objectId: id },
      correlationId,
    );
    const reopened = await this.store.reopen(id);
    if (!reopened)
      throw new ApplicationError(
        ErrorCode.NotResendable,
        `delivery ${id} is ${delivery.state}${delivery.state === 'failed' ? ' and its endpoint was removed' : ''}: only a failed delivery to a registered endpoint is sent again`,
      );
    // Pending in PostgreSQL already: should Redis not take the job now, the notifier's sweep queues it.
    await this.queue
      .resend(id, reopened.resends)
      .catch((error: Error) =>
        this.logger.warn({ deliveryId: id, err: error.message }, 're-send not queued; the notifier will pick it up'),
      );
    return reopened;
  }
}
