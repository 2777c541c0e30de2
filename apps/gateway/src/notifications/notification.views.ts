import { NOTIFICATION_EVENTS, type NotificationEvent } from '@liaison/domain';
import { ApiProperty } from '@nestjs/swagger';
import { WEBHOOK_DELIVERY_STATES } from './notification.dto';

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

export class MarkedReadView {
  @ApiProperty({ description: 'Notifications marked read' }) marked!: number;
}

export class WebhookView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() agency!: string;
  @ApiProperty() url!: string;
  @ApiProperty({ enum: NOTIFICATION_EVENTS, isArray: true }) events!: string[];
  @ApiProperty() createdAt!: string;
}

export class DeliveryView {
  @ApiProperty({ format: 'uuid', description: 'The Liaison-Delivery-Id header: the same on every retry and re-send' })
  id!: string;
  @ApiProperty({ format: 'uuid' }) endpoint!: string;
  @ApiProperty({ format: 'uuid' }) notification!: string;
  @ApiProperty() agency!: string;
  @ApiProperty({ enum: NOTIFICATION_EVENTS }) event!: string;
  @ApiProperty({
    enum: WEBHOOK_DELIVERY_STATES,
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
