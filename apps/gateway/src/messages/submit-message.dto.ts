import { AGENCY_CODE_PATTERN, isValidCaseReference } from '@liaison/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsArray, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { ValidateBy } from 'class-validator';

export const SUBJECT_MAX = 300;
export const BODY_MAX = 200_000;

const IsCaseReference = () =>
  ValidateBy({
    name: 'isCaseReference',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && isValidCaseReference(value),
      defaultMessage: () => 'caseReference must be a case reference such as LIA-2026-7K3M9Q2XH (check for typing mistakes)',
    },
  });

export class SubmitMessageDto {
  @ApiProperty({ type: [String], example: ['GB-NCA-UKLB'], description: 'Codes of the recipient agencies, distinct' })
  @IsArray()
  @IsString({ each: true })
  @Matches(AGENCY_CODE_PATTERN, { each: true, message: 'each recipient must be an agency code such as RO-ENU' })
  recipients!: string[];

  @ApiProperty({ maxLength: SUBJECT_MAX, example: 'Request for subscriber details: Romanian mobile number' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(SUBJECT_MAX)
  subject!: string;

  @ApiProperty({ maxLength: BODY_MAX })
  @IsString()
  @IsNotEmpty()
  @MaxLength(BODY_MAX)
  body!: string;

  @ApiPropertyOptional({ example: 'LIA-2026-7K3M9Q2XH', description: 'Case to file the message in; a new case is opened when absent' })
  @ValidateIf((_object, value) => value !== undefined)
  @IsString()
  @IsCaseReference()
  @IsOptional()
  caseReference?: string;
}

export class SubmittedMessageView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'LIA-2026-7K3M9Q2XH' }) caseReference!: string;
}
