import { SingleLine } from '../http/text-safety.pipe';
import {
  CASE_STATUSES,
  CRIME_AREAS,
  MESSAGE_TYPES,
  PRIORITIES,
  type CaseStatus,
  type CrimeArea,
  type MessageType,
  type Priority,
} from '@liaison/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { ListQueryDto } from '../http/list-query.dto';

export class CaseSummaryView {
  @ApiProperty({ example: 'LIA-2026-7K3M9Q2XH' }) reference!: string;
  @ApiProperty({ example: { code: 'GB-WMP', name: 'West Midlands Police' } }) owner!: { code: string; name: string };
  @ApiProperty() openedAt!: string;
  @ApiProperty({ nullable: true, type: String, description: 'Given when the case was opened on its own' }) title!:
    string | null;
  @ApiProperty({ nullable: true, enum: CRIME_AREAS }) crimeArea!: CrimeArea | null;
  @ApiProperty({ nullable: true, type: String, example: 'KESTREL' }) operationName!: string | null;
  @ApiProperty({ enum: CASE_STATUSES }) status!: CaseStatus;
  @ApiProperty({ nullable: true, type: String }) closedAt!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'uuid',
    description: 'The joint investigation team the case is linked to',
  })
  jit!: string | null;
  @ApiProperty({ type: [String], description: 'Agencies taking part in the case' }) participants!: string[];
  @ApiProperty({ description: 'When the latest message in the case was routed' }) lastActivityAt!: string;
}

export class CasePageView {
  @ApiProperty({ type: [CaseSummaryView] }) items!: CaseSummaryView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class ThreadMessageView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: MESSAGE_TYPES }) type!: MessageType;
  @ApiProperty({ enum: PRIORITIES }) priority!: Priority;
  @ApiProperty() sender!: string;
  @ApiProperty({ type: [String] }) recipients!: string[];
  @ApiProperty() subject!: string;
  @ApiProperty() submittedAt!: string;
  @ApiProperty({ nullable: true, type: String }) inReplyTo!: string | null;
}

export class CaseView extends CaseSummaryView {
  @ApiProperty({
    type: [ThreadMessageView],
    description: 'The messages your agency sent or received, oldest first; open one for its body',
  })
  messages!: ThreadMessageView[];
}

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

export class CaseAcceptedView {
  @ApiProperty({ example: 'LIA-2026-7K3M9Q2XH' }) reference!: string;
  @ApiProperty({ enum: CASE_STATUSES }) status!: CaseStatus;
}
