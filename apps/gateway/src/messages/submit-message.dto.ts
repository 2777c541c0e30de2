import { SingleLine } from '../http/text-safety.pipe';
import {
  AGENCY_CODE_PATTERN,
  CLASSIFICATIONS,
  ENTITY_TYPES,
  HANDLING_CODES,
  isValidCaseReference,
  MESSAGE_TYPES,
  PRIORITIES,
  UK_HANDLING_CODES,
  type Classification,
  type HandlingCode,
  type MessageType,
  type Priority,
  type UkHandlingCode,
} from '@liaison/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDateString,
  IsIn,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateBy,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

export const SUBJECT_MAX = 300;
export const BODY_MAX = 200_000;
export const ENTITIES_MAX = 100;
export const ATTACHMENTS_MAX = 20;

const IsCaseReference = () =>
  ValidateBy({
    name: 'isCaseReference',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && isValidCaseReference(value),
      defaultMessage: () =>
        'caseReference must be a case reference such as LIA-2026-7K3M9Q2XH (check for typing mistakes)',
    },
  });

export class HandlingDto {
  @ApiProperty({
    enum: HANDLING_CODES,
    example: 'H2',
    description:
      'H0 crime-fighting use only; H1 not for court without permission; H2 not to be passed on without permission; H3 other restrictions',
  })
  @IsIn(HANDLING_CODES, { message: `code must be one of ${HANDLING_CODES.join(', ')}` })
  code!: HandlingCode;

  @ApiPropertyOptional({ maxLength: 2000, description: 'Required with H3: the restriction the receiver must honour' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  restriction?: string;

  @ApiPropertyOptional({
    enum: UK_HANDLING_CODES,
    description: 'UK handling code: P lawful sharing permitted, C with conditions',
  })
  @IsOptional()
  @IsIn(UK_HANDLING_CODES, { message: `uk must be one of ${UK_HANDLING_CODES.join(', ')}` })
  uk?: UkHandlingCode;
}

export class EvaluationDto {
  @ApiProperty({ enum: ['4x4', '3x5x2'] })
  @IsIn(['4x4', '3x5x2'], { message: 'scheme must be 4x4 or 3x5x2' })
  scheme!: '4x4' | '3x5x2';

  @ApiProperty({ description: '4x4: A, B, C or X; 3x5x2: 1, 2 or 3' })
  @IsString()
  source!: string;

  @ApiPropertyOptional({ description: '4x4 only: 1 to 4' })
  @IsOptional()
  @IsString()
  information?: string;

  @ApiPropertyOptional({ description: '3x5x2 only: A to E' })
  @IsOptional()
  @IsString()
  intelligence?: string;

  @ApiPropertyOptional({ description: '3x5x2 only: P or C' })
  @IsOptional()
  @IsString()
  handling?: string;
}

export class SubmitMessageDto {
  @ApiPropertyOptional({
    enum: MESSAGE_TYPES,
    default: 'information',
    description: 'request and cross-check expect an answer by the deadline',
  })
  @IsOptional()
  @IsIn(MESSAGE_TYPES, { message: `type must be one of ${MESSAGE_TYPES.join(', ')}` })
  type?: MessageType;

  @ApiPropertyOptional({ enum: PRIORITIES, default: 'normal', description: 'answer due in 8 hours, 3 days or 7 days' })
  @IsOptional()
  @IsIn(PRIORITIES, { message: `priority must be one of ${PRIORITIES.join(', ')}` })
  priority?: Priority;

  @ApiPropertyOptional({
    enum: CLASSIFICATIONS,
    default: 'basic-protection',
    description: 'No recipient may be cleared below it',
  })
  @IsOptional()
  @IsIn(CLASSIFICATIONS, { message: `classification must be one of ${CLASSIFICATIONS.join(', ')}` })
  classification?: Classification;

  @ApiPropertyOptional({ type: HandlingDto, description: 'Defaults to H0' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => HandlingDto)
  handling?: HandlingDto;

  @ApiPropertyOptional({ type: EvaluationDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => EvaluationDto)
  evaluation?: EvaluationDto;

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    maxItems: ENTITIES_MAX,
    example: [
      { ref: 'p1', type: 'person', names: ['Stefan', 'POPESCU'], dateOfBirth: '1988-04-02', nationality: 'RO' },
      { ref: 'ph1', type: 'phone', number: '+40 721 234 567', country: 'RO' },
    ],
    description: `Structured entities, each with a ref unique in the message and a type: ${ENTITY_TYPES.join(', ')}`,
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(ENTITIES_MAX)
  @IsObject({ each: true, message: 'each entity must be an object' })
  entities?: Record<string, unknown>[];

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    example: [{ from: 'ph1', to: 'p1', relation: 'used-by' }],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(ENTITIES_MAX * 2)
  @IsObject({ each: true, message: 'each link must be an object' })
  links?: Record<string, unknown>[];

  @ApiPropertyOptional({
    format: 'date-time',
    example: '2026-12-01T17:00:00Z',
    description:
      'Requests and cross-checks: when the answer is due, in place of the deadline the priority gives; must be in the future',
  })
  @IsOptional()
  @IsDateString({ strict: true }, { message: 'deadline must be an ISO 8601 date-time such as 2026-12-01T17:00:00Z' })
  deadline?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Required for a reply: the request or cross-check it answers' })
  @IsOptional()
  @IsUUID('all', { message: 'inReplyTo must be a message id (UUID)' })
  inReplyTo?: string;

  @ApiPropertyOptional({
    type: [String],
    example: ['GB-NCA-UKLB'],
    description: 'Codes of the recipient agencies, distinct. Required unless the message is addressed to a jit',
  })
  @ValidateIf((object: SubmitMessageDto) => object.jit === undefined || object.recipients !== undefined)
  @IsArray({ message: 'recipients must be a list of agency codes (or address the message to a jit)' })
  @IsString({ each: true })
  @Matches(AGENCY_CODE_PATTERN, { each: true, message: 'each recipient must be an agency code such as RO-ENU' })
  recipients?: string[];

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'Address the message to a joint investigation team instead of recipients: it goes to every member agency at the time of sending',
  })
  @IsOptional()
  @IsUUID('all', { message: 'jit must be a joint investigation team id (UUID)' })
  jit?: string;

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    maxItems: ATTACHMENTS_MAX,
    description: 'Ids of files your agency uploaded with POST /v1/attachments',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(ATTACHMENTS_MAX)
  @IsUUID('all', { each: true, message: 'each attachment must be an upload id (UUID)' })
  attachments?: string[];

  @ApiProperty({ maxLength: SUBJECT_MAX, example: 'Request for subscriber details: Romanian mobile number' })
  @IsString()
  @SingleLine()
  @IsNotEmpty()
  @MaxLength(SUBJECT_MAX)
  subject!: string;

  @ApiProperty({ maxLength: BODY_MAX })
  @IsString()
  @IsNotEmpty()
  @MaxLength(BODY_MAX)
  body!: string;

  @ApiPropertyOptional({
    example: 'LIA-2026-7K3M9Q2XH',
    description: 'Case to file the message in; a new case is opened when absent',
  })
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
