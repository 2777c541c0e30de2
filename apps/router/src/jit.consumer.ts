import { Topics, type JitChanged, eventTime } from '@liaison/contracts';
import type { EventBatch } from '@liaison/messaging';
import { AgencyRepository } from '@liaison/persistence';
import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { JitRepository } from './jit.repository';

@Controller()
export class JitConsumer {
  constructor(
    private readonly jits: JitRepository,
    private readonly agencies: AgencyRepository,
    @InjectPinoLogger(JitConsumer.name) private readonly logger: PinoLogger,
  ) {}

  /** Applies JIT changes in the order they were made (the record key is the JIT id). */
  @EventPattern(Topics.jitChanged)
  async handle(@Payload() batch: EventBatch<typeof Topics.jitChanged>): Promise<void> {
    const register = await this.agencies.findMany(
      [...new Set(batch.events.flatMap(({ payload }) => agenciesNamed(payload)))],
      { fresh: true },
    );
    const known = batch.events.filter(({ payload }) => agenciesNamed(payload).every((code) => register.has(code)));
    if (known.length < batch.events.length)
      this.logger.warn(
        { ignored: batch.events.length - known.length },
        'JIT change naming an agency not in the register; ignored',
      );
    const applied = await this.jits.apply(
      known.map(({ payload, recordedAt }) => ({ change: payload, at: eventTime(payload.at, recordedAt) })),
    );
    this.logger.debug({ events: batch.events.length, applied }, 'JIT changes applied');
  }
}

/** Every agency a change names; all must be in the register for it to apply. */
function agenciesNamed(event: JitChanged): string[] {
  const change = event.change;
  if (change.case === 'created') return [event.byAgency, ...change.value.parties.flatMap((p) => p.agencies)];
  if (change.case === 'memberAdded') return [event.byAgency, change.value.agency];
  return [event.byAgency];
}
