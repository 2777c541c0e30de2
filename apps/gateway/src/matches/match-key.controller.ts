import { SingleLine } from '../http/text-safety.pipe';
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { MatchKeyExclusionChangedSchema, Topics } from '@liaison/contracts';
import { entityMatchKeys, KEY_ENTITY_TYPE, matchKeyKind, type MatchKeyKind } from '@liaison/domain';
import { Body, Controller, Delete, Get, HttpCode, Injectable, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsNotEmpty, IsObject, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail';
import { CurrentCaller, Roles, type Caller } from '../auth/caller';
import { CorrelationId } from '../http/correlation-id.decorator';
import { CommandPublisher } from '../application/command-publisher';
import { ApiProblem } from '../http/problem';
import { ErrorCode } from '../application/application-error';
import { settle } from '../application/settle';

export class OverCorrelatedKeyView {
  @ApiProperty({ example: 'phone:+442079460000' }) key!: string;
  @ApiProperty({ example: 'phone' }) entityType!: string;
  @ApiProperty({ description: 'Cases holding the key' }) caseCount!: number;
  @ApiProperty() overCorrelatedAt!: string;
  @ApiProperty({ description: 'Already on the exclusion list' }) excluded!: boolean;
}

export class ExclusionView {
  @ApiProperty({ example: 'phone:+442079460000' }) key!: string;
  @ApiProperty({ example: 'phone' }) entityType!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ format: 'uuid', description: 'The admin key that excluded it' }) excludedBy!: string;
  @ApiProperty() excludedAt!: string;
}

export class ExclusionDto {
  @ApiPropertyOptional({ description: 'A match key as listed among the over-correlated keys', example: 'phone:+442079460000' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  key?: string;

  @ApiPropertyOptional({ description: 'Or an entity, as in a message, whose keys to exclude', example: { type: 'phone', number: '020 7946 0000', country: 'GB' } })
  @IsOptional()
  @IsObject()
  entity?: Record<string, unknown>;

  @ApiPropertyOptional({ description: "Country that reads a phone number written in national form (as a message's sender country does)", example: 'RO' })
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: 'country must be an ISO 3166-1 alpha-2 code such as RO' })
  country?: string;

  @ApiProperty({ example: 'Switchboard of the Hotel Europa, Bucharest: in many unrelated cases' })
  @IsString()
  @SingleLine()
  @IsNotEmpty()
  @Length(3, 500)
  reason!: string;
}

/** An opaque reference to a key for the audit log, which holds no personal data. */
const keyDigest = (key: string): string => createHash('sha256').update(key).digest('hex').slice(0, 16);

@Injectable()
export class MatchKeyRepository {
  constructor(private readonly dataSource: DataSource) {}

  overCorrelated(limit: number): Promise<{ key: string; kind: MatchKeyKind; case_count: number; over_correlated_at: Date; excluded: boolean }[]> {
    return this.dataSource.query(
      `SELECT o.key, split_part(o.key, ':', 1) AS kind, o.over_correlated_at, (x.key IS NOT NULL) AS excluded,
              (SELECT count(DISTINCT m.case_reference)::int FROM match_keys m WHERE m.key_hash = hashtextextended(o.key, 0) AND m.key = o.key) AS case_count
         FROM (SELECT key, over_correlated_at FROM match_keys_over_correlated ORDER BY over_correlated_at DESC, key LIMIT $1) AS o
         LEFT JOIN match_key_exclusions x ON x.key = o.key
        ORDER BY o.over_correlated_at DESC, o.key`,
      [limit],
    );
  }

  exclusions(keys?: string[]): Promise<{ key: string; reason: string; excluded_by_key_id: string; excluded_at: Date }[]> {
    return this.dataSource.query(
      'SELECT key, reason, excluded_by_key_id, excluded_at FROM match_key_exclusions WHERE $1::text[] IS NULL OR key = ANY($1::text[]) ORDER BY excluded_at DESC, key',
      [keys ?? null],
    );
  }
}

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
    private readonly commands: CommandPublisher,
    private readonly audit: AuditTrail,
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
  async exclude(@Body() body: ExclusionDto, @CurrentCaller() caller: Caller, @CorrelationId() correlationId: string): Promise<ExclusionView[]> {
    const keys = keysOf(body);
    await this.change(keys, true, body.reason, caller, correlationId);
    const rows = await settle(() => this.keys.exclusions(keys), (found) => found.length === keys.length);
    return rows.map(exclusionView);
  }

  /**
   * Lifts an exclusion (the key, URL-encoded): a case that mentions the key from then on is matched with every
   * case holding it; matches missed while it was excluded are not made afterwards.
   */
  @Delete('exclusions/:key')
  @HttpCode(204)
  async lift(@Param('key') key: string, @CurrentCaller() caller: Caller, @CorrelationId() correlationId: string): Promise<void> {
    if ((await this.keys.exclusions([key])).length === 0) throw new ApiProblem(ErrorCode.NotFound, 'no exclusion of that key');
    await this.change([key], false, '', caller, correlationId);
    await settle(() => this.keys.exclusions([key]), (found) => found.length === 0);
  }

  private async change(keys: string[], excluded: boolean, reason: string, caller: Caller, correlationId: string): Promise<void> {
    const changedAt = timestampFromDate(new Date());
    await Promise.all([
      this.commands.publish(
        Topics.matchKeyExclusionChanged,
        keys.map((key) => ({ key, correlationId, payload: create(MatchKeyExclusionChangedSchema, { key, excluded, reason, changedByKeyId: caller.keyId, changedAt }) })),
      ),
      ...keys.map((key) =>
        this.audit.record(caller, { action: excluded ? 'match-key.excluded' : 'match-key.exclusion-lifted', objectType: 'match-key', objectId: keyDigest(key) }, correlationId),
      ),
    ]);
  }
}

function exclusionView(row: { key: string; reason: string; excluded_by_key_id: string; excluded_at: Date }): ExclusionView {
  const kind = matchKeyKind(row.key);
  return { key: row.key, entityType: kind ? KEY_ENTITY_TYPE[kind] : 'unknown', reason: row.reason, excludedBy: row.excluded_by_key_id, excludedAt: row.excluded_at.toISOString() };
}

/** The keys an exclusion names: one key as listed, or every key of an entity; a 4xx when it names none. */
function keysOf(body: ExclusionDto): string[] {
  if ((body.key === undefined) === (body.entity === undefined)) throw ApiProblem.field('key', 'give either key or entity, not both');
  if (body.key !== undefined) {
    if (!matchKeyKind(body.key)) throw new ApiProblem(ErrorCode.InvalidMatchKey, `key: must be <kind>:<value> with kind one of ${Object.keys(KEY_ENTITY_TYPE).join(', ')}`, [{ field: 'key', message: 'is not a match key' }]);
    return [body.key];
  }
  const keys = entityMatchKeys(body.entity!, body.country).map((k) => k.key);
  if (keys.length === 0) {
    throw new ApiProblem(ErrorCode.InvalidMatchKey, 'entity: gives no match key (an unknown type, a missing field, or a number or checksum that is not valid)', [{ field: 'entity', message: 'gives no match key' }]);
  }
  return keys;
}
