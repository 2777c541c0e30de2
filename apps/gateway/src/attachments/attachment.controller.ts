import { H1_MARKING } from '@liaison/domain';
import { Controller, Get, Param, ParseIntPipe, Post, Query, Req, Res, StreamableFile } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiProduces,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentCaller, Roles, type Caller } from '../auth/caller';
import { CorrelationId } from '../http/correlation-id.decorator';
import { ApiProblem } from '../http/problem';
import { uuidParam } from '../http/params';
import { UploadView } from './attachment.views';
import { DownloadAttachmentUseCase } from './download-attachment.usecase';
import { UploadAttachmentUseCase } from './upload-attachment.usecase';

/** Attachments: uploaded and downloaded as streams, stored once per content hash. */
@ApiTags('attachments')
@ApiBearerAuth()
@Controller('v1')
@Roles('officer', 'supervisor')
export class AttachmentController {
  constructor(
    private readonly uploadAttachment: UploadAttachmentUseCase,
    private readonly downloadAttachment: DownloadAttachmentUseCase,
  ) {}

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

  /**
   * Downloads the n-th attachment (from 1) of a message your agency may read. H1 attachments carry the
   * provider's marking in the `Liaison-Handling-Marking` header; H3 requires the restriction acknowledged.
   */
  @Get('messages/:id/attachments/:n')
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  async download(
    @Param('id', uuidParam('id', 'a message id (UUID)')) id: string,
    @Param(
      'n',
      new ParseIntPipe({ exceptionFactory: () => ApiProblem.field('n', 'must be an attachment number from 1') }),
    )
    n: number,
    @CurrentCaller() caller: Caller,
    @CorrelationId() correlationId: string,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<StreamableFile> {
    const download = await this.downloadAttachment.execute(id, n, caller, correlationId);
    void response.header('Repr-Digest', `sha-256=:${Buffer.from(download.sha256, 'hex').toString('base64')}:`);
    // HTTP header values are ASCII: the marking's typographic apostrophe becomes a plain one.
    if (download.handling === 'H1')
      void response.header('Liaison-Handling-Marking', H1_MARKING.replace(/\u2019/g, "'"));
    // Saved, never shown in the API's origin: and should a browser show it anyway, it runs nothing.
    void response.header('Content-Security-Policy', "sandbox; default-src 'none'");
    return new StreamableFile(download.stream, {
      type: download.contentType,
      length: download.size,
      disposition: `attachment; filename*=UTF-8''${encodeURIComponent(download.fileName)}`,
    });
  }
}
