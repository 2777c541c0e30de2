import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class AgencyView {
  @ApiProperty({ example: 'RO-ENU' }) code!: string;
  @ApiProperty({ example: 'Romania Europol National Unit' }) name!: string;
  @ApiProperty({ example: 'RO' }) country!: string;
}

export class InboxItemView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() caseReference!: string;
  @ApiProperty({ type: AgencyView }) sender!: AgencyView;
  @ApiProperty() subject!: string;
  @ApiProperty() submittedAt!: string;
  @ApiProperty() deliveredAt!: string;
  @ApiProperty({ enum: ['delivered'] }) state!: string;
}

export class InboxPageView {
  @ApiProperty({ type: [InboxItemView] }) items!: InboxItemView[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` to get the next page; null on the last page' })
  nextCursor!: string | null;
}

export class RecipientView extends AgencyView {
  @ApiProperty({ enum: ['delivered'] }) state!: string;
  @ApiProperty() deliveredAt!: string;
}

export class MessageView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['routed', 'rejected'] }) status!: 'routed' | 'rejected';
  @ApiProperty() caseReference!: string;
  @ApiProperty({ type: AgencyView }) sender!: AgencyView;
  @ApiPropertyOptional({ type: [RecipientView] }) recipients?: RecipientView[];
  @ApiPropertyOptional() subject?: string;
  @ApiPropertyOptional() body?: string;
  @ApiProperty() submittedAt!: string;
  @ApiPropertyOptional() routedAt?: string;
  @ApiPropertyOptional({ description: 'Why the router refused the message (rejected messages only)' })
  rejection?: { reason: string; detail: string; rejectedAt: string };
}
