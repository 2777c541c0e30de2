import { FORWARD_STATES, type ForwardState } from '@liaison/domain';
import { ApiProperty } from '@nestjs/swagger';

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
