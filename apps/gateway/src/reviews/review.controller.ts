import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, Roles, type Caller } from '../auth/caller';
import { CorrelationId } from '../http/correlation-id.decorator';
import { CaseReviewUseCase } from './case-review.usecase';
import { RetentionRuleDto, RetentionRuleQueryDto, ReviewDecisionDto, ReviewQueueQueryDto } from './review.dto';
import { CaseReviewView, RetentionRulesView } from './review.views';

/**
 * Review of what is kept: the owning agency's supervisors review each case by its review date (three years after
 * its last activity unless the agency set another period); its admins set the periods.
 */
@ApiTags('reviews')
@ApiBearerAuth()
@Controller('v1')
export class ReviewController {
  constructor(private readonly reviews: CaseReviewUseCase) {}

  /** The agency's cases due for review, overdue first, and those due within `within` days (30 by default). */
  @Get('reviews')
  @Roles('supervisor')
  @ApiOkResponse({ type: [CaseReviewView] })
  queue(@Query() query: ReviewQueueQueryDto, @CurrentCaller() caller: Caller): Promise<CaseReviewView[]> {
    return this.reviews.queue(caller, query.within);
  }

  /**
   * Decides a case's review: extend (a reason and the next review's date), close, or erase (a ground; a case under
   * a legal hold is refused with 409). Audited before it is applied.
   */
  @Post('cases/:reference/review')
  @HttpCode(200)
  @Roles('supervisor')
  @ApiOkResponse({ type: CaseReviewView })
  decide(
    @Param('reference') reference: string,
    @Body() body: ReviewDecisionDto,
    @CurrentCaller() caller: Caller,
    @CorrelationId() correlationId: string,
  ): Promise<CaseReviewView> {
    return this.reviews.decide(reference, body, caller, correlationId);
  }

  @Get('retention-rules')
  @Roles('admin', 'supervisor')
  @ApiOkResponse({ type: RetentionRulesView })
  rules(@CurrentCaller() caller: Caller): Promise<RetentionRulesView> {
    return this.reviews.rules(caller);
  }

  /** Sets the agency's review period for all its cases, or for one crime area. Audited. */
  @Put('retention-rules')
  @Roles('admin')
  @ApiOkResponse({ type: RetentionRulesView })
  setRule(
    @Body() body: RetentionRuleDto,
    @CurrentCaller() caller: Caller,
    @CorrelationId() correlationId: string,
  ): Promise<RetentionRulesView> {
    return this.reviews.setRule(body.crimeArea ?? null, body.reviewAfterMonths, caller, correlationId);
  }

  /** Removes one of the agency's review periods: its cases fall back to the next rule, or the default. Audited. */
  @Delete('retention-rules')
  @Roles('admin')
  @ApiOkResponse({ type: RetentionRulesView })
  removeRule(
    @Query() query: RetentionRuleQueryDto,
    @CurrentCaller() caller: Caller,
    @CorrelationId() correlationId: string,
  ): Promise<RetentionRulesView> {
    return this.reviews.removeRule(query.crimeArea ?? null, caller, correlationId);
  }
}
