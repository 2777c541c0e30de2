import { Body, Controller, Delete, HttpCode, Param, Put } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsObject } from 'class-validator';
import { CurrentCaller, Roles, type Caller } from '../auth/caller';
import { CorrelationId } from '../http/correlation-id.decorator';
import { uuidParam } from '../http/params';
import { RectifyEntityUseCase, type EntityRectificationView } from './rectify-entity.usecase';

const messageId = uuidParam('id', 'a message id (UUID)');

export class RectifyEntityDto {
  @ApiProperty({
    description: "The entity as it should have been, as in a message (its ref is the path's)",
    example: { type: 'phone', number: '+40 721 234 568' },
  })
  @IsObject()
  entity!: Record<string, unknown>;
}

export class EntityRectificationResponse implements EntityRectificationView {
  @ApiProperty({ format: 'uuid' }) messageId!: string;
  @ApiProperty({ example: 'p1' }) entityRef!: string;
  @ApiProperty({ enum: ['rectify', 'remove'] }) action!: 'rectify' | 'remove';
  @ApiProperty() acceptedAt!: string;
}

/**
 * Rectifying or removing one entity of a message the caller's agency sent, for its supervisors: the message's
 * content is replaced, the case's match keys derived again, and the matches the old value made withdrawn (the
 * other side is told only that). Another agency's message is a 404.
 */
@ApiTags('messages')
@ApiBearerAuth()
@Controller('v1/messages')
@Roles('supervisor')
export class MessageEntityController {
  constructor(private readonly rectify: RectifyEntityUseCase) {}

  @Put(':id/entities/:ref')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: EntityRectificationResponse, description: 'Accepted: the router replaces the content' })
  rectifyEntity(
    @Param('id', messageId) id: string,
    @Param('ref') ref: string,
    @Body() body: RectifyEntityDto,
    @CurrentCaller() caller: Caller,
    @CorrelationId() correlationId: string,
  ): Promise<EntityRectificationView> {
    return this.rectify.execute(id, ref, body.entity, caller, correlationId);
  }

  @Delete(':id/entities/:ref')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: EntityRectificationResponse, description: 'Accepted: the router replaces the content' })
  removeEntity(
    @Param('id', messageId) id: string,
    @Param('ref') ref: string,
    @CurrentCaller() caller: Caller,
    @CorrelationId() correlationId: string,
  ): Promise<EntityRectificationView> {
    return this.rectify.execute(id, ref, null, caller, correlationId);
  }
}
