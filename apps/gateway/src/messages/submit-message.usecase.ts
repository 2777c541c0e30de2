import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  AttachmentSchema,
  evaluationToProto,
  handlingToProto,
  MessageSubmittedSchema,
  messageTypeCodec,
  priorityCodec,
  Topics,
  type EntityJson,
} from '@liaison/contracts';
import { utcDay } from '@liaison/common';
import {
  DEFAULT_CLASSIFICATION,
  describeRecipientProblem,
  entityProblems,
  withZonesRead,
  evaluationProblem,
  expectsAnswer,
  handlingProblem,
  issueCaseReference,
  jitSendProblem,
  recipientProblem,
  uncleared,
  type EntityLink,
  type Evaluation,
  type Handling,
  type MessageType,
  type Priority,
} from '@liaison/domain';
import { SERVICE_CONFIG } from '@liaison/runtime';
import { AgencyRepository, timeOrderedId } from '@liaison/persistence';
import { CaseErasedError, CaseKeys, sealFileKey, sealMessageText } from '@liaison/protection';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PinoLogger } from 'nestjs-pino';
import { Reservations } from '../idempotency/reservations';
import { AttachmentRepository } from '../attachments/attachment.repository';
import { RestrictedCases } from '../cases/restricted-cases';
import { AuditTrail } from '../audit/audit-trail';
import type { Caller } from '../auth/caller';
import type { GatewayConfig } from '../gateway.config';
import { ApplicationError, ErrorCode, type FieldError } from '../application/application-error';
import { AcceptedCasesRepository } from '../cases/accepted-cases.repository';
import { MessageReadRepository } from './message-read.repository';
import type { SubmitMessageDto, SubmittedMessageView } from './submit-message.dto';

/**
 * Accepts a message from an officer: checks the recipients against the register and the case against the
 * caller's agency, seals its content under the case's key, then publishes MessageSubmitted and waits for the
 * broker's acknowledgement. Nothing else is written to the database here; the router does that from the event.
 */
@Injectable()
export class SubmitMessageUseCase {
  constructor(
    private readonly agencies: AgencyRepository,
    private readonly messages: MessageReadRepository,
    private readonly audit: AuditTrail,
    private readonly attachments: AttachmentRepository,
    private readonly restrictions: RestrictedCases,
    private readonly acceptedCases: AcceptedCasesRepository,
    private readonly logger: PinoLogger,
    private readonly keys: CaseKeys,
    private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
  ) {
    this.logger.setContext(SubmitMessageUseCase.name);
  }

