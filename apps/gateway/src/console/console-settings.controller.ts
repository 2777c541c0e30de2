import { CLASSIFICATIONS, ROLES } from '@liaison/domain';
import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ErrorCode } from '../application/application-error';
import { AgencyController } from '../agencies/agency.controller';
import { ApiKeyController } from '../auth/api-key.controller';
import { CurrentCaller, Roles, SessionOnly, type PersonCaller } from '../auth/caller';
import { CorrelationId } from '../http/correlation-id.decorator';
import { ApiProblem } from '../http/problem';
import { validatedAs } from '../http/validation.pipe';
import { MatchKeyController } from '../matches/match-key.controller';
import { ExclusionDto } from '../matches/match-key.dto';
import { CreateApiKeyDto } from '../auth/create-api-key.dto';
import { DeliveryQueryDto, RotateSecretDto } from '../notifications/notification.dto';
import { NotificationReadRepository } from '../notifications/notification-read.repository';
import { WebhookController } from '../notifications/webhook.controller';
import { idOrNotFound } from './console-messages.controller';
import { confirmedFirst } from './console-step-up';
import { ConsolePages } from './console-pages';
import { dateTimeWords, ROLE_NAMES } from './console-words';

const text = (form: Record<string, unknown> | undefined, name: string) =>
  typeof form?.[name] === 'string' ? form[name].trim() : '';

/**
 * The admin's settings: the agency's API keys (a new key shown once), its webhooks with their delivery log and
 * re-sending, the agency register's clearances, and the keys excluded from matching. Each through the same
 * controller method as the API.
 */
