import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ReviewDecisionView {
  @ApiProperty({ enum: ['extend', 'close', 'erase'] }) decision!: string;
  @ApiProperty({ nullable: true, type: String }) extendedUntil!: string | null;
  @ApiProperty({ nullable: true, type: String }) reason!: string | null;
}

export class CaseReviewView {
  @ApiProperty({ example: 'LIA-2026-7K3M9Q2XH' }) reference!: string;
  @ApiProperty({ nullable: true, type: String }) title!: string | null;
  @ApiProperty({ nullable: true, type: String }) crimeArea!: string | null;
  @ApiProperty({ enum: ['open', 'closed', 'erased'] }) status!: string;
  @ApiProperty({ description: 'Its opening, closing or latest message, whichever came last' }) lastActivityAt!: string;
  @ApiProperty() reviewAfterMonths!: number;
  @ApiProperty({ description: 'The review period after its last activity, or a later extension' })
  reviewDueAt!: string;
  @ApiProperty() overdue!: boolean;
  @ApiProperty({ description: 'Under a legal hold: it cannot be erased' }) held!: boolean;
  @ApiPropertyOptional({ type: ReviewDecisionView, nullable: true }) lastDecision!: ReviewDecisionView | null;
}

export class RetentionRuleView {
  @ApiProperty({ nullable: true, type: String, description: 'Null: all the agency’s cases' }) crimeArea!: string | null;
  @ApiProperty() reviewAfterMonths!: number;
  @ApiProperty() setAt!: string;
}

export class RetentionRulesView {
  @ApiProperty({ description: 'The period for cases no rule of the agency covers', example: 36 })
  defaultMonths!: number;
  @ApiProperty({ type: [RetentionRuleView] }) rules!: RetentionRuleView[];
}
