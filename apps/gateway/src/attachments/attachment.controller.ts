import {
  FILE_NAME_MAX,
  fileNameProblem,
  H1_MARKING,
  readsAsText,
  servedMediaType,
  servedStoredType,
} from '@liaison/domain';
import { filetypeinfo } from 'magic-bytes.js';
import { Controller, Get, Inject, Param, ParseIntPipe, Post, Query, Req, Res, StreamableFile } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiProduces,
  ApiProperty,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { SERVICE_CONFIG } from '@liaison/messaging';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { PinoLogger } from 'nestjs-pino';
import { AuditTrail } from '../audit/audit-trail';
import { CurrentCaller, Roles, type Caller } from '../auth/caller';
import type { GatewayConfig } from '../gateway.config';
import { CorrelationId } from '../http/correlation-id.decorator';
import { ApiProblem } from '../http/problem';
import { ErrorCode } from '../application/application-error';
import { uuidParam } from '../http/params';
import { OpenMessageUseCase } from '../messages/open-message.usecase';
import { AttachmentStore, AttachmentTooLargeError } from './attachment-store';
import { AttachmentRepository } from './attachment.repository';

export class UploadView {
  @ApiProperty({ format: 'uuid', description: "Name this id in a message's attachments" }) id!: string;
  @ApiProperty({ example: 'photo-0412.jpg' }) fileName!: string;
  @ApiProperty({
    example: 'image/jpeg',
    description:
      'What the bytes are (never the declared Content-Type); application/octet-stream for anything not on the list of served types',
  })
  contentType!: string;
  @ApiProperty() size!: number;
  @ApiProperty({ description: 'SHA-256 of the content, lower-case hex' }) sha256!: string;
}

/** Attachments: uploaded and downloaded as streams, stored once per content hash. */
@ApiTags('attachments')
@ApiBearerAuth()
@Controller('v1')
@Roles('officer', 'supervisor')
export class AttachmentController {
  constructor(
    private readonly store: AttachmentStore,
    private readonly attachments: AttachmentRepository,
    private readonly openMessage: OpenMessageUseCase,
    private readonly audit: AuditTrail,
    private readonly logger: PinoLogger,
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
  ) {
    this.logger.setContext(AttachmentController.name);
  }

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
    if (typeof name !== 'string')
      throw ApiProblem.field('name', `must be given once: a file name of 1 to ${FILE_NAME_MAX} characters`);
    const nameProblem = fileNameProblem(name);
    if (nameProblem) throw ApiProblem.field('name', nameProblem);
    const limit = this.config.ATTACHMENT_MAX_BYTES;
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > limit)
      throw new ApiProblem(
        ErrorCode.PayloadTooLarge,
        `attachments are limited to ${limit} bytes; this one declares ${declared}`,
      );
    let stored;
    try {
      stored = await this.store.put(request.raw, limit);
    } catch (error) {
      if (error instanceof AttachmentTooLargeError) {
        request.raw.resume(); // read and discard the rest, so the client gets the answer rather than a reset
        throw new ApiProblem(ErrorCode.PayloadTooLarge, `attachments are limited to ${limit} bytes`);
      }
      throw error;
    }
    // What the bytes are decides the type, never the Content-Type the uploader declared.
    const contentType = servedMediaType(
      filetypeinfo(stored.head),
      name,
      readsAsText(stored.head, stored.size <= stored.head.length),
    );
    const id = randomUUID();
    await this.audit.record(
      caller,
      { action: 'attachment.uploaded', objectType: 'attachment', objectId: stored.sha256, detail: `upload ${id}` },
      correlationId,
    );
    await this.attachments.recordUpload({
      id,
      agency: caller.agency,
      keyId: caller.keyId,
      sha256: stored.sha256,
      size: stored.size,
      fileName: name,
      contentType,
      at: new Date(),
    });
    this.logger.info({ uploadId: id, sha256: stored.sha256, size: stored.size }, 'attachment uploaded');
    return { id, fileName: name, contentType, size: stored.size, sha256: stored.sha256 };
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
    const message = await this.openMessage.execute(id, caller, correlationId);
    if (message.acknowledgementRequired)
      throw new ApiProblem(
        ErrorCode.Forbidden,
        `message ${id} is H3: acknowledge its restriction before downloading its attachments`,
      );
    const attachment = (await this.attachments.ofMessage(id)).find((a) => a.ordinal === n);
    if (!attachment) throw new ApiProblem(ErrorCode.NotFound, `message ${id} has no attachment ${n}`);
    const file = await this.store.open(attachment.sha256);
    if (!file) throw new Error(`attachment ${attachment.sha256} of message ${id} is missing from the store`);
    await this.audit.record(
      caller,
      {
        action: 'attachment.downloaded',
        objectType: 'attachment',
        objectId: attachment.sha256,
        detail: `message ${id}`,
      },
      correlationId,
    );
    void response.header('Repr-Digest', `sha-256=:${Buffer.from(attachment.sha256, 'hex').toString('base64')}:`);
    // HTTP header values are ASCII: the marking's typographic apostrophe becomes a plain one.
    if (message.handling?.code === 'H1')
      void response.header('Liaison-Handling-Marking', H1_MARKING.replace(/\u2019/g, "'"));
    // Saved, never shown in the API's origin: and should a browser show it anyway, it runs nothing.
    void response.header('Content-Security-Policy', "sandbox; default-src 'none'");
    return new StreamableFile(file.stream, {
      type: servedStoredType(attachment.content_type),
      length: file.size,
      disposition: `attachment; filename*=UTF-8''${encodeURIComponent(attachment.file_name)}`,
    });
  }
}
