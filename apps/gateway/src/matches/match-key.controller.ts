import { KEY_ENTITY_TYPE, matchKeyKind } from '@liaison/domain';
import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, Roles, type Caller } from '../auth/caller';
import { CorrelationId } from '../http/correlation-id.decorator';
import { MatchKeyExclusionsUseCase } from './match-key-exclusions.usecase';
import { MatchKeyRepository, type ExclusionRow } from './match-key.repository';
import { ExclusionView, OverCorrelatedKeyView } from './match-key.views';
import { ExclusionDto } from './match-key.dto';

/**
 * What stops values shared by many unrelated cases (a hotel switchboard, a common e-mail address) from linking
 * them: keys past the cap, listed for admins, and the exclusion list they keep. Over-correlated keys are shown
 * to admins as values because deciding an exclusion needs them; no case or agency is named with them.
 */
@ApiTags('match-keys')
@ApiBearerAuth()
@Controller('v1/match-keys')
@Roles('admin')
export class MatchKeyController {
  constructor(
    private readonly keys: MatchKeyRepository,
    private readonly exclusionList: MatchKeyExclusionsUseCase,
  ) {}

  /** Keys held by more cases than the cap, the most recently found first: they link nothing more. */
  @Get('over-correlated')
  @ApiOkResponse({ type: [OverCorrelatedKeyView] })
  async overCorrelated(): Promise<OverCorrelatedKeyView[]> {
    return (await this.keys.overCorrelated(500)).map((row) => ({
      key: row.key,
      entityType: KEY_ENTITY_TYPE[row.kind],
      caseCount: row.case_count,
      overCorrelatedAt: row.over_correlated_at.toISOString(),
      excluded: row.excluded,
    }));
  }

  @Get('exclusions')
  @ApiOkResponse({ type: [ExclusionView] })
  async exclusions(): Promise<ExclusionView[]> {
    return (await this.keys.exclusions()).map(exclusionView);
  }

  /** Excludes a key (or every key of an entity) from matching; applies to every match found once this answers. */
  @Post('exclusions')
  @HttpCode(200)
  @ApiOkResponse({ type: [ExclusionView] })
  async exclude(
    @Body() body: ExclusionDto,
    @CurrentCaller() caller: Caller,
    @CorrelationId() correlationId: string,
  ): Promise<ExclusionView[]> {
    return (await this.exclusionList.exclude(body, caller, correlationId)).map(exclusionView);
  }

  /**
   * Lifts an exclusion (the key, URL-encoded): a case that mentions the key from then on is matched with every
   * case holding it; matches missed while it was excluded are not made afterwards.
   */
  @Delete('exclusions/:key')
  @HttpCode(204)
  async lift(
    @Param('key') key: string,
    @CurrentCaller() caller: Caller,
    @CorrelationId() correlationId: string,
  ): Promise<void> {
    await this.exclusionList.lift(key, caller, correlationId);
  }
}

function exclusionView(row: ExclusionRow): ExclusionView {
  const kind = matchKeyKind(row.key);
  return {
    key: row.key,
    entityType: kind ? KEY_ENTITY_TYPE[kind] : 'unknown',
    reason: row.reason,
    excludedBy: row.excluded_by_key_id,
    excludedAt: row.excluded_at.toISOString(),
  };
}
