import { SERVICE_CONFIG } from '@liaison/runtime';
import { Controller, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode } from '../application/application-error';
import { UploadAttachmentUseCase } from '../attachments/upload-attachment.usecase';
import { CurrentCaller, Roles, SessionOnly, type PersonCaller } from '../auth/caller';
import type { GatewayConfig } from '../gateway.config';
import { CorrelationId } from '../http/correlation-id.decorator';
import { draftFromForm, withAttachment } from './compose-form';
import { ComposeFormPage } from './compose-form-page';
import { DraftsRepository } from './drafts.repository';
import { readUploadForm } from './upload-form';

/**
 * Files attached to a draft: sent by the console's script as they are chosen, or with the whole form where
 * there is no script. Either way stored as `POST /v1/attachments` stores them, and named in the draft.
 */
@ApiExcludeController()
@Controller('console')
@SessionOnly()
@Roles('officer', 'supervisor')
export class ConsoleDraftAttachmentsController {
  constructor(
    private readonly form: ComposeFormPage,
    private readonly drafts: DraftsRepository,
    private readonly uploads: UploadAttachmentUseCase,
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /**
   * A file for the draft, sent by the console's script as the raw body (`?name=` its file name) so that it can
   * show the upload's progress: stored as `POST /v1/attachments` stores it, and named in the draft.
   */
  @Post('drafts/:id/attachments')
  async upload(
    @Param('id') id: string,
    @Query('name') name: unknown,
    @Req() request: FastifyRequest,
    @CurrentCaller() caller: PersonCaller,
    @CorrelationId() correlationId: string,
  ) {
    const draft = await this.form.draftOf(id, caller);
    const declared = Number(request.headers['content-length'] ?? 0);
    const uploaded = await this.uploads.execute(name, request.raw, declared, caller, correlationId);
    const content = withAttachment(draft.content, uploaded);
    await this.drafts.save(draft.id, caller.id, content);
    return { ...uploaded, index: content.attachments!.length - 1 };
  }

  /**
   * Attaching a file without JavaScript: the whole compose form, sent as multipart/form-data by its "Attach this
   * file" button. What the form holds is kept in the draft as with any of its buttons, whether or not the file
   * is accepted; the file is stored as `POST /v1/attachments` stores it, and the draft names it.
   */
  @Post('drafts/:id/upload')
  async uploadWithForm(
    @Param('id') id: string,
    @Req() request: FastifyRequest,
    @CurrentCaller() caller: PersonCaller,
    @CorrelationId() correlationId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const draft = await this.form.draftOf(id, caller);
    const limits = { fileBytes: this.config.ATTACHMENT_MAX_BYTES, fieldBytes: this.config.HTTP_BODY_LIMIT_BYTES };
    const form = await readUploadForm(request, caller.session.csrfToken, limits, (name, content) =>
      this.uploads.execute(name, content, 0, caller, correlationId),
    );
    let content = draftFromForm(form.fields, draft.content);
    if (form.stored) content = withAttachment(content, form.stored);
    await this.drafts.save(draft.id, caller.id, content);
    if (form.stored) return void reply.redirect(`/console/drafts/${draft.id}?attached=1#attachments`, 303);
    const problem = form.refused
      ? `The file was not attached: ${form.refused.errors[0]?.message ?? form.refused.detail}`
      : 'Choose a file to attach';
    const status = form.refused?.code === ErrorCode.PayloadTooLarge ? 413 : 400;
    await this.form.render(reply, caller, draft.id, content, [{ href: '#upload', text: problem }], status);
  }
}