@ApiExcludeController()
@Controller('console')
@SessionOnly()
@Roles('admin')
export class ConsoleSettingsController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly keys: ApiKeyController,
    private readonly webhooks: WebhookController,
    private readonly agencies: AgencyController,
    private readonly matchKeys: MatchKeyController,
    private readonly notifications: NotificationReadRepository,
  ) {}

  @Get('api-keys')
  async keyList(@CurrentCaller() caller: PersonCaller, @Res() reply: FastifyReply) {
    await this.renderKeys(reply, caller, {});
  }

  private async renderKeys(reply: FastifyReply, caller: PersonCaller, extra: Record<string, unknown>, status = 200) {
    const keys = await this.keys.list(caller.agency);
    await this.pages.render(
      reply,
      caller,
      'api-keys',
      'api-keys',
      {
        title: 'API keys',
        keys: keys.map((k) => ({
          ...k,
          roleWords: ROLE_NAMES[k.role],
          created: dateTimeWords(k.createdAt),
          lastUsed: k.lastUsedAt ? dateTimeWords(k.lastUsedAt) : 'Never',
        })),
        roles: ROLES.map((value) => ({ value, text: ROLE_NAMES[value] })),
        ...extra,
      },
      status,
    );
  }

  /** A new key for the agency, shown this once. */
  @Post('api-keys')
  async issue(
    @Body() form: Record<string, unknown>,
    @CurrentCaller() caller: PersonCaller,
    @CorrelationId() correlationId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { value, errors } = await validatedAs(CreateApiKeyDto, {
      agency: caller.agency,
      role: text(form, 'role'),
      label: text(form, 'label'),
    });
    if (errors.length > 0) {
      const list = [...new Set(errors.map((e) => e.field))].map((field) => ({
        href: `#${field}`,
        text: field === 'label' ? 'Say what the key is for' : 'Choose the role the key acts in',
      }));
      return this.renderKeys(reply, caller, { errors: list }, 400);
    }
    let issued: Awaited<ReturnType<ApiKeyController['create']>> | undefined;
    if (
      await confirmedFirst(
        reply,
        '/console/api-keys',
        async () => (issued = await this.keys.create(value, caller, correlationId)),
      )
    )
      await this.renderKeys(reply, caller, { issued });
  }

  @Post('api-keys/:id/revoke')
  async revoke(
    @Param('id') id: string,
    @CurrentCaller() caller: PersonCaller,
    @CorrelationId() correlationId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const keyId = idOrNotFound(id);
    // Only the agency's own keys are listed to it; any other id is a page that does not exist.
    if (!(await this.keys.list(caller.agency)).some((k) => k.id === keyId))
      throw new ApiProblem(ErrorCode.NotFound, 'no such key');
    await this.keys.revoke(keyId, caller, correlationId);
    void reply.redirect('/console/api-keys', 303);
  }

  /** The agency's webhooks and their deliveries (`state=failed`: those that ran out of retries). */
  @Get('webhooks')
  async webhookList(
    @Query() query: DeliveryQueryDto,
    @CurrentCaller() caller: PersonCaller,
    @Res() reply: FastifyReply,
  ) {
    const [endpoints, deliveries] = await Promise.all([
      this.webhooks.list(caller.agency),
      this.webhooks.deliveries({ ...query, agency: caller.agency, limit: query.limit ?? 25 }),
    ]);
    await this.pages.render(reply, caller, 'webhooks', 'webhooks', {
      title: 'Webhooks',
      query,
      endpoints: endpoints.map((e) => ({ ...e, created: dateTimeWords(e.createdAt) })),
      deliveries: deliveries.items.map((d) => ({ ...d, created: dateTimeWords(d.createdAt) })),
      next: deliveries.nextCursor
        ? `/console/webhooks?${new URLSearchParams({ ...(query.state ? { state: query.state } : {}), cursor: deliveries.nextCursor }).toString()}`
        : null,
    });
  }

  /** A new signing secret for one of the agency's endpoints (32 to 256 characters), shown nowhere afterwards. */
  @Post('webhooks/:id/secret')
  async rotate(
    @Param('id') id: string,
    @Body() form: Record<string, unknown>,
    @CurrentCaller() caller: PersonCaller,
    @CorrelationId() correlationId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const endpointId = idOrNotFound(id);
    const { value, errors } = await validatedAs(RotateSecretDto, { secret: text(form, 'secret') });
    if (errors.length > 0) throw new ApiProblem(ErrorCode.Validation, 'the new secret must be 32 to 256 characters');
    await this.webhooks.rotateSecret(endpointId, value, caller, correlationId);
    void reply.redirect('/console/webhooks?rotated=1', 303);
  }

  @Post('webhooks/deliveries/:id/resend')
  async resend(
    @Param('id') id: string,
    @CurrentCaller() caller: PersonCaller,
    @CorrelationId() correlationId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const deliveryId = idOrNotFound(id);
    // Only the agency's own deliveries, whichever page of the log they are on.
    if ((await this.notifications.delivery(deliveryId))?.agency !== caller.agency)
      throw new ApiProblem(ErrorCode.NotFound, 'no such delivery');
    await this.webhooks.resend(deliveryId, caller, correlationId);
    void reply.redirect('/console/webhooks?state=failed', 303);
  }

  /** The agency register, and each agency's clearance. */
  @Get('agencies')
  async register(@CurrentCaller() caller: PersonCaller, @Res() reply: FastifyReply) {
    await this.pages.render(reply, caller, 'agencies', 'agencies', {
      title: 'Agencies and clearances',
      agencies: await this.agencies.list(),
      clearances: CLASSIFICATIONS,
    });
  }

  @Post('agencies/:code/clearance')
  async clearance(
    @Param('code') code: string,
    @Body() form: Record<string, unknown>,
    @CurrentCaller() caller: PersonCaller,
    @CorrelationId() correlationId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const clearance = CLASSIFICATIONS.find((c) => c === text(form, 'clearance'));
    if (!clearance) throw new ApiProblem(ErrorCode.Validation, 'choose a clearance');
    const set = () => this.agencies.setClearance(code, { clearance }, caller, correlationId);
    if (await confirmedFirst(reply, '/console/agencies', set)) void reply.redirect('/console/agencies', 303);
  }

  /** Keys too common to link anything (over the cap), and those an admin excluded from matching. */
  @Get('match-keys')
  async matchKeyList(@CurrentCaller() caller: PersonCaller, @Res() reply: FastifyReply) {
    const [overCorrelated, exclusions] = await Promise.all([
      this.matchKeys.overCorrelated(),
      this.matchKeys.exclusions(),
    ]);
    await this.pages.render(reply, caller, 'match-keys', 'match-keys', {
      title: 'Match keys',
      overCorrelated: overCorrelated.map((k) => ({ ...k, at: dateTimeWords(k.overCorrelatedAt) })),
      exclusions,
    });
  }

  @Post('match-keys/exclusions')
  async exclude(
    @Body() form: Record<string, unknown>,
    @CurrentCaller() caller: PersonCaller,
    @CorrelationId() correlationId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { value, errors } = await validatedAs(ExclusionDto, { key: text(form, 'key'), reason: text(form, 'reason') });
    if (errors.length > 0 || !value.key)
      throw new ApiProblem(ErrorCode.Validation, 'name the key to exclude and say why (3 to 500 characters)');
    await this.matchKeys.exclude(value, caller, correlationId);
    void reply.redirect('/console/match-keys', 303);
  }

  @Post('match-keys/exclusions/lift')
  async lift(
    @Body() form: Record<string, unknown>,
    @CurrentCaller() caller: PersonCaller,
    @CorrelationId() correlationId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.matchKeys.lift(text(form, 'key'), caller, correlationId);
    void reply.redirect('/console/match-keys', 303);
  }
}
