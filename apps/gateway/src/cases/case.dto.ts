import { SingleLine } from '../http/text-safety.pipe';
import {
  CASE_STATUSES,
  CRIME_AREAS,
  ERASURE_GROUNDS,
  type CaseStatus,
  type CrimeArea,
  type ErasureGround,
} from '@liaison/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { ListQueryDto } from '../http/list-query.dto';

export class OpenCaseDto {
  @ApiProperty({ maxLength: 200, example: 'Labour exploitation at hand car washes, Wolverhampton' })
  @IsString()
  @SingleLine()
  @IsNotEmpty()
  @MaxLength(200)
  title!: string;

  @ApiProperty({ enum: CRIME_AREAS })
  @IsIn(CRIME_AREAS, { message: `crimeArea must be one of ${CRIME_AREAS.join(', ')}` })
  crimeArea!: CrimeArea;

  @ApiPropertyOptional({ maxLength: 100, example: 'KESTREL' })
  @IsOptional()
  @IsString()
  @SingleLine()
  @IsNotEmpty()
  @MaxLength(100)
  operationName?: string;
}

export class CaseListQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ enum: CASE_STATUSES })
  @IsOptional()
  @IsIn(CASE_STATUSES, { message: `status must be one of ${CASE_STATUSES.join(', ')}` })
  status?: CaseStatus;

  @ApiPropertyOptional({ enum: CRIME_AREAS })
  @IsOptional()
  @IsIn(CRIME_AREAS, { message: `crimeArea must be one of ${CRIME_AREAS.join(', ')}` })
  crimeArea?: CrimeArea;
}

export class EraseCaseDto {
  @ApiProperty({
    enum: ERASURE_GROUNDS,
    description:
      'The rule the erasure follows (Directive (EU) 2016/680 Art. 5 and 16): the audit trail keeps it, and the case reference, in place of anything the case said.',
  })
  @IsIn(ERASURE_GROUNDS, { message: `ground must be one of ${ERASURE_GROUNDS.join(', ')}` })
  ground!: ErasureGround;
}

export class PlaceHoldDto {
  @ApiProperty({ maxLength: 300, example: 'Crown Court order T20267001: retain pending trial' })
  @IsString()
  @SingleLine()
  @IsNotEmpty()
  @MaxLength(300)
  reason!: string;
}
