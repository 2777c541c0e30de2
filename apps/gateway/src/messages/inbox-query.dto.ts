import {
  DELIVERY_STATES,
  isValidCaseReference,
  MESSAGE_TYPES,
  PRIORITIES,
  type DeliveryState,
  type MessageType,
  type Priority,
} from '@liaison/domain';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, ValidateBy } from 'class-validator';
import { ListQueryDto } from '../http/list-query.dto';
import { toBoolean } from '../http/list-query.dto';

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
}

export class InboxQueryDto extends MessageFilterDto {
  @ApiPropertyOptional({ enum: DELIVERY_STATES })
  @IsOptional()
  @IsIn(DELIVERY_STATES, { message: `state must be one of ${DELIVERY_STATES.join(', ')}` })
  state?: DeliveryState;
}
