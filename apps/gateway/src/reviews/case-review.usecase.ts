import {
  CRIME_AREAS,
  REVIEW_QUEUE_DAYS,
  reviewDay,
  reviewExtensionProblem,
  reviewPeriodProblem,
  type CrimeArea,
  type ErasureGround,
  type ReviewDecision,
} from '@liaison/domain';
import { CaseKeys, openCaseRows } from '@liaison/protection';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ApplicationError, ErrorCode } from '../application/application-error';
import { AuditTrail } from '../audit/audit-trail';
import type { Caller } from '../auth/caller';
import { CaseErasureUseCase } from '../cases/case-erasure.usecase';
import { CaseLifecycleUseCase } from '../cases/case-lifecycle.usecase';
import { ReviewRepository, type ReviewRow } from './review.repository';
import type { CaseReviewView, RetentionRulesView } from './review.views';

export interface ReviewDecisionRequest {
  decision: ReviewDecision;
  reason?: string;
  until?: string;
  ground?: ErasureGround;
}

/**
 * Review of what is kept, for the owning agency's supervisors: the queue of cases due (or soon due), and the
 * decision on each (extend with a reason and a new date, close, or erase), audited before it is applied; and the
 * agency's review periods, set by its admins. Another agency's case is a 404, as if it did not exist.
 */
@Injectable()
export class CaseReviewUseCase {
  constructor(
    private readonly reviews: ReviewRepository,
    private readonly lifecycle: CaseLifecycleUseCase,
    private readonly erasure: CaseErasureUseCase,
    private readonly audit: AuditTrail,
    private readonly keys: CaseKeys,
    private readonly dataSource: DataSource,
  ) {}

  async queue(caller: Caller, withinDays = REVIEW_QUEUE_DAYS, now = new Date()): Promise<CaseReviewView[]> {
    const before = new Date(now.getTime() + withinDays * 86_400_000);
    return this.views(await this.reviews.queue(caller.agency, before, 500), now);
  }

  async decide(
    reference: string,
    request: ReviewDecisionRequest,
    caller: Caller,
    correlationId: string,
    now = new Date(),
  ): Promise<CaseReviewView> {
    const review = await this.reviews.find(reference);
    if (!review || review.owner_agency !== caller.agency)
      throw new ApplicationError(ErrorCode.NotFound, `no case ${reference} owned by ${caller.agency}`);
    if (request.decision === 'erase') {
      if (!request.ground) throw ApplicationError.field('ground', 'an erasure names its ground');
      // Read before the key goes: afterwards the case says nothing.
      const [before] = await this.views([review], now);
      await this.erasure.erase(reference, request.ground, caller, correlationId);
      return {
        ...before,
        title: null,
        status: 'erased',
        lastDecision: { decision: 'erase', extendedUntil: null, reason: null },
      };
    }
    if (request.decision === 'extend') {
      if (!request.reason?.trim()) throw ApplicationError.field('reason', 'an extension says why the case is kept');
      if (!request.until) throw ApplicationError.field('until', 'an extension gives the date of the next review');
      const until = reviewDay(request.until);
      if (!until) throw ApplicationError.field('until', 'must be a calendar date (YYYY-MM-DD)');
      const problem = reviewExtensionProblem(until, now);
      if (problem) throw ApplicationError.field('until', problem);
      // Recorded before it is applied: no decision takes effect unaudited.
      await this.audit.record(
        caller,
        {
          action: 'case.review-extended',
          objectType: 'case',
          objectId: reference,
          detail: `until ${until.toISOString().slice(0, 10)}`,
        },
        correlationId,
      );
      await this.reviews.decide(reference, 'extend', until, request.reason.trim(), caller, now);
    } else {
      if (review.status === 'closed')
        throw new ApplicationError(ErrorCode.CaseClosed, `case ${reference} is already closed: extend or erase it`);
      await this.audit.record(
        caller,
        { action: 'case.review-closed', objectType: 'case', objectId: reference },
        correlationId,
      );
      await this.lifecycle.close(reference, caller, correlationId);
      await this.reviews.decide(reference, 'close', null, request.reason?.trim() || null, caller, now);
    }
    return (await this.views([(await this.reviews.find(reference))!], now))[0];
  }

  async rules(caller: Caller): Promise<RetentionRulesView> {
    const [rules, defaultMonths] = await Promise.all([this.reviews.rules(caller.agency), this.reviews.defaultMonths()]);
    return {
      defaultMonths,
      rules: rules.map((rule) => ({
        crimeArea: rule.crime_area || null,
        reviewAfterMonths: rule.review_after_months,
        setAt: rule.set_at.toISOString(),
      })),
    };
  }

  async setRule(
    crimeArea: string | null,
    months: number,
    caller: Caller,
    correlationId: string,
  ): Promise<RetentionRulesView> {
    const area = this.crimeArea(crimeArea);
    const problem = reviewPeriodProblem(months);
    if (problem) throw ApplicationError.field('reviewAfterMonths', problem);
    await this.audit.record(
      caller,
      {
        action: 'retention.rule-set',
        objectType: 'agency',
        objectId: caller.agency,
        detail: `${area || 'all cases'}: ${months} months`,
      },
      correlationId,
    );
    await this.reviews.setRule(caller.agency, area, months, caller, new Date());
    return this.rules(caller);
  }

  async removeRule(crimeArea: string | null, caller: Caller, correlationId: string): Promise<RetentionRulesView> {
    const area = this.crimeArea(crimeArea);
    if (!(await this.reviews.rules(caller.agency)).some((rule) => rule.crime_area === area))
      throw new ApplicationError(
        ErrorCode.NotFound,
        `${caller.agency} has no review period for ${area || 'all cases'}`,
      );
    await this.audit.record(
      caller,
      { action: 'retention.rule-removed', objectType: 'agency', objectId: caller.agency, detail: area || 'all cases' },
      correlationId,
    );
    await this.reviews.removeRule(caller.agency, area);
    return this.rules(caller);
  }

  private crimeArea(given: string | null): string {
    if (given === null || given === '') return '';
    if (!CRIME_AREAS.includes(given as CrimeArea))
      throw ApplicationError.field('crimeArea', `must be one of ${CRIME_AREAS.join(', ')}, or absent for all cases`);
    return given;
  }

  /** The rows as their owner's supervisors see them, titles opened. */
  private async views(rows: ReviewRow[], now: Date): Promise<CaseReviewView[]> {
    const opened = await openCaseRows(
      this.keys,
      this.dataSource,
      rows.map((row) => ({ ...row, reference: row.case_reference })),
    );
    return opened.map((row) => ({
      reference: row.case_reference,
      title: row.title,
      crimeArea: row.crime_area,
      status: row.status,
      lastActivityAt: row.last_activity_at.toISOString(),
      reviewAfterMonths: row.review_after_months,
      reviewDueAt: row.review_due_at.toISOString(),
      overdue: row.review_due_at.getTime() <= now.getTime(),
      held: row.held,
      lastDecision: row.decision
        ? {
            decision: row.decision,
            extendedUntil: row.extended_until?.toISOString() ?? null,
            reason: row.reason,
          }
        : null,
    }));
  }
}
