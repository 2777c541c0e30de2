import { isValidCaseReference, MATCH_DECISION_REASONS, type MatchDecisionReason } from '@liaison/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, ValidateBy } from 'class-validator';
import { ListQueryDto } from '../http/list-query.dto';
import { toBoolean } from '../http/list-query.dto';

export class MatchQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ enum: ['strong', 'candidate'] })
  @IsOptional()
  @IsIn(['strong', 'candidate'], { message: 'strength must be one of strong, candidate' })
  strength?: 'strong' | 'candidate';

  @ApiPropertyOptional({ description: "Only matches on which your agency's decision is pending" })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'awaitingDecision must be true or false' })
  awaitingDecision?: boolean;

  @ApiPropertyOptional({ description: "Only matches on this case of your agency's", example: 'LIA-2026-7K3M9Q2XH' })
  @IsOptional()
  @ValidateBy({
    name: 'isCaseReference',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && isValidCaseReference(value),
      defaultMessage: () => 'caseReference must be a case reference such as LIA-2026-7K3M9Q2XH',
    },
  })
  caseReference?: string;
}

export class MatchDecisionDto {
  @ApiProperty({
    enum: ['release', 'decline'],
    description: 'release: the other owner sees your details (value, case, message); decline: it never does',
  })
  @IsIn(['release', 'decline'], { message: 'decision must be one of release, decline' })
  decision!: 'release' | 'decline';

  @ApiPropertyOptional({
    enum: MATCH_DECISION_REASONS,
    description: 'Why, as a code (recorded in the audit trail, which holds no free text)',
  })
  @IsOptional()
  @IsIn(MATCH_DECISION_REASONS, { message: `reason must be one of ${MATCH_DECISION_REASONS.join(', ')}` })
  reason?: MatchDecisionReason;
}
