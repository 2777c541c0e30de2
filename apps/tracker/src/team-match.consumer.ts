import { candidateStateCodec, matchStrengthCodec, releaseDecisionCodec, Topics, eventTime } from '@liaison/contracts';
import type { EventBatch } from '@liaison/messaging';
import { AgencyRepository } from '@liaison/persistence';
import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import type { MatchEvent } from '@liaison/domain';
import { CountJitChangesUseCase, type CountryOf } from './count-jit-changes.usecase';
import { CountMatchEventsUseCase } from './count-match-events.usecase';

/** Counts matches (found, decided) and joint investigation teams (created, extended, members, meetings). */
@Controller()
export class TeamMatchConsumer {
  constructor(
    private readonly countMatches: CountMatchEventsUseCase,
    private readonly countJits: CountJitChangesUseCase,
    private readonly agencies: AgencyRepository,
    @InjectPinoLogger(TeamMatchConsumer.name) private readonly logger: PinoLogger,
  ) {}

  @EventPattern(Topics.matchFound)
  async matchFound(@Payload() batch: EventBatch<typeof Topics.matchFound>): Promise<void> {
    await this.matchEvents(
      batch,
      (p, side, recordedAt) =>
        ({
          kind: 'found',
          matchId: p.matchId,
          entityType: p.entityType,
          strength: matchStrengthCodec.fromProto(p.strength),
          ...side,
          foundAt: eventTime(p.foundAt, recordedAt),
        }) as const,
    );
  }

  @EventPattern(Topics.matchUpdated)
  async matchUpdated(@Payload() batch: EventBatch<typeof Topics.matchUpdated>): Promise<void> {
    await this.matchEvents(batch, (p, side, recordedAt) => ({
      kind: 'updated',
      matchId: p.matchId,
      entityType: p.entityType,
      strength: matchStrengthCodec.fromProto(p.strength),
      ...side,
      updatedAt: eventTime(p.updatedAt, recordedAt),
      decisionA: releaseDecisionCodec.fromProto(p.decisionA) ?? 'pending',
      decisionB: releaseDecisionCodec.fromProto(p.decisionB) ?? 'pending',
      candidateState: candidateStateCodec.fromProto(p.candidateState),
    }));
  }

  @EventPattern(Topics.jitChanged)
  async jitChanged(@Payload() batch: EventBatch<typeof Topics.jitChanged>): Promise<void> {
    const countryOf = await this.countries(
      batch.events.flatMap(({ payload }) => [
        payload.byAgency,
        ...(payload.change.case === 'meetingRecorded' ? payload.change.value.participants : []),
      ]),
    );
    const counted = await this.countJits.run(
      batch.events.map(({ eventId, payload, recordedAt }) => ({
        eventId,
        change: payload,
        at: eventTime(payload.at, recordedAt),
      })),
      countryOf,
    );
    this.logger.debug({ partition: batch.partition, events: batch.events.length, counted }, 'team changes counted');
  }

  private async matchEvents<T extends typeof Topics.matchFound | typeof Topics.matchUpdated>(
    batch: EventBatch<T>,
    toEvent: (
      payload: EventBatch<T>['events'][number]['payload'],
      sides: Pick<MatchEvent, 'a' | 'b'>,
      recordedAt: Date,
    ) => MatchEvent,
  ): Promise<void> {
    const countryOf = await this.countries(
      batch.events.flatMap(({ payload }) => [payload.a?.agency ?? '', payload.b?.agency ?? '']),
    );
    const side = (agency: string) => ({ agency, country: countryOf(agency) });
    const counted = await this.countMatches.run(
      batch.events.map(({ eventId, payload, recordedAt }) => ({
        eventId,
        ...toEvent(payload, { a: side(payload.a?.agency ?? ''), b: side(payload.b?.agency ?? '') }, recordedAt),
      })),
    );
    this.logger.debug({ partition: batch.partition, events: batch.events.length, counted }, 'match events counted');
  }

  private async countries(agencies: string[]): Promise<CountryOf> {
    const found = await this.agencies.findMany([...new Set(agencies.filter((a) => a !== ''))]);
    return (agency) => found.get(agency)?.country ?? '';
  }
}
