import {
  ANSWER_TIME_MS,
  HANDLING_CODES,
  INFORMATION_ACCURACY,
  PRIORITIES,
  SOURCE_RELIABILITY,
  ENTITY_TYPES,
  entityProblems,
  withZonesRead,
  type Priority,
} from '@liaison/domain';
import { AgencyRepository } from '@liaison/persistence';
import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { SERVICE_CONFIG } from '@liaison/runtime';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApplicationError, ErrorCode, type FieldError } from '../application/application-error';
import { UploadAttachmentUseCase } from '../attachments/upload-attachment.usecase';
import { CurrentCaller, Roles, SessionOnly, type PersonCaller } from '../auth/caller';
import { CorrelationId } from '../http/correlation-id.decorator';
import type { GatewayConfig } from '../gateway.config';
import { ApiProblem } from '../http/problem';
import { validatedAs } from '../http/validation.pipe';
import { MessageReadRepository } from '../messages/message-read.repository';
import { SubmitMessageDto } from '../messages/submit-message.dto';
import { SubmitMessageUseCase } from '../messages/submit-message.usecase';
import {
  draftFromForm,
  emptyDraft,
  ENTITY_FORMS,
  formFieldOf,
  problemWords,
  submissionOf,
  withEntity,
  withAttachment,
  withoutAttachment,
  withoutEntity,
  type DraftContent,
} from './compose-form';
import { idOrNotFound } from './console-messages.controller';
import { ConsolePages } from './console-pages';
import { dateTimeWords, HANDLING_WORDS, PRIORITY_WORDS, TYPE_WORDS } from './console-words';
import { DraftsRepository } from './drafts.repository';
import { readUploadForm } from './upload-form';

/** A problem of the form, GOV.UK style: the field's id, and the words of the error summary and of the field. */
interface FormError {
  href: string;
  text: string;
}

/**
 * Writing a message: compose (or reply), kept as a draft on the server at every step; check your answers;
 * send; a confirmation naming the case. Sending goes through the same use case as `POST /v1/messages`.
 */
