import {
  ANSWER_TIME_MS,
  ENTITY_TYPES,
  HANDLING_CODES,
  INFORMATION_ACCURACY,
  PRIORITIES,
  SOURCE_RELIABILITY,
  type Priority,
} from '@liaison/domain';
import { AgencyRepository } from '@liaison/persistence';
import { SERVICE_CONFIG } from '@liaison/runtime';
import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ErrorCode, type ApplicationError, type FieldError } from '../application/application-error';
import type { PersonCaller } from '../auth/caller';
import type { GatewayConfig } from '../gateway.config';
import { ApiProblem } from '../http/problem';
import { ENTITY_FORMS, formFieldOf, problemWords, type DraftContent } from './compose-form';
import { idOrNotFound } from './console-messages.controller';
import { ConsolePages } from './console-pages';
import { dateTimeWords, HANDLING_WORDS, PRIORITY_WORDS } from './console-words';
import { DraftsRepository } from './drafts.repository';

/** A problem of the form, GOV.UK style: the field's id, and the words of the error summary and of the field. */
export interface FormError {
  href: string;
  text: string;
}

/**
 * The compose form as a page, for every route that shows it (writing, saving, attaching, sending): the
 * person's own draft, the form with its choices, and problems linked to their fields.
 */
@Injectable()
export class ComposeFormPage {
  constructor(
    private readonly pages: ConsolePages,
    private readonly drafts: DraftsRepository,
    private readonly agencies: AgencyRepository,
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /** The person's own draft; anyone else's, or none, is a page that does not exist. */
  async draftOf(id: string, caller: PersonCaller) {
    const draft = await this.drafts.find(idOrNotFound(id), caller.id);
    if (!draft) throw new ApiProblem(ErrorCode.NotFound, 'no such draft');
    return draft;
  }

  /** The API's field errors as the form's: each linked to its field, once. */
  errors(errors: FieldError[], content: DraftContent, error?: ApplicationError): FormError[] {
    const list = errors.length > 0 ? errors : [{ field: 'subject', message: error?.detail ?? 'cannot be sent' }];
    const seen = new Set<string>();
    return list
      .map((e) => ({ href: `#${formFieldOf(e.field, content)}`, text: problemWords(e.field, e.message) }))
      .filter((e) => (seen.has(e.href) ? false : (seen.add(e.href), true)));
  }

  async render(
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
