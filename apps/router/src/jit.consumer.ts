import { eventTime, Topics } from '@liaison/contracts';
import type { EventBatch } from '@liaison/messaging';
import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { ApplyJitChangesUseCase } from './apply-jit-changes.usecase';

/** JIT changes, in the order they were made (the record key is the JIT id). */
@Controller()
export class JitConsumer {
  constructor(
    private readonly applyChanges: ApplyJitChangesUseCase,
    @InjectPinoLogger(JitConsumer.name) private readonly logger: PinoLogger,
  ) {}

  @EventPattern(Topics.jitChanged)
  async handle(@Payload() batch: EventBatch<typeof Topics.jitChanged>): Promise<void> {
    const { applied, unknown } = await this.applyChanges.run(
      batch.events.map(({ payload, recordedAt }) => ({ change: payload, at: eventTime(payload.at, recordedAt) })),
    );
    if (unknown > 0) this.logger.warn({ ignored: unknown }, 'JIT change naming an agency not in the register; ignored');
    this.logger.debug({ events: batch.events.length, applied }, 'JIT changes applied');
  }
}