@ApiExcludeController()
@Controller('console')
@SessionOnly()
@Roles('officer', 'supervisor')
export class ConsoleComposeController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly drafts: DraftsRepository,
    private readonly submit: SubmitMessageUseCase,
    private readonly messages: MessageReadRepository,
    private readonly agencies: AgencyRepository,
    private readonly uploads: UploadAttachmentUseCase,
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /**
   * A new message: one on its own, one in a case (`case`), or a reply to a message received (`reply`). Nothing is
   * kept until the form is first posted; from then on it is a draft.
   */
  @Get('compose')
  async compose(
    @Query('case') caseReference: string | undefined,
    @Query('reply') inReplyTo: string | undefined,
    @CurrentCaller() caller: PersonCaller,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.renderForm(reply, caller, null, emptyDraft(await this.startOf(caller, caseReference, inReplyTo)), []);
  }

  @Post('compose')
  async start(
    @Body() form: Record<string, unknown>,
    @CurrentCaller() caller: PersonCaller,
    @CorrelationId() correlationId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const text = (name: string) => (typeof form?.[name] === 'string' ? form[name] : undefined);
    const content = emptyDraft(await this.startOf(caller, text('caseReference'), text('inReplyTo')));
    const id = await this.drafts.create(caller.id, caller.agency, content);
    await this.apply(reply, caller, { id, content }, form ?? {}, correlationId);
  }

  /** What a new draft starts from: a case it is in, or the message it answers (its case and its sender). */
  private async startOf(
    caller: PersonCaller,
    caseReference: string | undefined,
    inReplyTo: string | undefined,
  ): Promise<Partial<DraftContent>> {
    if (inReplyTo) {
      const answered = await this.messages.receivedMessage(idOrNotFound(inReplyTo), caller.agency);
      if (!answered) throw new ApiProblem(ErrorCode.NotFound, 'no such message');
      return {
        type: 'reply',
        inReplyTo: inReplyTo.toLowerCase(),
        caseReference: answered.caseReference,
        recipients: [answered.sender],
        subject: (answered.subject.startsWith('Re: ') ? answered.subject : `Re: ${answered.subject}`).slice(0, 300),
      };
    }
    return caseReference ? { caseReference } : {};
  }

  @Get('drafts')
  async list(@CurrentCaller() caller: PersonCaller, @Res() reply: FastifyReply): Promise<void> {
    const drafts = await this.drafts.list(caller.id);
    await this.pages.render(reply, caller, 'compose', 'drafts', {
      title: 'Drafts',
      drafts: drafts.map((d) => ({
        id: d.id,
        subject: d.content.subject || 'No subject yet',
        updatedAt: dateTimeWords(d.updatedAt),
      })),
    });
  }

  @Get('drafts/:id')
  async form(
    @Param('id') id: string,
    @Query('saved') saved: string | undefined,
    @Query('attached') attached: string | undefined,
    @CurrentCaller() caller: PersonCaller,
    @Res() reply: FastifyReply,
  ) {
    const draft = await this.draftOf(id, caller);
    const banner = saved === '1' ? 'saved' : attached === '1' ? 'attached' : null;
    await this.renderForm(reply, caller, draft.id, draft.content, [], 200, banner);
  }

  /** Saves what the form holds, then does what the button pressed asks. */
  @Post('drafts/:id')
  async update(
    @Param('id') id: string,
    @Body() form: Record<string, unknown>,
    @CurrentCaller() caller: PersonCaller,
    @CorrelationId() correlationId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.apply(reply, caller, await this.draftOf(id, caller), form ?? {}, correlationId);
  }

  private async apply(
    reply: FastifyReply,
    caller: PersonCaller,
    draft: { id: string; content: DraftContent },
    form: Record<string, unknown>,
    correlationId: string,
  ): Promise<void> {
    let content = draftFromForm(form, draft.content);
    const action = typeof form.action === 'string' ? form.action : 'save';
    const removal = /^remove-entity-(\d+)$/.exec(action);
    const attachmentRemoval = /^remove-attachment-(\d+)$/.exec(action);
    if (attachmentRemoval) {
      await this.drafts.save(draft.id, caller.id, withoutAttachment(content, Number(attachmentRemoval[1])));
      return void reply.redirect(`/console/drafts/${draft.id}#attachments`, 303);
    }
    if (action === 'add-entity')
      content = withEntity(content, typeof form.entityType === 'string' ? form.entityType : '');
    if (removal) content = withoutEntity(content, Number(removal[1]));
    await this.drafts.save(draft.id, caller.id, content);
    if (action === 'add-entity' || removal) {
      const anchor = removal ? 'entities' : `entity-${content.entities.length - 1}`;
      return void reply.redirect(`/console/drafts/${draft.id}#${anchor}`, 303);
    }
    if (action !== 'continue') return void reply.redirect(`/console/drafts/${draft.id}?saved=1`, 303);
    const errors = await this.problemsOf(content, caller, correlationId);
    if (errors.length > 0) return this.renderForm(reply, caller, draft.id, content, errors, 400);
    void reply.redirect(`/console/drafts/${draft.id}/check`, 303);
  }

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
    const draft = await this.draftOf(id, caller);
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
    const draft = await this.draftOf(id, caller);
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
    await this.renderForm(reply, caller, draft.id, content, [{ href: '#upload', text: problem }], status);
  }

  @Get('drafts/:id/check')
  async check(
    @Param('id') id: string,
    @CurrentCaller() caller: PersonCaller,
    @CorrelationId() correlationId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const draft = await this.draftOf(id, caller);
    const errors = await this.problemsOf(draft.content, caller, correlationId);
    if (errors.length > 0) return this.renderForm(reply, caller, draft.id, draft.content, errors, 400);
    const register = await this.agencies.findMany(draft.content.recipients);
    await this.pages.render(reply, caller, 'compose', 'check', {
      title: 'Check your message before sending it',
      id: draft.id,
      draft: draft.content,
      recipients: draft.content.recipients.map((code) => `${register.get(code)?.name ?? code} (${code})`),
      typeWords: TYPE_WORDS[draft.content.type],
      priorityWords: PRIORITY_WORDS[draft.content.priority as Priority],
      handlingWords: HANDLING_WORDS[draft.content.handlingCode as keyof typeof HANDLING_WORDS],
      entities: draft.content.entities.map((entity) => ({
        label: ENTITY_FORMS[entity.type].label,
        text: ENTITY_FORMS[entity.type].fields
          .map((field) =>
            field.kind === 'date'
              ? ['day', 'month', 'year']
                  .map((part) => entity.values[`${field.name}-${part}`])
                  .filter(Boolean)
                  .join(' ')
              : entity.values[field.name],
          )
          .filter(Boolean)
          .join(', '),
      })),
    });
  }

  /** Sends the draft through the same use case as the API; the draft then goes. */
  @Post('drafts/:id/send')
  async send(
    @Param('id') id: string,
    @CurrentCaller() caller: PersonCaller,
    @CorrelationId() correlationId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const draft = await this.draftOf(id, caller);
    const { value, errors } = await validatedAs(SubmitMessageDto, submissionOf(draft.content));
    if (errors.length > 0) return void reply.redirect(`/console/drafts/${draft.id}/check`, 303);
    let sent;
    try {
      sent = await this.submit.execute(value, caller, correlationId);
    } catch (error) {
      if (!(error instanceof ApplicationError)) throw error;
      return this.renderForm(
        reply,
        caller,
        draft.id,
        draft.content,
        this.formErrors(error.errors, draft.content, error),
        400,
      );
    }
    await this.drafts.remove(draft.id, caller.id);
    const query = new URLSearchParams({ message: sent.id, case: sent.caseReference });
    void reply.redirect(`/console/sent?${query.toString()}`, 303);
  }

  /** The confirmation: what was sent, and the case it is in. */
  @Get('sent')
  async sent(
    @Query('message') message: string,
    @Query('case') caseReference: string,
    @CurrentCaller() caller: PersonCaller,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.pages.render(reply, caller, 'compose', 'sent', {
      title: 'Message sent',
      message: idOrNotFound(message ?? ''),
      caseReference: /^LIA-\d{4}-[0-9A-Z*~$=]{9}$/.test(caseReference ?? '') ? caseReference : null,
    });
  }

  @Post('drafts/:id/delete')
  async remove(@Param('id') id: string, @CurrentCaller() caller: PersonCaller, @Res() reply: FastifyReply) {
    const draft = await this.draftOf(id, caller);
    await this.drafts.remove(draft.id, caller.id);
    void reply.redirect('/console/drafts', 303);
  }

  private async draftOf(id: string, caller: PersonCaller) {
    const draft = await this.drafts.find(idOrNotFound(id), caller.id);
    if (!draft) throw new ApiProblem(ErrorCode.NotFound, 'no such draft');
    return draft;
  }

  /** Everything that would stop the message: the API's validation, then the use case's rules, nothing sent. */
  private async problemsOf(content: DraftContent, caller: PersonCaller, correlationId: string): Promise<FormError[]> {
    const submission = submissionOf(content);
    const { value, errors } = await validatedAs(SubmitMessageDto, submission);
    // Every problem at once: the entities' too, which the use case would check only once the rest is valid.
    if (errors.length > 0) {
      const today = new Date().toISOString().slice(0, 10);
      // As the use case reads them: a machine-readable zone fills its entity's fields first.
      const zones = withZonesRead((submission.entities as unknown[]) ?? [], today);
      return this.formErrors([...errors, ...zones.problems, ...entityProblems(zones.entities, [], today)], content);
    }
    try {
      await this.submit.execute(value, caller, correlationId, { check: true });
      return [];
    } catch (error) {
      if (error instanceof ApplicationError) return this.formErrors(error.errors, content, error);
      throw error;
    }
  }

  private formErrors(errors: FieldError[], content: DraftContent, error?: ApplicationError): FormError[] {
    const list = errors.length > 0 ? errors : [{ field: 'subject', message: error?.detail ?? 'cannot be sent' }];
    const seen = new Set<string>();
    return list
      .map((e) => ({ href: `#${formFieldOf(e.field, content)}`, text: problemWords(e.field, e.message) }))
      .filter((e) => (seen.has(e.href) ? false : (seen.add(e.href), true)));
  }

  private async renderForm(
    reply: FastifyReply,
    caller: PersonCaller,
    id: string | null,
    draft: DraftContent,
    errors: FormError[],
    status = 200,
    banner: 'saved' | 'attached' | null = null,
  ): Promise<void> {
    const agencies = (await this.agencies.all()).filter((a) => a.code !== caller.agency);
    const hours = (p: Priority) => ANSWER_TIME_MS[p] / 3_600_000;
    await this.pages.render(
      reply,
      caller,
      'compose',
      'compose',
      {
        title: draft.inReplyTo ? 'Reply' : 'New message',
        action: id ? `/console/drafts/${id}` : '/console/compose',
        id,
        saved: banner === 'saved',
        // The file just attached: the last the draft names.
        attached: banner === 'attached' ? (draft.attachments?.at(-1)?.fileName ?? null) : null,
        attachmentLimit: `${Math.floor(this.config.ATTACHMENT_MAX_BYTES / 1_048_576)} MB`,
        draft,
        errors,
        recipients: agencies.map((a) => ({
          value: a.code,
          text: `${a.name} (${a.code})`,
          checked: draft.recipients.includes(a.code),
        })),
        priorities: PRIORITIES.map((value) => ({
          value,
          text: PRIORITY_WORDS[value],
          hint: {
            text: `If sent now, the answer is due by ${dateTimeWords(new Date(Date.now() + hours(value) * 3_600_000))}`,
          },
          checked: draft.priority === value,
        })),
        handlingCodes: HANDLING_CODES.map((value) => ({
          value,
          text: HANDLING_WORDS[value],
          checked: draft.handlingCode === value,
        })),
        sources: ['', ...SOURCE_RELIABILITY].map((value) => ({
          value,
          text: value || 'Not given',
          selected: draft.evaluationSource === value,
        })),
        accuracies: ['', ...INFORMATION_ACCURACY].map((value) => ({
          value,
          text: value || 'Not given',
          selected: draft.evaluationInformation === value,
        })),
        entityForms: ENTITY_FORMS,
        entityTypes: ENTITY_TYPES.map((value) => ({ value, text: ENTITY_FORMS[value].label })),
      },
      status,
    );
  }
}
