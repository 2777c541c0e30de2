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

const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class NotificationView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: NOTIFICATION_EVENTS }) event!: NotificationEvent;
  @ApiProperty({ example: 'GB-WMP' }) agency!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'What happened, in terms the agency may read: a match names only its own case, the other agency and the entity type; a message its case, sender, type, priority and deadline. The same object is the body of the webhook.',
    example: {
      matchId: '0b6f…',
      entityType: 'phone',
      strength: 'strong',
      ownCase: 'LIA-2026-7K3M9Q2XH',
      otherAgency: 'RO-ENU',
      foundAt: '2026-11-23T10:00:00.000Z',
    },
  })
  data!: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: String }) readAt!: string | null;
}

export class NotificationPageView {
  @ApiProperty({ type: [NotificationView] }) items!: NotificationView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
  @ApiProperty({ description: "Unread notifications of the caller's agency" }) unread!: number;
}

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

export class MarkedReadView {
  @ApiProperty({ description: 'Notifications marked read' }) marked!: number;
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

export class WebhookView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() agency!: string;
  @ApiProperty() url!: string;
  @ApiProperty({ enum: NOTIFICATION_EVENTS, isArray: true }) events!: string[];
  @ApiProperty() createdAt!: string;
}

const DELIVERY_STATES = ['pending', 'delivered', 'failed'];

export class DeliveryQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ enum: DELIVERY_STATES })
  @IsOptional()
  @IsIn(DELIVERY_STATES, { message: `state must be one of ${DELIVERY_STATES.join(', ')}` })
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

export class DeliveryView {
  @ApiProperty({ format: 'uuid', description: 'The Liaison-Delivery-Id header: the same on every retry and re-send' })
  id!: string;
  @ApiProperty({ format: 'uuid' }) endpoint!: string;
  @ApiProperty({ format: 'uuid' }) notification!: string;
  @ApiProperty() agency!: string;
  @ApiProperty({ enum: NOTIFICATION_EVENTS }) event!: string;
  @ApiProperty({
    enum: DELIVERY_STATES,
    description: 'pending (queued or retrying), delivered, or failed after 24 hours of retries',
  })
  state!: string;
  @ApiProperty({ description: 'Attempts since it was created or last re-sent' }) attempts!: number;
  @ApiProperty() resends!: number;
  @ApiProperty({ nullable: true, type: Number }) lastStatus!: number | null;
  @ApiProperty({ nullable: true, type: String }) lastError!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true, type: String }) lastAttemptAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) deliveredAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) failedAt!: string | null;
}

export class DeliveryPageView {
  @ApiProperty({ type: [DeliveryView] }) items!: DeliveryView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
