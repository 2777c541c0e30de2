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
