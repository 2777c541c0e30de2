import {
  CRIME_AREAS,
  ERASURE_GROUNDS,
  REVIEW_DECISIONS,
  type ErasureGround,
  type ReviewDecision,
} from '@liaison/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { SingleLine } from '../http/text-safety.pipe';

export class ReviewDecisionDto {
  @ApiProperty({
    enum: REVIEW_DECISIONS,
    description:
      'extend: keep it, with a reason and the date of the next review; close it; or erase it (with a ground)',
  })
  @IsIn(REVIEW_DECISIONS, { message: `decision must be one of ${REVIEW_DECISIONS.join(', ')}` })
  decision!: ReviewDecision;

  @ApiPropertyOptional({ maxLength: 500, example: 'Trial listed for March 2027; evidence still needed' })
  @IsOptional()
  @IsString()
  @SingleLine()
  @IsNotEmpty()
  @MaxLength(500)
  reason?: string;

  @ApiPropertyOptional({ format: 'date', example: '2027-09-30', description: 'For extend: the next review' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'until must be a date (YYYY-MM-DD)' })
  until?: string;

  @ApiPropertyOptional({ enum: ERASURE_GROUNDS, description: 'For erase: the rule it follows' })
  @IsOptional()
  @IsIn(ERASURE_GROUNDS, { message: `ground must be one of ${ERASURE_GROUNDS.join(', ')}` })
  ground?: ErasureGround;
}

export class ReviewQueueQueryDto {
  @ApiPropertyOptional({ minimum: 0, maximum: 365, default: 30, description: 'Also cases due within this many days' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(365)
  within?: number;
}

export class RetentionRuleDto {
  @ApiPropertyOptional({ enum: CRIME_AREAS, description: 'Absent: the period for all the agency’s cases' })
  @IsOptional()
  @IsIn(CRIME_AREAS, { message: `crimeArea must be one of ${CRIME_AREAS.join(', ')}` })
  crimeArea?: string;

  @ApiProperty({ minimum: 1, maximum: 120, example: 36 })
  @IsInt({ message: 'reviewAfterMonths must be a whole number of months' })
  @Min(1)
  @Max(120)
  reviewAfterMonths!: number;
}

export class RetentionRuleQueryDto {
  @ApiPropertyOptional({ enum: CRIME_AREAS })
  @IsOptional()
  @IsIn(CRIME_AREAS, { message: `crimeArea must be one of ${CRIME_AREAS.join(', ')}` })
  crimeArea?: string;
}
