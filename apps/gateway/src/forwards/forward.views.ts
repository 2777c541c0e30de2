import { AGENCY_CODE_PATTERN, FORWARD_STATES, type ForwardState } from '@liaison/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

export class ForwardDto {
  @ApiProperty({ example: 'NL-ENU', description: 'The agency to pass the message to' })
  @Matches(AGENCY_CODE_PATTERN, { message: 'to must be an agency code such as NL-ENU' })
  to!: string;
}

export class PermissionQueryDto {
  @ApiPropertyOptional({ enum: FORWARD_STATES })
  @IsOptional()
  @IsIn(FORWARD_STATES, { message: `state must be one of ${FORWARD_STATES.join(', ')}` })
  state?: ForwardState;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value,
  )
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1)
  @Max(200)
  limit?: number;
}

export class ForwardView {
  @ApiProperty({ format: 'uuid', description: 'Id of the forward; for H2 also the id of the permission request' })
  id!: string;
  @ApiProperty({ format: 'uuid' }) messageId!: string;
  @ApiProperty({ description: 'The sending agency, whose permission an H2 forward needs' }) provider!: string;
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty({
    enum: FORWARD_STATES,
    description: 'delivered (no permission needed), pending, granted (and delivered) or denied',
  })
  state!: ForwardState;
  @ApiProperty() requestedAt!: string;
  @ApiProperty({ nullable: true, type: String }) decidedAt!: string | null;
}
