import { ERASURE_GROUNDS, isValidCaseReference, reviewDay, type ErasureGround } from '@liaison/domain';
import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApplicationError, ErrorCode } from '../application/application-error';
import { CurrentCaller, Roles, SessionOnly, type PersonCaller } from '../auth/caller';
import { CorrelationId } from '../http/correlation-id.decorator';
import { ApiProblem } from '../http/problem';
import { CaseReviewUseCase, type ReviewDecisionRequest } from '../reviews/case-review.usecase';
import type { CaseReviewView } from '../reviews/review.views';
import { ConsolePages } from './console-pages';
import { confirmedFirst } from './console-step-up';
import { dateTimeWords, dueInWords, ERASURE_GROUND_WORDS } from './console-words';

const DECISION_WORDS: Record<string, string> = { extend: 'Kept', close: 'Closed', erase: 'Erased' };

/** The review queue and each case's review decision, for the owning agency's supervisors. */
@ApiExcludeController()
@Controller('console/reviews')
@SessionOnly()
@Roles('supervisor')
export class ConsoleReviewsController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly reviews: CaseReviewUseCase,
  ) {}

  @Get()
  async queue(
    @Query('decided') decided: string | undefined,
    @CurrentCaller() caller: PersonCaller,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const now = new Date();
    const due = await this.reviews.queue(caller, 30, now);
    await this.pages.render(reply, caller, 'reviews', 'reviews', {
      title: 'Reviews',
      decided: decided && isValidCaseReference(decided) ? decided : null,
      due: due.map((r) => this.row(r, now)),
    });
  }

  @Get(':reference')
  async form(
    @Param('reference') reference: string,
    @CurrentCaller() caller: PersonCaller,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.render(reply, caller, await this.due(reference, caller), {}, []);
  }

  @Post(':reference')
  async decide(
    @Param('reference') reference: string,
    @Body() body: Record<string, unknown>,
    @CurrentCaller() caller: PersonCaller,
    @CorrelationId() correlationId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const review = await this.due(reference, caller);
    const text = (name: string) => (typeof body?.[name] === 'string' ? body[name].trim() : '');
    const form = {
      decision: text('decision'),
      reason: text('reason'),
      day: text('until-day'),
      month: text('until-month'),
      year: text('until-year'),
      ground: text('ground'),
    };
    const errors: { href: string; text: string }[] = [];
    if (!['extend', 'close', 'erase'].includes(form.decision))
      errors.push({ href: '#decision', text: 'Choose whether to keep, close or erase the case' });
    let until: string | undefined;
    if (form.decision === 'extend') {
      if (!form.reason) errors.push({ href: '#reason', text: 'Say why the case is kept' });
      until = `${form.year.padStart(4, '0')}-${form.month.padStart(2, '0')}-${form.day.padStart(2, '0')}`;
      if (!reviewDay(until))
        errors.push({ href: '#until-day', text: 'Enter the date of the next review, like 30 9 2027' });
    }
    if (form.decision === 'erase' && !ERASURE_GROUNDS.includes(form.ground as ErasureGround))
      errors.push({ href: '#ground', text: 'Choose the ground the erasure follows' });
    if (errors.length > 0) return this.render(reply, caller, review, form, errors, 400);
    const request: ReviewDecisionRequest = {
      decision: form.decision as ReviewDecisionRequest['decision'],
      ...(form.decision === 'extend' ? { reason: form.reason, until } : {}),
      ...(form.decision === 'close' && form.reason ? { reason: form.reason } : {}),
      ...(form.decision === 'erase' ? { ground: form.ground as ErasureGround } : {}),
    };
    try {
      const back = `/console/reviews/${reference}`;
      // Erasing needs a fresh second factor, as every decision that cannot be undone.
      const decide = () => this.reviews.decide(reference, request, caller, correlationId);
      const done = request.decision === 'erase' ? await confirmedFirst(reply, back, decide) : (await decide(), true);
      if (done) void reply.redirect(`/console/reviews?decided=${reference}`, 303);
    } catch (error) {
      if (!(error instanceof ApplicationError)) throw error;
      // Refused by the rules (a date out of bounds, a hold, a case already closed): said beside the field.
      const [first] = error.errors;
      const field = first ? (first.field === 'until' ? 'until-day' : first.field) : 'decision';
      const words = first
        ? `${first.field === 'until' ? 'The date of the next review' : 'This'} ${first.message}`
        : error.detail;
      return this.render(reply, caller, review, form, [{ href: `#${field}`, text: words }], first ? 400 : 409);
    }
  }

  private async due(reference: string, caller: PersonCaller): Promise<CaseReviewView> {
    if (!isValidCaseReference(reference)) throw new ApiProblem(ErrorCode.NotFound, 'no such page');
    const found = (await this.reviews.queue(caller, 366)).find((r) => r.reference === reference);
    if (!found) throw new ApiProblem(ErrorCode.NotFound, 'no such page');
    return found;
  }

  private row(review: CaseReviewView, now: Date) {
    return {
      ...review,
      lastActivity: dateTimeWords(review.lastActivityAt),
      dueWords: dueInWords(new Date(review.reviewDueAt), now),
      dueOn: dateTimeWords(review.reviewDueAt),
      lastDecisionWords: review.lastDecision ? DECISION_WORDS[review.lastDecision.decision] : null,
    };
  }

  private async render(
    reply: FastifyReply,
    caller: PersonCaller,
    review: CaseReviewView,
    form: Record<string, string>,
    errors: { href: string; text: string }[],
    status = 200,
  ): Promise<void> {
    await this.pages.render(
      reply,
      caller,
      'reviews',
      'review',
      {
        title: `Review case ${review.reference}`,
        review: this.row(review, new Date()),
        form,
        errors,
        grounds: ERASURE_GROUNDS.map((value) => ({
          value,
          text: ERASURE_GROUND_WORDS[value],
          checked: form.ground === value,
        })),
      },
      status,
    );
  }
}
