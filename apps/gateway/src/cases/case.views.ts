import {
  CASE_STATUSES,
  DELIVERY_STATES,
  type DeliveryState,
  CRIME_AREAS,
  ERASURE_GROUNDS,
  ERASURE_PARTS,
  MESSAGE_TYPES,
  type ErasureGround,
  type ErasurePart,
  PRIORITIES,
  type CaseStatus,
  type CrimeArea,
  type MessageType,
  type Priority,
} from '@liaison/domain';
import { ApiProperty } from '@nestjs/swagger';

export class CaseSummaryView {
  @ApiProperty({ example: 'LIA-2026-7K3M9Q2XH' }) reference!: string;
  @ApiProperty({ example: { code: 'GB-WMP', name: 'West Midlands Police' } }) owner!: { code: string; name: string };
  @ApiProperty() openedAt!: string;
  @ApiProperty({ nullable: true, type: String, description: 'Given when the case was opened on its own' }) title!:
    string | null;
  @ApiProperty({ nullable: true, enum: CRIME_AREAS }) crimeArea!: CrimeArea | null;
  @ApiProperty({ nullable: true, type: String, example: 'KESTREL' }) operationName!: string | null;
  @ApiProperty({ enum: CASE_STATUSES }) status!: CaseStatus;
  @ApiProperty({ nullable: true, type: String }) closedAt!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'uuid',
    description: 'The joint investigation team the case is linked to',
  })
  jit!: string | null;
  @ApiProperty({ type: [String], description: 'Agencies taking part in the case' }) participants!: string[];
  @ApiProperty({ description: 'When the latest message in the case was routed' }) lastActivityAt!: string;
}

export class CasePageView {
  @ApiProperty({ type: [CaseSummaryView] }) items!: CaseSummaryView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class ReceiptView {
  @ApiProperty({ example: 'RO-DIICOT' }) agency!: string;
  @ApiProperty({ enum: DELIVERY_STATES }) state!: DeliveryState;
  @ApiProperty() deliveredAt!: string;
  @ApiProperty({ nullable: true, type: String }) readAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) answeredAt!: string | null;
}

export class ThreadMessageView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: MESSAGE_TYPES }) type!: MessageType;
  @ApiProperty({ enum: PRIORITIES }) priority!: Priority;
  @ApiProperty() sender!: string;
  @ApiProperty({ type: [String] }) recipients!: string[];
  @ApiProperty() subject!: string;
  @ApiProperty() submittedAt!: string;
  @ApiProperty({ nullable: true, type: String }) inReplyTo!: string | null;
  @ApiProperty({
    type: [ReceiptView],
    description: 'Delivered, opened, answered: every recipient’s for the sender, only its own for a recipient',
  })
  receipts!: ReceiptView[];
}

export class CaseView extends CaseSummaryView {
  @ApiProperty({
    type: [ThreadMessageView],
    description: 'The messages your agency sent or received, oldest first; open one for its body',
  })
  messages!: ThreadMessageView[];
}

export class CaseAcceptedView {
  @ApiProperty({ example: 'LIA-2026-7K3M9Q2XH' }) reference!: string;
  @ApiProperty({ enum: CASE_STATUSES }) status!: CaseStatus;
}

export class ErasurePartView {
  @ApiProperty({ enum: ERASURE_PARTS, description: 'The service whose copies of the case it is' })
  part!: ErasurePart;

  @ApiProperty({ type: String, nullable: true, description: 'When it had deleted them; null while it has not' })
  doneAt!: string | null;
}

export class ErasureView {
  @ApiProperty({ example: 'LIA-2026-7K3M9Q2XH' }) reference!: string;
  @ApiProperty({ enum: ERASURE_GROUNDS }) ground!: ErasureGround;
  @ApiProperty({ description: "When the case's key was destroyed: from then on nothing it said can be read" })
  requestedAt!: string;
  @ApiProperty({ description: 'Every part has deleted its copies' }) complete!: boolean;
  @ApiProperty({ type: String, nullable: true }) completedAt!: string | null;
  @ApiProperty({ type: [ErasurePartView] }) parts!: ErasurePartView[];
}

export class HoldView {
  @ApiProperty({ example: 'LIA-2026-7K3M9Q2XH' }) reference!: string;
  @ApiProperty() reason!: string;
  @ApiProperty() placedAt!: string;
}
