import { MEETING_FUNDERS, type JitStatus } from '@liaison/domain';
import { ApiProperty } from '@nestjs/swagger';

export class JitMemberView {
  @ApiProperty({ example: 'GB-NCA' }) code!: string;
  @ApiProperty({ example: 'National Crime Agency' }) name!: string;
  @ApiProperty({ example: 'GB' }) party!: string;
  @ApiProperty() joinedAt!: string;
  @ApiProperty({ nullable: true, type: String, description: 'Set when the agency has left the team' }) leftAt!:
    string | null;
}

export class JitSummaryView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: 'GB-NCA' }) lead!: string;
  @ApiProperty() startsOn!: string;
  @ApiProperty() endsOn!: string;
  @ApiProperty({ enum: ['planned', 'active', 'ended'] }) status!: JitStatus;
  @ApiProperty() eurojust!: boolean;
  @ApiProperty() europol!: boolean;
  @ApiProperty({ nullable: true, type: String }) fundingReference!: string | null;
}

export class JitView extends JitSummaryView {
  @ApiProperty({ type: [JitMemberView] }) members!: JitMemberView[];
  @ApiProperty({ type: [String], description: 'Cases linked to the team' }) cases!: string[];
  @ApiProperty() meetings!: number;
}

export class MeetingView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() heldOn!: string;
  @ApiProperty() place!: string;
  @ApiProperty({ type: [String] }) participants!: string[];
  @ApiProperty({ enum: MEETING_FUNDERS }) fundedBy!: string;
  @ApiProperty() recordedBy!: string;
  @ApiProperty() recordedAt!: string;
}
