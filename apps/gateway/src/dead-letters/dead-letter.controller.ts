import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, Roles, type Caller } from '../auth/caller';
import { CorrelationId } from '../http/correlation-id.decorator';
import { cursorOf, page } from '../application/pagination';
import { uuidParam } from '../http/params';
import { DeadLetterRepository, type DeadLetterRow } from './dead-letter.repository';
import { DeadLetterPageView, DeadLetterView } from './dead-letter.views';
import { DeadLetterQueryDto } from './dead-letter.dto';
import { RedriveDeadLetterUseCase } from './redrive-dead-letter.usecase';

function view(row: DeadLetterRow): DeadLetterView {
  return {
    id: row.id,
    sourceTopic: row.source_topic,
    sourcePartition: row.source_partition,
    sourceOffset: row.source_offset,
    consumerGroup: row.consumer_group,
    failure: row.failure,
    error: row.error,
    eventId: row.event_id,
    eventType: row.event_type,
    correlationId: row.correlation_id,
    messageId: row.message_id,
    senderAgency: row.sender_agency,
    deadLetteredAt: row.dead_lettered_at.toISOString(),
    redrivenAt: row.redriven_at?.toISOString() ?? null,
    redriveCount: row.redrive_count,
  };
}

/** Records a service could not apply, for admins: what failed where and why (codes only), and a re-drive. */
@ApiTags('dead-letters')
@ApiBearerAuth()
@Controller('v1/dead-letters')
@Roles('admin')
export class DeadLetterController {
  constructor(
    private readonly deadLetters: DeadLetterRepository,
    private readonly redriveDeadLetter: RedriveDeadLetterUseCase,
  ) {}

  /** Dead letters, newest first. */
  @Get()
  @ApiOkResponse({ type: DeadLetterPageView })
  async list(@Query() query: DeadLetterQueryDto): Promise<DeadLetterPageView> {
    const limit = query.limit ?? 25;
    const rows = await this.deadLetters.list({ state: query.state, topic: query.topic }, limit + 1, cursorOf(query));
    return page(rows, limit, view, (row) => ({ at: row.dead_lettered_at, id: row.id }));
  }

  /** Publishes the record again to the topic it failed on (after its cause is mended); may be repeated. */
  @Post(':id/redrive')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: DeadLetterView })
  async redrive(
    @Param('id', uuidParam('id', 'a dead letter id (UUID)')) id: string,
    @CurrentCaller() caller: Caller,
    @CorrelationId() correlationId: string,
  ): Promise<DeadLetterView> {
    return view(await this.redriveDeadLetter.execute(id, caller, correlationId));
  }
}
