import { Controller, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentCaller, Roles, type Caller } from '../auth/caller';
import { CorrelationId } from '../http/correlation-id.decorator';
import { UploadView } from './attachment.views';
import { UploadAttachmentUseCase } from './upload-attachment.usecase';

/** Attachments: uploaded as streams, stored once per content hash (a message's are downloaded from it). */
@ApiTags('attachments')
@ApiBearerAuth()
@Controller('v1')
@Roles('officer', 'supervisor')
export class AttachmentController {
  constructor(private readonly uploadAttachment: UploadAttachmentUseCase) {}

  /** Uploads a file (the raw body, any media type) for your agency to attach to its messages. */
  @Post('attachments')
  @ApiConsumes('application/octet-stream')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiQuery({ name: 'name', description: 'File name, e.g. photo-0412.jpg' })
  @ApiCreatedResponse({ type: UploadView })
  async upload(
    @Req() request: FastifyRequest,
    @Query('name') name: unknown,
    @CurrentCaller() caller: Caller,
    @CorrelationId() correlationId: string,
  ): Promise<UploadView> {
    const declared = Number(request.headers['content-length'] ?? 0);
    return this.uploadAttachment.execute(name, request.raw, declared, caller, correlationId);
  }
}
