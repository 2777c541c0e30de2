import { eventTime, Topics } from '@liaison/contracts';
import type { EventBatch } from '@liaison/messaging';
import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { LinkMatchedCasesUseCase, type LinkedCases } from './link-matched-cases.usecase';

/** Matches both owners have released link their cases (see `LinkMatchedCasesUseCase`). */
@Controller()
export class CaseLinkConsumer {
  constructor(
    private readonly linkCases: LinkMatchedCasesUseCase,
    @InjectPinoLogger(CaseLinkConsumer.name) private readonly logger: PinoLogger,
  ) {}

  @EventPattern(Topics.matchUpdated)
  async updated(@Payload() batch: EventBatch<typeof Topics.matchUpdated>): Promise<void> {
    const links = batch.events.flatMap(({ payload: p, recordedAt }): LinkedCases[] =>
      p.linked && p.a && p.b ? [{ a: p.a, b: p.b, at: eventTime(p.updatedAt, recordedAt) }] : [],
    );
    if (links.length === 0) return;
    await this.linkCases.run(links);
    this.logger.info({ links: links.length }, 'matched cases linked');
  }
}
