import { CASE_STATUSES, isValidCaseReference } from '@liaison/domain';
import { AgencyRepository } from '@liaison/persistence';
import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ErrorCode } from '../application/application-error';
import { CurrentCaller, Roles, SessionOnly, type PersonCaller } from '../auth/caller';
import { CaseListQueryDto } from '../cases/case.dto';
import { ReadCaseUseCase } from '../cases/read-case.usecase';
import { ApiProblem } from '../http/problem';
import { ConsolePages } from './console-pages';
import { CASE_STATUS_WORDS } from './console-words';

/** Cases: the list the agency takes part in, and one case with its thread. */
@ApiExcludeController()
@Controller('console/cases')
@SessionOnly()
@Roles('officer', 'supervisor')
export class ConsoleCasesController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly reading: ReadCaseUseCase,
    private readonly agencies: AgencyRepository,
  ) {}

  @Get()
  async list(
    @Query() query: CaseListQueryDto,
    @CurrentCaller() caller: PersonCaller,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const page = await this.reading.list(query, caller);
    const status = query.status;
    await this.pages.render(reply, caller, 'cases', 'cases', {
      title: 'Cases',
      page,
      statuses: [
        { value: '', text: 'Any', selected: !status },
        ...CASE_STATUSES.map((value) => ({ value, text: CASE_STATUS_WORDS[value], selected: value === status })),
      ],
      next: page.nextCursor
        ? `/console/cases?${new URLSearchParams({ ...(status ? { status } : {}), cursor: page.nextCursor }).toString()}`
        : null,
      first: query.cursor ? `/console/cases${status ? `?status=${status}` : ''}` : null,
    });
  }

  /** A case its agency takes part in; any other reference is the 404 page, whether or not the case exists. */
  @Get(':reference')
  async case(
    @Param('reference') reference: string,
    @CurrentCaller() caller: PersonCaller,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    if (!isValidCaseReference(reference)) throw new ApiProblem(ErrorCode.NotFound, 'no such page');
    const found = await this.reading.get(reference, caller);
    const agencies = await this.agencies.findMany([...found.participants, ...found.messages.map((m) => m.sender)]);
    const nameOf = (code: string) => agencies.get(code)?.name ?? code;
    await this.pages.render(reply, caller, 'cases', 'case', {
      title: found.title ?? found.reference,
      found,
      participants: found.participants.map((code) => ({ code, name: nameOf(code) })),
      thread: found.messages.map((m) => ({
        ...m,
        senderName: nameOf(m.sender),
        mine: m.sender === caller.agency,
        receipts: m.receipts.map((r) => ({ ...r, name: nameOf(r.agency) })),
      })),
    });
  }
}
