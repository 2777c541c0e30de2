import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, Roles, type Caller } from '../auth/caller';
import { CorrelationId } from '../http/correlation-id.decorator';
import { ListQueryDto } from '../http/list-query.dto';
import { cursorOf, page } from '../application/pagination';
import { uuidParam } from '../http/params';
import { SecretResponseFields } from '../idempotency/idempotency.interceptor';
import { SessionAuthenticator } from '../sessions/session-authenticator';
import { ChangeRoleDto, InviteToAgencyDto } from './people.dto';
import { PeopleUseCase, type InvitedPerson } from './people.usecase';
import { InvitedPersonView, PeoplePageView, PersonView, personView, SessionsRevokedView } from './people.views';

/**
 * The people of the caller's agency, for its admins: invite, change role, disable and enable, reset a second
 * factor, end sessions. Nobody of another agency is visible (404, as if absent). Never a password or a secret.
 */
@ApiTags('people')
@ApiBearerAuth()
@Controller('v1/people')
@Roles('admin')
export class PeopleController {
  constructor(
    private readonly people: PeopleUseCase,
    private readonly sessions: SessionAuthenticator,
  ) {}

  @Get()
  @ApiOkResponse({ type: PeoplePageView })
  async list(@Query() query: ListQueryDto, @CurrentCaller() caller: Caller): Promise<PeoplePageView> {
    const limit = query.limit ?? 50;
    const rows = await this.people.list(caller, limit + 1, cursorOf(query));
    return page(rows, limit, personView, (row) => ({ at: row.createdAt, id: row.id }));
  }

  @Get(':id')
  @ApiOkResponse({ type: PersonView })
  async get(@Param('id', uuidParam('id')) id: string, @CurrentCaller() caller: Caller): Promise<PersonView> {
    return personView(await this.people.ofAgency(id, caller));
  }

  @Post()
  @SecretResponseFields('enrolmentLink')
  @ApiCreatedResponse({ type: InvitedPersonView })
  async invite(
    @Body() body: InviteToAgencyDto,
    @CurrentCaller() caller: Caller,
    @CorrelationId() correlationId: string,
  ): Promise<InvitedPersonView> {
    const { agency, ...invitation } = body;
    return this.invited(await this.people.invite(invitation, caller, correlationId, agency));
  }

  @Post(':id/enrolment-link')
  @SecretResponseFields('enrolmentLink')
  @ApiCreatedResponse({ type: InvitedPersonView, description: 'A new one-time link; earlier ones stop working' })
  async reissueLink(
    @Param('id', uuidParam('id')) id: string,
    @CurrentCaller() caller: Caller,
    @CorrelationId() correlationId: string,
  ): Promise<InvitedPersonView> {
    return this.invited(await this.people.reissueEnrolmentLink(id, caller, correlationId));
  }

  @Patch(':id')
  @ApiOkResponse({ type: PersonView, description: "The role changed; the person's sessions end" })
  async changeRole(
    @Param('id', uuidParam('id')) id: string,
    @Body() body: ChangeRoleDto,
    @CurrentCaller() caller: Caller,
    @CorrelationId() correlationId: string,
  ): Promise<PersonView> {
    return personView(await this.people.changeRole(id, body.role, caller, correlationId));
  }

  @Post(':id/disable')
  @HttpCode(200)
  @ApiOkResponse({ type: PersonView, description: 'Disabled; every session of theirs ends at once' })
  async disable(
    @Param('id', uuidParam('id')) id: string,
    @CurrentCaller() caller: Caller,
    @CorrelationId() correlationId: string,
  ): Promise<PersonView> {
    return personView(await this.people.disable(id, caller, correlationId));
  }

  @Post(':id/enable')
  @HttpCode(200)
  @ApiOkResponse({ type: PersonView })
  async enable(
    @Param('id', uuidParam('id')) id: string,
    @CurrentCaller() caller: Caller,
    @CorrelationId() correlationId: string,
  ): Promise<PersonView> {
    return personView(await this.people.enable(id, caller, correlationId));
  }

  @Post(':id/reset-second-factor')
  @HttpCode(204)
  async resetSecondFactor(
    @Param('id', uuidParam('id')) id: string,
    @CurrentCaller() caller: Caller,
    @CorrelationId() correlationId: string,
  ): Promise<void> {
    await this.people.resetSecondFactor(id, caller, correlationId);
  }

  @Post(':id/revoke-sessions')
  @HttpCode(200)
  @ApiOkResponse({ type: SessionsRevokedView })
  async revokeSessions(
    @Param('id', uuidParam('id')) id: string,
    @CurrentCaller() caller: Caller,
    @CorrelationId() correlationId: string,
  ): Promise<SessionsRevokedView> {
    return { ended: await this.people.revokeSessions(id, caller, correlationId) };
  }

  private invited({ person, enrolmentToken, enrolmentExpiresAt }: InvitedPerson): InvitedPersonView {
    return {
      ...personView(person),
      enrolmentLink: enrolmentToken ? `${this.sessions.origin}/auth/enrol?token=${enrolmentToken}` : null,
      enrolmentExpiresAt: enrolmentExpiresAt?.toISOString() ?? null,
    };
  }
}
