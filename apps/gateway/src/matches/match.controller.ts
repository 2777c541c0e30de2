import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, Roles, type Caller } from '../auth/caller';
import { CorrelationId } from '../http/correlation-id.decorator';
import { uuidParam } from '../http/params';
import { matchView as view, MatchReviewUseCase } from './match-review.usecase';
import { MatchPageView, MatchView } from './match.views';
import { MatchDecisionDto, MatchQueryDto } from './match.dto';

const matchId = uuidParam('id', 'a match id (UUID)');

/**
 * Linked-case matches (hit / no-hit). Each owner sees its own case, the other agency and the entity type; the
 * other side's details only once that side's owner releases them.
 */
@ApiTags('matches')
@ApiBearerAuth()
@Controller('v1/matches')
export class MatchController {
  constructor(private readonly reviews: MatchReviewUseCase) {}

  /** Matches of your agency's cases, newest first, with figures; a programme lead gets the figures of its country only. */
  @Get()
  @Roles('officer', 'supervisor', 'programme-lead')
  @ApiOkResponse({ type: MatchPageView })
  list(@Query() query: MatchQueryDto, @CurrentCaller() caller: Caller): Promise<MatchPageView> {
    return this.reviews.list(query, caller);
  }

  @Get(':id')
  @Roles('officer', 'supervisor')
  @ApiOkResponse({ type: MatchView })
  async get(@Param('id', matchId) id: string, @CurrentCaller() caller: Caller): Promise<MatchView> {
    return view((await this.reviews.visible(id, caller.agency)).view);
  }

  /** Your agency's decision (once): release its details to the other owner, or decline. */
  @Post(':id/decision')
  @HttpCode(200)
  @Roles('supervisor')
  @ApiOkResponse({ type: MatchView })
  async decide(
    @Param('id', matchId) id: string,
    @Body() body: MatchDecisionDto,
    @CurrentCaller() caller: Caller,
    @CorrelationId() correlationId: string,
  ): Promise<MatchView> {
    return view(await this.reviews.review(id, body.decision, caller, correlationId, body.reason));
  }

  /** Confirms a candidate (person) match as the same person. */
  @Post(':id/confirm')
  @HttpCode(200)
  @Roles('officer', 'supervisor')
  @ApiOkResponse({ type: MatchView })
  async confirm(
    @Param('id', matchId) id: string,
    @CurrentCaller() caller: Caller,
    @CorrelationId() correlationId: string,
  ): Promise<MatchView> {
    return view(await this.reviews.review(id, 'confirm', caller, correlationId));
  }

  /** Dismisses a candidate match: it is not the same person, and this pair of cases is not suggested again on that key. */
  @Post(':id/dismiss')
  @HttpCode(200)
  @Roles('officer', 'supervisor')
  @ApiOkResponse({ type: MatchView })
  async dismiss(
    @Param('id', matchId) id: string,
    @CurrentCaller() caller: Caller,
    @CorrelationId() correlationId: string,
  ): Promise<MatchView> {
    return view(await this.reviews.review(id, 'dismiss', caller, correlationId));
  }
}
