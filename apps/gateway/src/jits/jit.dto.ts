import { SingleLine } from '../http/text-safety.pipe';
import { isIsoDay } from '@liaison/common';
import { AGENCY_CODE_PATTERN, isValidCaseReference, MEETING_FUNDERS, type MeetingFunder } from '@liaison/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateBy,
  ValidateNested,
} from 'class-validator';

const IsIsoDay = (field: string) =>
  ValidateBy({
    name: 'isIsoDay',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && isIsoDay(value),
      defaultMessage: () => `${field} must be a calendar date, YYYY-MM-DD`,
    },
  });

export class JitPartyDto {
  @ApiProperty({ example: 'GB', description: 'ISO 3166-1 alpha-2 country of the party ("EU" for Eurojust / Europol)' })
  @Matches(/^[A-Z]{2,3}$/, { message: 'country must be a country code such as GB' })
  country!: string;

  @ApiProperty({
    type: [String],
    example: ['GB-NCA', 'GB-WMP'],
    description: "The party's member agencies, each of that country",
  })
  @IsArray()
  @ArrayMinSize(1, { message: 'agencies must name at least one agency' })
  @ArrayMaxSize(50)
  @Matches(AGENCY_CODE_PATTERN, { each: true, message: 'each agency must be an agency code such as RO-ENU' })
  agencies!: string[];
}

export class CreateJitDto {
  @ApiProperty({ example: 'JIT KESTREL', maxLength: 200 })
  @IsString()
  @SingleLine()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiProperty({
    type: [JitPartyDto],
    description: 'At least two parties; the creating agency is a member and leads the team',
  })
  @IsArray()
  @ArrayMaxSize(30)
  @IsObject({ each: true, message: 'each party must be an object with a country and agencies' })
  @ValidateNested({ each: true })
  @Type(() => JitPartyDto)
  parties!: JitPartyDto[];

  @ApiProperty({ example: '2026-11-01' })
  @IsIsoDay('startsOn')
  startsOn!: string;

  @ApiProperty({
    example: '2027-10-31',
    description: 'Last day of the agreement; messages to the team are refused after it',
  })
  @IsIsoDay('endsOn')
  endsOn!: string;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean({ message: 'eurojust must be true or false' })
  eurojust?: boolean;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean({ message: 'europol must be true or false' })
  europol?: boolean;

  @ApiPropertyOptional({ example: 'EJ-JITS-2026-0412', maxLength: 100 })
  @IsOptional()
  @IsString()
  @SingleLine()
  @MaxLength(100)
  fundingReference?: string;
}

export class ExtendJitDto {
  @ApiProperty({ example: '2028-04-30', description: 'The new last day, after the current one' })
  @IsIsoDay('endsOn')
  endsOn!: string;
}

export class AddMemberDto {
  @ApiProperty({ example: 'FR-ENU', description: 'Agency joining the team; its country is its party' })
  @Matches(AGENCY_CODE_PATTERN, { message: 'agency must be an agency code such as RO-ENU' })
  agency!: string;
}

export class LinkCaseDto {
  @ApiProperty({ example: 'LIA-2026-7K3M9Q2XH', description: 'A case your agency owns' })
  @ValidateBy({
    name: 'isCaseReference',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && isValidCaseReference(value),
      defaultMessage: () => 'caseReference must be a case reference such as LIA-2026-7K3M9Q2XH',
    },
  })
  caseReference!: string;
}

export class RecordMeetingDto {
  @ApiProperty({ example: '2026-12-03' })
  @IsIsoDay('heldOn')
  heldOn!: string;

  @ApiProperty({ example: 'Eurojust, The Hague', maxLength: 200 })
  @IsString()
  @SingleLine()
  @IsNotEmpty()
  @MaxLength(200)
  place!: string;

  @ApiProperty({
    type: [String],
    example: ['GB-NCA', 'RO-ENU', 'EU-EUROJUST'],
    description: 'Agencies that took part: members, or Eurojust / Europol',
  })
  @IsArray()
  @ArrayMinSize(1, { message: 'participants must name at least one agency' })
  @ArrayMaxSize(100)
  @Matches(AGENCY_CODE_PATTERN, { each: true, message: 'each participant must be an agency code such as RO-ENU' })
  participants!: string[];

  @ApiProperty({ enum: MEETING_FUNDERS })
  @IsIn(MEETING_FUNDERS, { message: `fundedBy must be one of ${MEETING_FUNDERS.join(', ')}` })
  fundedBy!: MeetingFunder;
}
