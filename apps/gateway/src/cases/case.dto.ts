import { SingleLine } from '../http/text-safety.pipe';
import { CASE_STATUSES, CRIME_AREAS, type CaseStatus, type CrimeArea } from '@liaison/domain';
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
