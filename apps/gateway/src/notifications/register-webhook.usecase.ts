import { SERVICE_CONFIG } from '@liaison/runtime';
import { receiverProblem } from '@liaison/outbound';
import { AgencyRepository } from '@liaison/persistence';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ApplicationError, ErrorCode } from '../application/application-error';
import { AuditTrail } from '../audit/audit-trail';
import type { Caller } from '../auth/caller';
import type { GatewayConfig } from '../gateway.config';
import { NotificationReadRepository, type EndpointRow } from './notification-read.repository';
import type { RegisterWebhookDto } from './notification.dto';

/**
 * Registers a webhook endpoint for an agency: its notifications of the chosen events are POSTed there, signed
 * with the secret. The receiver must be one the notifier may connect to (public address, allowed port).
 */
@Injectable()
export class RegisterWebhookUseCase {
  constructor(
    private readonly store: NotificationReadRepository,
    private readonly agencies: AgencyRepository,
    private readonly audit: AuditTrail,
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async execute(request: RegisterWebhookDto, caller: Caller, correlationId: string): Promise<EndpointRow> {
    const problem = await receiverProblem(request.url, this.config.webhookTargets());
    if (problem) throw ApplicationError.field('url', problem);
    if (!(await this.agencies.find(request.agency)))
      throw new ApplicationError(ErrorCode.UnknownAgency, `agency: unknown agency ${request.agency}`, [
        { field: 'agency', message: `unknown agency ${request.agency}` },
      ]);
    const id = randomUUID();
    await this.audit.record(
      caller,
      {
        action: 'webhook.registered',
        objectType: 'webhook',
        objectId: id,
        detail: `${request.agency}: ${request.events.join(', ')}`,
      },
      correlationId,
    );
    return this.store.addEndpoint({
      id,
      agency: request.agency,
      url: request.url,
      secret: request.secret,
      events: request.events,
      createdByKeyId: caller.id,
      createdAt: new Date(),
    });
  }
}
