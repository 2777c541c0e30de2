import { Injectable } from '@nestjs/common';
import { ApplicationError, ErrorCode } from '../application/application-error';
import { AuditTrail } from '../audit/audit-trail';
import type { Caller } from '../auth/caller';
import { NotificationReadRepository } from './notification-read.repository';

/** Removes a webhook endpoint: nothing more is sent to it, and its pending deliveries fail. */
@Injectable()
export class RemoveWebhookUseCase {
  constructor(
    private readonly store: NotificationReadRepository,
    private readonly audit: AuditTrail,
  ) {}

  async execute(id: string, caller: Caller, correlationId: string): Promise<void> {
    if (!(await this.store.endpoints()).some((e) => e.id === id))
      throw new ApplicationError(ErrorCode.NotFound, `no webhook ${id}`);
    await this.audit.record(caller, { action: 'webhook.removed', objectType: 'webhook', objectId: id }, correlationId);
    await this.store.removeEndpoint(id, new Date());
  }
}
