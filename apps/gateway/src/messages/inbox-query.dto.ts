import {
  AGENCY_CODE_PATTERN,
  DELIVERY_STATES,
  HANDLING_CODES,
  type HandlingCode,
  isValidCaseReference,
  MESSAGE_TYPES,
  PRIORITIES,
  type DeliveryState,
  type MessageType,
  type Priority,
} from '@liaison/domain';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsUUID, Matches, ValidateBy } from 'class-validator';
import { ListQueryDto } from '../http/list-query.dto';
import { toBoolean } from '../http/list-query.dto';
import {
  INBOX_SORTS,
  OUTBOX_SORTS,
  SORT_ORDERS,
  type InboxSort,
  type OutboxSort,
  type SortOrder,
} from './message-read.repository';

/** Filters shared by the inbox and the outbox. */
export class MessageFilterDto extends ListQueryDto {
  @ApiPropertyOptional({ enum: MESSAGE_TYPES })
  @IsOptional()
  @IsIn(MESSAGE_TYPES, { message: `type must be one of ${MESSAGE_TYPES.join(', ')}` })
  type?: MessageType;

  @ApiPropertyOptional({ enum: PRIORITIES })
  @IsOptional()
  @IsIn(PRIORITIES, { message: `priority must be one of ${PRIORITIES.join(', ')}` })
  priority?: Priority;

  @ApiPropertyOptional({ enum: HANDLING_CODES })
  @IsOptional()
  @IsIn(HANDLING_CODES, { message: `handlingCode must be one of ${HANDLING_CODES.join(', ')}` })
  handlingCode?: HandlingCode;

  @ApiPropertyOptional({
    description: 'The other agency: the sender of a message received, a recipient of a message sent',
    example: 'RO-DIICOT',
  })
  @IsOptional()
  @Matches(AGENCY_CODE_PATTERN, { message: 'partner must be an agency code such as RO-DIICOT' })
  partner?: string;

  @ApiPropertyOptional({ description: 'Only messages addressed to this JIT', format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'jit must be a JIT id (UUID)' })
  jit?: string;

  @ApiPropertyOptional({ description: 'true: only requests and cross-checks past their deadline and not answered' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'overdue must be true or false' })
  overdue?: boolean;

  @ApiPropertyOptional({ example: 'LIA-2026-7K3M9Q2XH' })
  @IsOptional()
  @ValidateBy({
    name: 'isCaseReference',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && isValidCaseReference(value),
      defaultMessage: () => 'caseReference must be a case reference such as LIA-2026-7K3M9Q2XH',
    },
  })
  caseReference?: string;

  @ApiPropertyOptional({
    enum: SORT_ORDERS,
    description:
      'asc or desc; without it each sort runs its natural way: newest first, soonest deadline first, most urgent first, A to Z, unopened first',
  })
  @IsOptional()
  @IsIn(SORT_ORDERS, { message: `order must be one of ${SORT_ORDERS.join(', ')}` })
  order?: SortOrder;
}

export class OutboxQueryDto extends MessageFilterDto {
  @ApiPropertyOptional({
    enum: OUTBOX_SORTS,
    description: 'sent (default): by when it was sent; priority: by priority, then newest first',
  })
  @IsOptional()
  @IsIn(OUTBOX_SORTS, { message: `sort must be one of ${OUTBOX_SORTS.join(', ')}` })
  sort?: OutboxSort;
}

export class InboxQueryDto extends MessageFilterDto {
  @ApiPropertyOptional({ enum: DELIVERY_STATES })
  @IsOptional()
  @IsIn(DELIVERY_STATES, { message: `state must be one of ${DELIVERY_STATES.join(', ')}` })
  state?: DeliveryState;

  @ApiPropertyOptional({
    enum: INBOX_SORTS,
    description:
      "received (default): by when it was delivered; deadline: by deadline, those without one last; priority; sender: by the sending agency's name; status: delivered, read, answered. Ties newest first.",
  })
  @IsOptional()
  @IsIn(INBOX_SORTS, { message: `sort must be one of ${INBOX_SORTS.join(', ')}` })
  sort?: InboxSort;
}
