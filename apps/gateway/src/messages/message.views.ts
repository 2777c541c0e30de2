import {
  CLASSIFICATIONS,
  DELIVERY_STATES,
  HANDLING_CODES,
  MESSAGE_TYPES,
  PRIORITIES,
  UK_HANDLING_CODES,
  type Classification,
  type DeliveryState,
  type HandlingCode,
  type MessageType,
  type Priority,
  type UkHandlingCode,
} from '@liaison/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** An agency as a message names it: sender or recipient. */
export class PartyView {
  @ApiProperty({ example: 'RO-ENU' }) code!: string;
  @ApiProperty({ example: 'Romania Europol National Unit' }) name!: string;
  @ApiProperty({ example: 'RO' }) country!: string;
}

export class InboxItemView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: MESSAGE_TYPES }) type!: MessageType;
  @ApiProperty({ enum: PRIORITIES }) priority!: Priority;
  @ApiProperty({ enum: HANDLING_CODES }) handlingCode!: HandlingCode;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'The JIT it was addressed to' }) jit!:
    string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'When this agency’s answer is due; null when none is expected',
  })
  answerDeadline!: string | null;
  @ApiProperty() caseReference!: string;
  @ApiProperty({ type: PartyView }) sender!: PartyView;
  @ApiProperty() subject!: string;
  @ApiProperty() submittedAt!: string;
  @ApiProperty() deliveredAt!: string;
  @ApiProperty({ enum: DELIVERY_STATES }) state!: DeliveryState;
  @ApiProperty({ nullable: true, type: String }) readAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) answeredAt!: string | null;
  @ApiProperty({ description: 'A request or cross-check past its deadline and not answered by this agency' })
  overdue!: boolean;
}

export class InboxPageView {
  @ApiProperty({ type: [InboxItemView] }) items!: InboxItemView[];
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Pass as `cursor` to get the next page; null on the last page',
  })
  nextCursor!: string | null;
}

export class RecipientView extends PartyView {
  @ApiPropertyOptional({
    enum: DELIVERY_STATES,
    description: 'Shown to the sender for every recipient, to a recipient for itself',
  })
  state?: DeliveryState;
  @ApiPropertyOptional() deliveredAt?: string;
  @ApiPropertyOptional({ nullable: true, type: String }) readAt?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) answeredAt?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) answerDeadline?: string | null;
  @ApiPropertyOptional() overdue?: boolean;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'Set when the recipient received the message by a forward: the agency that passed it on',
  })
  forwardedBy?: string | null;
}

export class OutboxItemView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: MESSAGE_TYPES }) type!: MessageType;
  @ApiProperty({ enum: PRIORITIES }) priority!: Priority;
  @ApiProperty({ enum: HANDLING_CODES }) handlingCode!: HandlingCode;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'The JIT it was addressed to' }) jit!:
    string | null;
  @ApiProperty() caseReference!: string;
  @ApiProperty() subject!: string;
  @ApiProperty() submittedAt!: string;
  @ApiProperty({ type: [RecipientView] }) recipients!: RecipientView[];
}

export class OutboxPageView {
  @ApiProperty({ type: [OutboxItemView] }) items!: OutboxItemView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class HandlingView {
  @ApiProperty({ enum: HANDLING_CODES }) code!: HandlingCode;
  @ApiPropertyOptional({ description: 'H3: the restriction the receiver must honour' }) restriction?: string;
  @ApiPropertyOptional({ enum: UK_HANDLING_CODES }) uk?: UkHandlingCode;
  @ApiPropertyOptional({ description: 'H1: the marking to show wherever the message is shown or exported' })
  marking?: string;
}

export class EvaluationView {
  @ApiProperty({ enum: ['4x4', '3x5x2'] }) scheme!: string;
  @ApiProperty({ example: 'B2', description: 'As analysts write it: B2, or 1/B/P for 3x5x2' }) label!: string;
  @ApiProperty() source!: string;
  @ApiPropertyOptional() information?: string;
  @ApiPropertyOptional() intelligence?: string;
  @ApiPropertyOptional() handling?: string;
}

export class AttachmentView {
  @ApiProperty({ description: 'Position in the message, from 1' }) number!: number;
  @ApiProperty() fileName!: string;
  @ApiProperty() contentType!: string;
  @ApiProperty() size!: number;
  @ApiProperty({ description: 'SHA-256 of the content, lower-case hex' }) sha256!: string;
  @ApiProperty({ example: '/v1/messages/6f1c.../attachments/1' }) href!: string;
  @ApiPropertyOptional({ description: 'H1: the marking to show wherever the file is shown or exported' })
  marking?: string;
}

export class MessageView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['routed', 'rejected'] }) status!: 'routed' | 'rejected';
  @ApiPropertyOptional({ enum: MESSAGE_TYPES }) type?: MessageType;
  @ApiPropertyOptional({ enum: PRIORITIES }) priority?: Priority;
  @ApiPropertyOptional({ enum: CLASSIFICATIONS }) classification?: Classification;
  @ApiPropertyOptional({ type: HandlingView }) handling?: HandlingView;
  @ApiPropertyOptional({ type: EvaluationView, nullable: true }) evaluation?: EvaluationView | null;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) inReplyTo?: string | null;
  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description: 'Structured entities, as sent',
  })
  entities?: Record<string, unknown>[];
  @ApiPropertyOptional({ type: 'array', items: { type: 'object', additionalProperties: true } }) links?: {
    from: string;
    to: string;
    relation: string;
  }[];
  @ApiProperty() caseReference!: string;
  @ApiPropertyOptional({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'The joint investigation team the message was addressed to',
  })
  jit?: string | null;
  @ApiProperty({ type: PartyView }) sender!: PartyView;
  @ApiPropertyOptional({ type: [RecipientView] }) recipients?: RecipientView[];
  @ApiPropertyOptional() subject?: string;
  @ApiPropertyOptional({ description: 'Left out until the reading user has acknowledged an H3 restriction' })
  body?: string;
  @ApiPropertyOptional({
    type: [AttachmentView],
    description: 'Left out until the reading user has acknowledged an H3 restriction',
  })
  attachments?: AttachmentView[];
  @ApiPropertyOptional({
    description: 'True when body and entities are held back until POST /v1/messages/:id/acknowledge',
  })
  acknowledgementRequired?: boolean;
  @ApiProperty() submittedAt!: string;
  @ApiPropertyOptional() routedAt?: string;
  @ApiPropertyOptional({ description: 'Why the router refused the message (rejected messages only)' })
  rejection?: { reason: string; detail: string; rejectedAt: string };
}
