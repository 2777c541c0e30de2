import { SERVICE_CONFIG } from '@liaison/messaging';
import { receiverProblem } from '@liaison/outbound';
import { AgencyRepository } from '@liaison/persistence';
import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { PinoLogger } from 'nestjs-pino';
import { AuditTrail } from '../audit/audit-trail';
import type { GatewayConfig } from '../gateway.config';
import { CurrentCaller, Roles, type Caller } from '../auth/caller';
import { CorrelationId } from '../http/correlation-id.decorator';
import { cursorOf, page } from '../http/pagination';
import { uuidParam } from '../http/params';
import { ApiProblem } from '../http/problem';
import { ErrorCode } from '../application/application-error';
import { NotificationReadRepository, type DeliveryRow, type EndpointRow } from './notification-read.repository';
import {
  DeliveryPageView,
  DeliveryQueryDto,
  DeliveryView,
  RegisterWebhookDto,
  WebhookView,
} from './notification.views';
import { WebhookQueue } from './webhook-queue';

function endpointView(row: EndpointRow): WebhookView {
  return { id: row.id, agency: row.agency, url: row.url, events: row.events, createdAt: row.created_at.toISOString() };
}

function deliveryView(row: DeliveryRow): DeliveryView {
  return {
    id: row.id,
    endpoint: row.endpoint_id,
    notification: row.notification_id,
    agency: row.agency,
    event: row.event,
    state: row.state,
    attempts: row.attempts,
    resends: row.resends,
    lastStatus: row.last_status,
    lastError: row.last_error,
    createdAt: row.created_at.toISOString(),
    lastAttemptAt: row.last_attempt_at?.toISOString() ?? null,
    deliveredAt: row.delivered_at?.toISOString() ?? null,
    failedAt: row.failed_at?.toISOString() ?? null,
  };
}

/**
 * Webhooks to force systems, for admins: endpoints per agency (URL, secret, events) and their deliveries,
 * with the failed ones to re-send. Admins see delivery states, never the notifications' content.
 */
@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('v1/webhooks')
@Roles('admin')
export class WebhookController {
  constructor(
    private readonly store: NotificationReadRepository,
    private readonly agencies: AgencyRepository,
    private readonly queue: WebhookQueue,
    private readonly audit: AuditTrail,
    private readonly logger: PinoLogger,
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
  ) {
    this.logger.setContext(WebhookController.name);
  }

  /** Registers an endpoint: the agency's notifications of the chosen events are POSTed to it, signed with the secret. */
  @Post()
  @ApiCreatedResponse({ type: WebhookView })
  async register(
    @Body() body: RegisterWebhookDto,
    @CurrentCaller() caller: Caller,
    @CorrelationId() correlationId: string,
  ): Promise<WebhookView> {
    const problem = await receiverProblem(body.url, this.config.webhookTargets());
    if (problem) throw ApiProblem.field('url', problem);
    if (!(await this.agencies.find(body.agency)))
      throw new ApiProblem(ErrorCode.UnknownAgency, `agency: unknown agency ${body.agency}`, [
        { field: 'agency', message: `unknown agency ${body.agency}` },
      ]);
    const id = randomUUID();
    await this.audit.record(
      caller,
      {
        action: 'webhook.registered',
        objectType: 'webhook',
        objectId: id,
        detail: `${body.agency}: ${body.events.join(', ')}`,
      },
      correlationId,
    );
    const row = await this.store.addEndpoint({
      id,
      agency: body.agency,
      url: body.url,
      secret: body.secret,
      events: body.events,
      createdByKeyId: caller.keyId,
      createdAt: new Date(),
    });
    return endpointView(row);
  }

  @Get()
  @ApiQuery({ name: 'agency', required: false })
  @ApiOkResponse({ type: [WebhookView] })
  async list(@Query('agency') agency?: string): Promise<WebhookView[]> {
    if (agency !== undefined && typeof agency !== 'string')
      throw ApiProblem.field('agency', 'must be a single agency code');
    return (await this.store.endpoints(agency)).map(endpointView);
  }

  /** Removes an endpoint: nothing more is sent to it, and its pending deliveries fail. */
  @Delete(':id')
  @HttpCode(204)
  async remove(
    @Param('id', uuidParam('id', 'a webhook id (UUID)')) id: string,
    @CurrentCaller() caller: Caller,
    @CorrelationId() correlationId: string,
  ): Promise<void> {
    if (!(await this.store.endpoints()).some((e) => e.id === id))
      throw new ApiProblem(ErrorCode.NotFound, `no webhook ${id}`);
    await this.audit.record(caller, { action: 'webhook.removed', objectType: 'webhook', objectId: id }, correlationId);
    await this.store.removeEndpoint(id, new Date());
  }

  /** Deliveries, newest first; `state=failed` lists those that ran out of retries. */
  @Get('deliveries')
  @ApiOkResponse({ type: DeliveryPageView })
  async deliveries(@Query() query: DeliveryQueryDto): Promise<DeliveryPageView> {
    const limit = query.limit ?? 25;
    const rows = await this.store.deliveries(
      { state: query.state, agency: query.agency, endpointId: query.endpoint },
      limit + 1,
      cursorOf(query),
    );
    return page(rows, limit, deliveryView, (row) => ({ at: row.created_at, id: row.id }));
  }

  /** Sends a failed delivery again, with the same delivery id and a fresh series of retries. */
  @Post('deliveries/:id/resend')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: DeliveryView })
  async resend(
    @Param('id', uuidParam('id', 'a delivery id (UUID)')) id: string,
    @CurrentCaller() caller: Caller,
    @CorrelationId() correlationId: string,
  ): Promise<DeliveryView> {
    const delivery = await this.store.delivery(id);
    if (!delivery) throw new ApiProblem(ErrorCode.NotFound, `no webhook delivery ${id}`);
    await this.audit.record(
      caller,
      { action: 'webhook.resent', objectType: 'webhook-delivery', objectId: id },
      correlationId,
    );
    const reopened = await this.store.reopen(id);
    if (!reopened)
      throw new ApiProblem(
        ErrorCode.NotResendable,
        `delivery ${id} is ${delivery.state}${delivery.state === 'failed' ? ' and its endpoint was removed' : ''}: only a failed delivery to a registered endpoint is sent again`,
      );
    // Pending in PostgreSQL already: should Redis not take the job now, the notifier's sweep queues it.
    await this.queue
      .resend(id, reopened.resends)
      .catch((error: Error) =>
        this.logger.warn({ deliveryId: id, err: error.message }, 're-send not queued; the notifier will pick it up'),
      );
    return deliveryView(reopened);
  }
}
