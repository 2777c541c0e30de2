import { Injectable } from '@nestjs/common';
import { ApplicationError, ErrorCode } from '../application/application-error';
import { AuditTrail } from '../audit/audit-trail';
import type { Caller } from '../auth/caller';
import { NotificationReadRepository } from './notification-read.repository';

/**
 * Gives a webhook endpoint a new signing secret: every delivery attempt from then on, retries of earlier
 * notifications included, is signed with it. A person administers their own agency's endpoints only; any other
 * is answered as if it did not exist.
 */
@Injectable()
export class RotateWebhookSecretUseCase {
  constructor(
    private readonly store: NotificationReadRepository,
    private readonly audit: AuditTrail,
  ) {}

  async execute(id: string, secret: string, caller: Caller, correlationId: string): Promise<void> {
    const endpoint = (await this.store.endpoints()).find((e) => e.id === id);
    if (!endpoint || (caller.type === 'person' && endpoint.agency !== caller.agency))
      throw new ApplicationError(ErrorCode.NotFound, `no webhook ${id}`);
    await this.audit.record(
      caller,
      { action: 'webhook.secret-rotated', objectType: 'webhook', objectId: id },
      correlationId,
    );
    if (!(await this.store.setSecret(id, secret))) throw new ApplicationError(ErrorCode.NotFound, `no webhook ${id}`);
  }
}
