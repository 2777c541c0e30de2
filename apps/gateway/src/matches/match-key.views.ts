import { ApiProperty } from '@nestjs/swagger';

export class OverCorrelatedKeyView {
  @ApiProperty({ example: 'phone:+442079460000' }) key!: string;
  @ApiProperty({ example: 'phone' }) entityType!: string;
  @ApiProperty({ description: 'Cases holding the key' }) caseCount!: number;
  @ApiProperty() overCorrelatedAt!: string;
  @ApiProperty({ description: 'Already on the exclusion list' }) excluded!: boolean;
}

export class ExclusionView {
  @ApiProperty({ example: 'phone:+442079460000' }) key!: string;
  @ApiProperty({ example: 'phone' }) entityType!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ format: 'uuid', description: 'The admin key that excluded it' }) excludedBy!: string;
  @ApiProperty() excludedAt!: string;
}
