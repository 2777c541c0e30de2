import { entityProblems, withZonesRead, type Priority } from '@liaison/domain';
import { AgencyRepository } from '@liaison/persistence';
import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApplicationError, ErrorCode } from '../application/application-error';
import { CurrentCaller, Roles, SessionOnly, type PersonCaller } from '../auth/caller';
import { CorrelationId } from '../http/correlation-id.decorator';
import { ApiProblem } from '../http/problem';
import { validatedAs } from '../http/validation.pipe';
import { MessageReadRepository } from '../messages/message-read.repository';
import { SubmitMessageDto } from '../messages/submit-message.dto';
import { SubmitMessageUseCase } from '../messages/submit-message.usecase';
import {
  draftFromForm,
  emptyDraft,
  ENTITY_FORMS,
  submissionOf,
  withEntity,
  withoutAttachment,
  withoutEntity,
  type DraftContent,
} from './compose-form';
import { ComposeFormPage, type FormError } from './compose-form-page';
import { idOrNotFound } from './console-messages.controller';
import { ConsolePages } from './console-pages';
import { dateTimeWords, HANDLING_WORDS, PRIORITY_WORDS, TYPE_WORDS } from './console-words';
import { DraftsRepository } from './drafts.repository';

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
    private readonly composePage: ComposeFormPage,
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
    await this.composePage.render(
      reply,
      caller,
      null,
      emptyDraft(await this.startOf(caller, caseReference, inReplyTo)),
      [],
    );
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
    const draft = await this.composePage.draftOf(id, caller);
    const banner = saved === '1' ? 'saved' : attached === '1' ? 'attached' : null;
    await this.composePage.render(reply, caller, draft.id, draft.content, [], 200, banner);
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
    await this.apply(reply, caller, await this.composePage.draftOf(id, caller), form ?? {}, correlationId);
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
    if (errors.length > 0) return this.composePage.render(reply, caller, draft.id, content, errors, 400);
    void reply.redirect(`/console/drafts/${draft.id}/check`, 303);
  }

  @Get('drafts/:id/check')
  async check(
    @Param('id') id: string,
    @CurrentCaller() caller: PersonCaller,
    @CorrelationId() correlationId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const draft = await this.composePage.draftOf(id, caller);
    const errors = await this.problemsOf(draft.content, caller, correlationId);
    if (errors.length > 0) return this.composePage.render(reply, caller, draft.id, draft.content, errors, 400);
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
    const draft = await this.composePage.draftOf(id, caller);
    const { value, errors } = await validatedAs(SubmitMessageDto, submissionOf(draft.content));
    if (errors.length > 0) return void reply.redirect(`/console/drafts/${draft.id}/check`, 303);
    let sent;
    try {
      sent = await this.submit.execute(value, caller, correlationId);
    } catch (error) {
      if (!(error instanceof ApplicationError)) throw error;
      return this.composePage.render(
        reply,
        caller,
        draft.id,
        draft.content,
        this.composePage.errors(error.errors, draft.content, error),
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
    const draft = await this.composePage.draftOf(id, caller);
    await this.drafts.remove(draft.id, caller.id);
    void reply.redirect('/console/drafts', 303);
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
      return this.composePage.errors(
        [...errors, ...zones.problems, ...entityProblems(zones.entities, [], today)],
        content,
      );
    }
    try {
      await this.submit.execute(value, caller, correlationId, { check: true });
      return [];
    } catch (error) {
      if (error instanceof ApplicationError) return this.composePage.errors(error.errors, content, error);
      throw error;
    }
  }
}
