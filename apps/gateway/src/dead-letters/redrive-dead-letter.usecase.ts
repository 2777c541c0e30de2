import { Topics, type TopicName } from '@liaison/contracts';
import { Injectable } from '@nestjs/common';
import { AuditTrail } from '../audit/audit-trail';
import type { Caller } from '../auth/caller';
import { CommandPublisher } from '../application/command-publisher';
import { ApplicationError, ErrorCode } from '../application/application-error';
import { DeadLetterRepository, type DeadLetterRow } from './dead-letter.repository';

const TOPICS = new Set<string>(Object.values(Topics));

/**
 * Publishes a dead letter's record again, exactly as it was, to the topic it failed on, once its cause is
 * mended: every consumer group reads it again and each applies it once (they deduplicate on the event id).
 * A submitted message's UNPROCESSABLE rejection is withdrawn in the same step, so the router routes it now.
 */
@Injectable()
export class RedriveDeadLetterUseCase {
  constructor(
    private readonly deadLetters: DeadLetterRepository,
    private readonly commands: CommandPublisher,
    private readonly audit: AuditTrail,
  ) {}

  async execute(id: string, caller: Caller, correlationId: string): Promise<DeadLetterRow> {
    const redriven = await this.deadLetters.redrive(id, caller.id, async (row, record) => {
      if (!TOPICS.has(row.source_topic) || !record.value) {
        throw new ApplicationError(
          ErrorCode.NotResendable,
          `dead letter ${id} cannot be re-driven: ${record.value ? `${row.source_topic} is not a Liaison topic` : 'its record has no value'}`,
        );
      }
      await this.audit.record(
        caller,
        {
          action: 'dead-letter.redriven',
          objectType: 'dead-letter',
          objectId: id,
          detail: `${row.source_topic} for ${row.consumer_group}`,
        },
        correlationId,
      );
      await this.commands.republish(row.source_topic as TopicName, [
        { key: record.key?.toString('utf8') ?? '', value: record.value, headers: record.headers },
      ]);
    });
    if (!redriven) throw new ApplicationError(ErrorCode.NotFound, `no dead letter ${id}`);
    return redriven;
  }
}
