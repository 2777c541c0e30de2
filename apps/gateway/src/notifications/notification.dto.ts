import { AGENCY_CODE_PATTERN, NOTIFICATION_EVENTS, type NotificationEvent } from '@liaison/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
} from 'class-validator';
import { ListQueryDto } from '../http/list-query.dto';
import { toBoolean } from '../http/list-query.dto';

/** The states of a webhook delivery. */
export const WEBHOOK_DELIVERY_STATES = ['pending', 'delivered', 'failed'];

export class NotificationQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ description: 'Only unread notifications' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'unread must be true or false' })
  unread?: boolean;

  @ApiPropertyOptional({ enum: NOTIFICATION_EVENTS })
  @IsOptional()
  @IsIn(NOTIFICATION_EVENTS, { message: `event must be one of ${NOTIFICATION_EVENTS.join(', ')}` })
  event?: NotificationEvent;
}

export class RegisterWebhookDto {
  @ApiProperty({ example: 'GB-WMP', description: 'The agency whose notifications the endpoint receives' })
  @IsString()
  @Matches(AGENCY_CODE_PATTERN, { message: 'agency must be an agency code such as GB-WMP' })
  agency!: string;

  @ApiProperty({ example: 'https://intel.wmp.police.example/liaison/webhooks' })
  @IsString()
  @MaxLength(2000)
  url!: string;

  @ApiProperty({
    minLength: 32,
    maxLength: 256,
    description: 'Shared secret for the HMAC-SHA256 signature; never shown again',
  })
  @IsString()
  @Length(32, 256, { message: 'secret must be 32 to 256 characters' })
  secret!: string;

  @ApiProperty({ enum: NOTIFICATION_EVENTS, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(NOTIFICATION_EVENTS, { each: true, message: `events must be among ${NOTIFICATION_EVENTS.join(', ')}` })
  events!: NotificationEvent[];
}

export class DeliveryQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ enum: WEBHOOK_DELIVERY_STATES })
  @IsOptional()
  @IsIn(WEBHOOK_DELIVERY_STATES, { message: `state must be one of ${WEBHOOK_DELIVERY_STATES.join(', ')}` })
  state?: string;

  @ApiPropertyOptional({ example: 'GB-WMP' })
  @IsOptional()
  @Matches(AGENCY_CODE_PATTERN, { message: 'agency must be an agency code such as GB-WMP' })
  agency?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'endpoint must be a webhook id (UUID)' })
  endpoint?: string;
}

export class RotateSecretDto {
  @ApiProperty({ description: 'The new shared secret for the HMAC-SHA256 signature; never shown again' })
  @IsString()
  @Length(32, 256, { message: 'secret must be 32 to 256 characters' })
  secret!: string;
}
