import { timestampDate } from '@bufbuild/protobuf/wkt';
import { messageTypeCodec, Topics } from '@liaison/contracts';
import { utcDay } from '@liaison/domain';
import type { EventBatch } from '@liaison/messaging';
import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { volumeIncrements } from './volume-counts';
import { VolumeRepository } from './volume.repository';

@Controller()
export class VolumeConsumer {
  constructor(
    private readonly volumes: VolumeRepository,
    @InjectPinoLogger(VolumeConsumer.name) private readonly logger: PinoLogger,
  ) {}

  /** Counts every routed message on the UTC day it was submitted. */
  @EventPattern(Topics.messageRouted)
  async handle(@Payload() batch: EventBatch<typeof Topics.messageRouted>): Promise<void> {
    // A batch can hold the same event twice (a producer retry): count each event id once.
    const events = [...new Map(batch.events.map((e) => [e.eventId, e])).values()];
    const applied = await this.volumes.apply(
      events.map((e) => e.eventId),
      (fresh) =>
        volumeIncrements(
          events
            .filter((e) => fresh.has(e.eventId))
            .map(({ payload }) => ({
              day: utcDay(payload.submittedAt ? timestampDate(payload.submittedAt) : new Date()),
              sender: { agency: payload.sender?.code ?? '', country: payload.sender?.country ?? '' },
              recipients: payload.recipients.map((r) => ({ agency: r.code, country: r.country })),
              messageType: messageTypeCodec.fromProto(payload.type) ?? 'information',
              crimeArea: payload.crimeArea,
            })),
        ),
    );
    this.logger.debug({ partition: batch.partition, events: batch.events.length, applied }, 'batch counted');
  }
}