  /**
   * Accepts a message: every rule checked, then handed to the broker. With `check`, only the rules are checked
   * (the console's "check your answers" asks this before the person sends) and nothing is published.
   */
  async execute(
    given: SubmitMessageDto,
    caller: Caller,
    correlationId: string,
    { check = false } = {},
  ): Promise<SubmittedMessageView> {
    // A retry of an unacknowledged submission is the same message: same time, id and case (see Reservations).
    const now = new Date(Reservations.take('submittedAt', () => new Date().toISOString()));
    // A passport's or identity card's machine-readable zone fills the entity's fields before anything is checked.
    const zones = withZonesRead(given.entities ?? [], utcDay(now));
    const request: SubmitMessageDto = { ...given, entities: zones.entities as Record<string, unknown>[] };
    const recipients =
      request.jit === undefined ? (request.recipients ?? []) : await this.jitRecipients(request, caller, now);
    const register = await this.agencies.findMany(recipients);
    // A team's members are all addressed, however many; the configured limit is for lists typed by hand.
    const limit = request.jit === undefined ? this.config.MAX_RECIPIENTS : Number.MAX_SAFE_INTEGER;
    const problem = recipientProblem(recipients, caller.agency, (code) => register.has(code), limit);
    if (problem) {
      const detail = describeRecipientProblem(problem);
      const code =
        problem.kind === 'unknown' || problem.kind === 'includes-sender'
          ? ErrorCode.InvalidRecipients
          : ErrorCode.Validation;
      throw new ApplicationError(code, `recipients: ${detail}`, [{ field: 'recipients', message: detail }]);
    }
    const classification = request.classification ?? DEFAULT_CLASSIFICATION;
    const notCleared = uncleared(recipients, classification, (code) => register.get(code)?.clearance);
    if (notCleared.length > 0) {
      const message = `not cleared for ${classification}: ${notCleared.join(', ')}`;
      throw new ApplicationError(ErrorCode.InvalidRecipients, `recipients: ${message}`, [
        { field: 'recipients', message },
      ]);
    }
    const codes = this.codesOf(request, zones.problems);
    const attachments = await this.attachmentsOf(request.attachments ?? [], caller);
    let caseReference =
      codes.type === 'reply'
        ? await this.replyCase(codes.inReplyTo, request.caseReference, caller)
        : request.caseReference;
    if (caseReference !== undefined) {
      const status = await this.messages.writableCaseStatus(caseReference, caller.agency, request.jit);
      if (status === null) {
        // The same answer whether the case does not exist or belongs to others: existence is not disclosed.
        const message = `no case ${caseReference} in which ${caller.agency} takes part`;
        throw new ApplicationError(ErrorCode.CaseNotAccessible, `caseReference: ${message}`, [
          { field: 'caseReference', message },
        ]);
      }
      if (await this.restrictions.isRestricted(caseReference)) {
        const message = `case ${caseReference} is restricted: it takes no new messages`;
        throw new ApplicationError(ErrorCode.CaseNotAccessible, `caseReference: ${message}`, [
          { field: 'caseReference', message },
        ]);
      }
      if (status === 'closed') {
        const message = `case ${caseReference} is closed`;
        throw new ApplicationError(ErrorCode.CaseClosed, `caseReference: ${message}`, [
          { field: 'caseReference', message },
        ]);
      }
    }
    const opensCase = caseReference === undefined;
    if (check) return { id: '', caseReference: caseReference ?? '' };
    caseReference ??= Reservations.take('caseReference', () => issueCaseReference(now));
    const id = Reservations.take('messageId', () => timeOrderedId(now.getTime()));
    // Kept before anything is published: a retry after a crash here publishes this same message.
    await Reservations.keep();
    if (opensCase) await this.acceptedCases.record(caseReference, caller.agency, now);
    // The content leaves the gateway sealed under the case's own key (made with the case).
    const caseKey = await this.caseKey(caseReference);
    const sealedContent = sealMessageText(caseKey, caseReference, id, {
      subject: request.subject,
      body: request.body,
      // Validated above by entityProblems: every entity has a ref and a known type.
      entities: (request.entities ?? []) as EntityJson[],
      links: (request.links ?? []) as unknown as EntityLink[],
      handlingRestriction: codes.handling.restriction ?? '',
      attachmentNames: attachments.map((a) => a.name),
    });
    await this.audit.publishAudited(
      Topics.messageSubmitted,
      [
        {
          key: caseReference,
          correlationId,
          payload: create(MessageSubmittedSchema, {
            messageId: id,
            caseReference,
            opensCase,
            senderAgency: caller.agency,
            recipientAgencies: recipients,
            jitId: request.jit ?? '',
            answerDeadline: request.deadline === undefined ? undefined : timestampFromDate(new Date(request.deadline)),
            attachments: attachments.map(({ upload }, i) =>
              create(AttachmentSchema, {
                sha256: upload.sha256,
                contentType: upload.contentType,
                size: BigInt(upload.size),
                fileId: upload.fileId ?? '',
                sealedKey: upload.fileId ? sealFileKey(caseKey, caseReference, id, i + 1, upload.key) : undefined,
              }),
            ),
            sealedContent,
            submittedAt: timestampFromDate(now),
            submittedByKeyId: caller.id,
            type: messageTypeCodec.toProto(codes.type),
            priority: priorityCodec.toProto(codes.priority),
            handling: handlingToProto({ ...codes.handling, restriction: undefined }),
            evaluation: evaluationToProto(codes.evaluation),
            inReplyTo: codes.type === 'reply' ? codes.inReplyTo : '',
            classification,
          }),
        },
      ],
      caller,
      [{ action: 'message.submitted', objectType: 'message', objectId: id }],
      correlationId,
    );
    this.logger.info(
      {
        messageId: id,
        caseReference,
        sender: caller.agency,
        recipients: recipients.length,
        jit: request.jit,
        entities: request.entities?.length ?? 0,
        opensCase,
        type: codes.type,
        priority: codes.priority,
      },
      'message submitted',
    );
    return { id, caseReference };
  }

  /** The case's data key; a case erased meanwhile is one the caller no longer takes part in. */
  private async caseKey(caseReference: string): Promise<Buffer> {
    try {
      return await this.keys.issue(this.dataSource, caseReference);
    } catch (error) {
      if (!(error instanceof CaseErasedError)) throw error;
      const message = `case ${caseReference} has been erased`;
      throw new ApplicationError(ErrorCode.CaseNotAccessible, `caseReference: ${message}`, [
        { field: 'caseReference', message },
      ]);
    }
  }

