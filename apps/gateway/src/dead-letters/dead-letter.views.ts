import { ApiProperty } from '@nestjs/swagger';

/** A dead letter as administrators see it: where it failed, on whom, and why, by code; never its content. */
export class DeadLetterView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'liaison.messages.submitted.v1' }) sourceTopic!: string;
  @ApiProperty() sourcePartition!: number;
  @ApiProperty({ example: '1042' }) sourceOffset!: string;
  @ApiProperty({ example: 'liaison-router', description: 'The consumer group that could not apply it' })
  consumerGroup!: string;
  @ApiProperty({
    enum: ['permanent', 'transient', 'undecodable'],
    description:
      'permanent: failed the same way at once; transient: kept failing while its dependencies answered; undecodable: not a record of its topic',
  })
  failure!: string;
  @ApiProperty({
    example: 'SQLSTATE 22021 (data exception)',
    description: "The failure's class and code, never its message",
  })
  error!: string;
  @ApiProperty() eventId!: string;
  @ApiProperty({ example: 'liaison.v1.MessageSubmitted' }) eventType!: string;
  @ApiProperty() correlationId!: string;
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'uuid',
    description: 'A submitted message: its sender sees it as rejected (UNPROCESSABLE) until it is re-driven',
  })
  messageId!: string | null;
  @ApiProperty({ nullable: true, type: String }) senderAgency!: string | null;
  @ApiProperty() deadLetteredAt!: string;
  @ApiProperty({ nullable: true, type: String }) redrivenAt!: string | null;
  @ApiProperty() redriveCount!: number;
}

export class DeadLetterPageView {
  @ApiProperty({ type: [DeadLetterView] }) items!: DeadLetterView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
