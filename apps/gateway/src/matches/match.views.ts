import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

const ENTITY_TYPES = ['person', 'phone', 'email', 'bank-account', 'identity-document', 'vehicle', 'social-media'];
const DECISIONS = ['pending', 'released', 'declined'];
const CANDIDATE_STATES = ['suggested', 'confirmed', 'dismissed'];

export class ReleasedDetailsView {
  @ApiProperty({
    description:
      'The shared value as normalised (an E.164 phone number, an IBAN, a folded name with its date of birth)',
    example: '+40721234567',
  })
  value!: string;
  @ApiProperty({ description: "The other owner's case", example: 'LIA-2026-7K3M9Q2XH' }) otherCase!: string;
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'uuid',
    description: "The other owner's message that holds the value",
  })
  otherMessageId!: string | null;
}

export class MatchView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ENTITY_TYPES }) entityType!: string;
  @ApiProperty({
    enum: ['strong', 'candidate'],
    description:
      'strong: the same identifier; candidate: the same person by name and date of birth, to confirm or dismiss',
  })
  strength!: string;
  @ApiProperty({ nullable: true, enum: CANDIDATE_STATES, type: String }) candidateState!: string | null;
  @ApiProperty() foundAt!: string;
  @ApiProperty({ description: "Your agency's case" }) ownCase!: string;
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'uuid',
    description: "Your agency's message that holds the entity",
  })
  ownMessageId!: string | null;
  @ApiProperty({ description: 'The agency that owns the other case' }) otherAgency!: string;
  @ApiProperty({ enum: DECISIONS, description: 'Whether your agency released its details to the other side' })
  ownDecision!: string;
  @ApiProperty({ enum: DECISIONS }) otherDecision!: string;
  @ApiProperty({ description: 'Both owners released: each may write in the other case' }) linked!: boolean;
  @ApiPropertyOptional({
    type: ReleasedDetailsView,
    description: 'Only once the other owner has released its details; declined details are never shown',
  })
  released?: ReleasedDetailsView;
}

export class MatchCountsView {
  @ApiProperty() total!: number;
  @ApiProperty() strong!: number;
  @ApiProperty() candidate!: number;
  @ApiProperty({ description: 'Matches both owners released' }) linked!: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, example: { phone: 3, person: 1 } })
  byEntityType!: Record<string, number>;
}

export class MatchPageView {
  @ApiProperty({
    type: MatchCountsView,
    description: "Figures for the caller's agency (for a programme lead, every agency of its country)",
  })
  counts!: MatchCountsView;
  @ApiPropertyOptional({ type: [MatchView], description: 'Absent for programme leads, who see figures only' })
  items?: MatchView[];
  @ApiPropertyOptional({ nullable: true, type: String }) nextCursor?: string | null;
}