  /**
   * The caller's agency's uploads named by the message, in order, each with its name (which travels sealed) and its
   * file's key (which travels sealed under the case's key); 422 naming any that are not.
   */
  private async attachmentsOf(ids: string[], caller: Caller) {
    if (ids.length === 0) return [];
    if (new Set(ids).size !== ids.length)
      throw ApplicationError.field('attachments', 'each upload may be attached once');
    const uploads = await this.attachments.uploads(ids, caller.agency);
    const missing = ids.filter((id) => !uploads.has(id));
    if (missing.length > 0) {
      const message = `no upload by ${caller.agency}: ${missing.join(', ')}`;
      throw new ApplicationError(ErrorCode.InvalidAttachment, `attachments: ${message}`, [
        { field: 'attachments', message },
      ]);
    }
    return ids.map((id) => ({ name: uploads.get(id)!.fileName, upload: uploads.get(id)! }));
  }

  /** The members of the addressed team other than the sender, when the sender may address it today. */
  private async jitRecipients(request: SubmitMessageDto, caller: Caller, now: Date): Promise<string[]> {
    const refuse = (message: string) =>
      new ApplicationError(ErrorCode.JitNotOpen, `jit: ${message}`, [{ field: 'jit', message }]);
    if (request.recipients !== undefined) throw refuse('address the message to recipients or to a jit, not both');
    const jit = await this.messages.jitMembership(request.jit!);
    const problem = jitSendProblem(
      jit ? { ...jit, members: new Set(jit.members) } : undefined,
      caller.agency,
      utcDay(now),
    );
    if (problem) throw refuse(problem);
    const others = jit!.members.filter((code) => code !== caller.agency);
    if (others.length === 0) throw refuse('the team has no other member agency');
    return others;
  }

  /**
   * The case a reply is filed in: that of the request or cross-check it answers, which the caller's agency
   * must have received. A case reference given with the reply must agree with it.
   */
  private async replyCase(inReplyTo: string, given: string | undefined, caller: Caller): Promise<string> {
    const target = await this.messages.receivedMessage(inReplyTo, caller.agency);
    const unanswerable = (message: string) =>
      new ApplicationError(ErrorCode.NotAnswerable, `inReplyTo: ${message}`, [{ field: 'inReplyTo', message }]);
    if (!target) throw unanswerable(`no message ${inReplyTo} was received by ${caller.agency}`);
    if (!expectsAnswer(target.type as MessageType))
      throw unanswerable(`message ${inReplyTo} is ${target.type} and expects no answer`);
    if (given !== undefined && given !== target.caseReference) {
      throw unanswerable(`message ${inReplyTo} belongs to case ${target.caseReference}, not ${given}`);
    }
    return target.caseReference;
  }

  /** The message's codes with their defaults, checked together (what class-validator cannot see field by field). */
  private codesOf(
    request: SubmitMessageDto,
    zoneProblems: FieldError[],
  ): {
    type: MessageType;
    priority: Priority;
    handling: Handling;
    evaluation: Evaluation | undefined;
    inReplyTo: string;
  } {
    const type = request.type ?? 'information';
    const handling: Handling = request.handling ?? { code: 'H0' };
    const problems: FieldError[] = [];
    const handlingIssue = handlingProblem(handling);
    if (handlingIssue)
      problems.push({
        field: `handling.${handlingIssue.split(':')[0]}`,
        message: handlingIssue.slice(handlingIssue.indexOf(':') + 2),
      });
    if (request.evaluation) {
      const issue = evaluationProblem(request.evaluation);
      if (issue) {
        const field = /^(\w+):/.exec(issue)?.[1];
        problems.push({ field: field ? `evaluation.${field}` : 'evaluation', message: issue.replace(/^\w+: /, '') });
      }
    }
    // An entity whose zone could not be read has only that problem, not those of the fields it would have filled.
    const unread = new Set(zoneProblems.map((p) => p.field.replace(/\.mrz$/, '.')));
    problems.push(
      ...zoneProblems,
      ...entityProblems(request.entities ?? [], request.links ?? [], utcDay(new Date())).filter(
        (p) => ![...unread].some((prefix) => p.field.startsWith(prefix)),
      ),
    );
    if (request.deadline !== undefined) {
      if (!expectsAnswer(type))
        problems.push({ field: 'deadline', message: `only requests and cross-checks have a deadline, not a ${type}` });
      else if (new Date(request.deadline).getTime() <= Date.now())
        problems.push({ field: 'deadline', message: 'must be in the future' });
    }
    if (type === 'reply' && request.inReplyTo === undefined)
      problems.push({ field: 'inReplyTo', message: 'a reply names the message it answers' });
    if (type !== 'reply' && request.inReplyTo !== undefined)
      problems.push({ field: 'inReplyTo', message: `only a reply answers a message, not a ${type}` });
    if (problems.length > 0) throw ApplicationError.validation(problems);
    return {
      type,
      priority: request.priority ?? 'normal',
      handling,
      evaluation: request.evaluation as Evaluation | undefined,
      inReplyTo: request.inReplyTo ?? '',
    };
  }
}
