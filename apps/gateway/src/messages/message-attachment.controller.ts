import { H1_MARKING } from '@liaison/domain';
import { Controller, Get, Param, ParseIntPipe, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentCaller, Roles, type Caller } from '../auth/caller';
import { CorrelationId } from '../http/correlation-id.decorator';
import { uuidParam } from '../http/params';
import { ApiProblem } from '../http/problem';
import { DownloadAttachmentUseCase } from './download-attachment.usecase';

/** A message's attachments, downloaded as streams by the agencies that may read the message. */
@ApiTags('attachments')
@ApiBearerAuth()
@Controller('v1/messages')
@Roles('officer', 'supervisor')
export class MessageAttachmentController {
  constructor(private readonly downloadAttachment: DownloadAttachmentUseCase) {}

  /**
   * Downloads the n-th attachment (from 1) of a message your agency may read. H1 attachments carry the
   * provider's marking in the `Liaison-Handling-Marking` header; H3 requires the restriction acknowledged.
   */
  @Get(':id/attachments/:n')
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
