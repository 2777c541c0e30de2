import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, Roles, type Caller } from '../auth/caller';
import { CorrelationId } from '../http/correlation-id.decorator';
import { uuidParam } from '../http/params';
import { ForwardReadRepository, type ForwardRow } from './forward-read.repository';
import { DecidePermissionUseCase } from './decide-permission.usecase';
import { ForwardMessageUseCase } from './forward-message.usecase';
import { ForwardView } from './forward.views';
import { ForwardDto, PermissionQueryDto } from './forward.dto';

function view(row: ForwardRow): ForwardView {
  return {
    id: row.id,
    messageId: row.message_id,
    provider: row.provider_agency,
    from: row.from_agency,
    to: row.to_agency,
    state: row.state,
    requestedAt: row.requested_at.toISOString(),
    decidedAt: row.decided_at?.toISOString() ?? null,
  };
}

/** Forwarding received messages, and the provider's permission for H2 messages. */
@ApiTags('forwards')
@ApiBearerAuth()
@Controller('v1')
export class ForwardController {
  constructor(
    private readonly forwardMessage: ForwardMessageUseCase,
    private readonly decidePermission: DecidePermissionUseCase,
    private readonly read: ForwardReadRepository,
  ) {}

  /** Passes a message your agency received to another agency; an H2 message waits for the provider's permission. */
  @Post('messages/:id/forward')
  @HttpCode(202)
  @Roles('officer', 'supervisor')
  @ApiAcceptedResponse({
    type: ForwardView,
    description:
      'The forward, delivered or pending; `accepted` in the rare case the router has not recorded it within five seconds',
  })
  async forward(
    @Param('id', uuidParam('id', 'a message id (UUID)')) id: string,
    @Body() body: ForwardDto,
    @CurrentCaller() caller: Caller,
    @CorrelationId() correlationId: string,
  ): Promise<ForwardView | { id: string; messageId: string; to: string; state: 'accepted' }> {
    const forward = await this.forwardMessage.execute(id, body.to, caller, correlationId);
    return forward.row ? view(forward.row) : { id: forward.id, messageId: id, to: body.to, state: 'accepted' };
  }

  /** Permission requests your agency must decide (as provider) or made (as forwarding agency). */
  @Get('permissions')
  @Roles('supervisor')
  @ApiOkResponse({ type: [ForwardView] })
  async list(@Query() query: PermissionQueryDto, @CurrentCaller() caller: Caller): Promise<ForwardView[]> {
    return (await this.read.involving(caller.agency, query.state, query.limit ?? 50)).map(view);
  }

  @Post('messages/:id/permissions/:permissionId/grant')
  @HttpCode(200)
  @Roles('supervisor')
  @ApiOkResponse({ type: ForwardView })
  async grant(
    @Param('id', uuidParam('id', 'a message id (UUID)')) id: string,
    @Param('permissionId', uuidParam('permissionId', 'a permission request id (UUID)')) permissionId: string,
    @CurrentCaller() caller: Caller,
    @CorrelationId() correlationId: string,
  ): Promise<ForwardView> {
    return view(await this.decidePermission.execute(id, permissionId, true, caller, correlationId));
  }

  @Post('messages/:id/permissions/:permissionId/deny')
  @HttpCode(200)
  @Roles('supervisor')
  @ApiOkResponse({ type: ForwardView })
  async deny(
    @Param('id', uuidParam('id', 'a message id (UUID)')) id: string,
    @Param('permissionId', uuidParam('permissionId', 'a permission request id (UUID)')) permissionId: string,
    @CurrentCaller() caller: Caller,
    @CorrelationId() correlationId: string,
  ): Promise<ForwardView> {
    return view(await this.decidePermission.execute(id, permissionId, false, caller, correlationId));
  }
}
