import { Body, Controller, Delete, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentCaller, Roles, type Caller } from '../auth/caller';
import { CorrelationId } from '../http/correlation-id.decorator';
import { CaseErasureUseCase } from './case-erasure.usecase';
import { CaseRestrictions } from './case-restrictions';
import { referenceOf } from './case.controller';
import { EraseCaseDto, PlaceHoldDto } from './case.dto';
import { ErasureView, HoldView } from './case.views';

/**
 * Erasure, legal holds and restriction, for the owning agency's supervisors. Any other agency's case is a 404, as if it did
 * not exist.
 */
@ApiTags('cases')
@ApiBearerAuth()
@Controller('v1/cases')
@Roles('supervisor')
export class CaseErasureController {
  constructor(
    private readonly erasure: CaseErasureUseCase,
    private readonly restrictions: CaseRestrictions,
  ) {}

  /**
   * Erases the case: its key is destroyed at once, so nothing it said can be read anywhere from then on (Kafka's
   * log, backups, dead letters hold it only sealed under that key); then every service deletes its copies. The
   * answer says which have. A case under a legal hold is refused (409, naming the hold). Asking again is the same
   * erasure.
   */
  @Post(':reference/erasure')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: ErasureView })
  erase(
    @Param('reference') reference: string,
    @Body() body: EraseCaseDto,
    @CurrentCaller() caller: Caller,
    @CorrelationId() correlationId: string,
  ): Promise<ErasureView> {
    return this.erasure.erase(referenceOf(reference), body.ground, caller, correlationId);
  }

  /** How far the case's erasure has gone: which services have deleted their copies. */
  @Get(':reference/erasure')
  @Roles('supervisor', 'admin', 'data-protection-officer')
  @ApiOkResponse({ type: ErasureView })
  status(@Param('reference') reference: string, @CurrentCaller() caller: Caller): Promise<ErasureView> {
    return this.erasure.status(referenceOf(reference), caller);
  }

  /** Places a legal hold: the case cannot be erased until it is released. Audited. */
  @Post(':reference/hold')
  @ApiCreatedResponse({ type: HoldView })
  placeHold(
    @Param('reference') reference: string,
    @Body() body: PlaceHoldDto,
    @CurrentCaller() caller: Caller,
    @CorrelationId() correlationId: string,
  ): Promise<HoldView> {
    return this.erasure.placeHold(referenceOf(reference), body.reason, caller, correlationId);
  }

  /** Releases the legal hold. Audited. */
  @Delete(':reference/hold')
  @HttpCode(204)
  @ApiNoContentResponse()
  releaseHold(
    @Param('reference') reference: string,
    @CurrentCaller() caller: Caller,
    @CorrelationId() correlationId: string,
  ): Promise<void> {
    return this.erasure.releaseHold(referenceOf(reference), caller, correlationId);
  }

  /**
   * Restricts the case's processing (Art. 16(3)): kept, but it takes no part in matching (its matches are
   * withdrawn), takes no new messages, and only the owner's supervisors can read or list it. Audited. Asking again
   * changes nothing (200).
   */
  @Post(':reference/restriction')
  @ApiCreatedResponse({ type: HoldView, description: 'Restricted (200 when it already was)' })
  async restrict(
    @Param('reference') reference: string,
    @Body() body: PlaceHoldDto,
    @CurrentCaller() caller: Caller,
    @CorrelationId() correlationId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<HoldView> {
    const { view, placed } = await this.restrictions.restrict(
      referenceOf(reference),
      body.reason,
      caller,
      correlationId,
    );
    void reply.status(placed ? 201 : 200);
    return view;
  }

  /** Lifts the restriction: the case is listed, read and matched again. Audited; lifting again changes nothing. */
  @Delete(':reference/restriction')
  @HttpCode(204)
  @ApiNoContentResponse()
  lift(
    @Param('reference') reference: string,
    @CurrentCaller() caller: Caller,
    @CorrelationId() correlationId: string,
  ): Promise<void> {
    return this.restrictions.lift(referenceOf(reference), caller, correlationId);
  }
}
