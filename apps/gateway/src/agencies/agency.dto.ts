import { CLASSIFICATIONS, type Classification } from '@liaison/domain';
import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';

export class ClearanceDto {
  @ApiProperty({ enum: CLASSIFICATIONS })
  @IsIn(CLASSIFICATIONS, { message: `clearance must be one of ${CLASSIFICATIONS.join(', ')}` })
  clearance!: Classification;
}
