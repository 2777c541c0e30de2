import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentCaller, Roles, type Caller } from '../auth/caller';
import { CorrelationId } from '../http/correlation-id.decorator';
import { cursorOf, page } from '../application/pagination';
import { uuidParam } from '../http/params';
import { ApiProblem } from '../http/problem';
import { NotificationReadRepository, type DeliveryRow, type EndpointRow } from './notification-read.repository';
import { RegisterWebhookUseCase } from './register-webhook.usecase';
import { RemoveWebhookUseCase } from './remove-webhook.usecase';
import { ResendDeliveryUseCase } from './resend-delivery.usecase';
import { RotateWebhookSecretUseCase } from './rotate-webhook-secret.usecase';
import { DeliveryPageView, DeliveryView, WebhookView } from './notification.views';
import { DeliveryQueryDto, RegisterWebhookDto, RotateSecretDto } from './notification.dto';

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
    private readonly registerWebhook: RegisterWebhookUseCase,
    private readonly removeWebhook: RemoveWebhookUseCase,
    private readonly resendDelivery: ResendDeliveryUseCase,
    private readonly rotateWebhookSecret: RotateWebhookSecretUseCase,
  ) {}

  /** Registers an endpoint: the agency's notifications of the chosen events are POSTed to it, signed with the secret. */
  @Post()
  @ApiCreatedResponse({ type: WebhookView })
  async register(
    @Body() body: RegisterWebhookDto,
    @CurrentCaller() caller: Caller,
    @CorrelationId() correlationId: string,
  ): Promise<WebhookView> {
    return endpointView(await this.registerWebhook.execute(body, caller, correlationId));
  }

  @Get()
  @ApiQuery({ name: 'agency', required: false })
  @ApiOkResponse({ type: [WebhookView] })
  async list(@Query('agency') agency?: string): Promise<WebhookView[]> {
    if (agency !== undefined && typeof agency !== 'string')
      throw ApiProblem.field('agency', 'must be a single agency code');
    return (await this.store.endpoints(agency)).map(endpointView);
  }

  /**
   * A new signing secret: every attempt from now on, retries included, is signed with it. The receiver should
   * accept the old and the new secret for as long as a retry may be under way (24 hours).
   */
  @Put(':id/secret')
  @HttpCode(204)
  async rotateSecret(
    @Param('id', uuidParam('id', 'a webhook id (UUID)')) id: string,
    @Body() body: RotateSecretDto,
    @CurrentCaller() caller: Caller,
    @CorrelationId() correlationId: string,
  ): Promise<void> {
    await this.rotateWebhookSecret.execute(id, body.secret, caller, correlationId);
  }

  /** Removes an endpoint: nothing more is sent to it, and its pending deliveries fail. */
  @Delete(':id')
  @HttpCode(204)
  async remove(
    @Param('id', uuidParam('id', 'a webhook id (UUID)')) id: string,
    @CurrentCaller() caller: Caller,
    @CorrelationId() correlationId: string,
  ): Promise<void> {
    await this.removeWebhook.execute(id, caller, correlationId);
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
    return deliveryView(await this.resendDelivery.execute(id, caller, correlationId));
  }
}
