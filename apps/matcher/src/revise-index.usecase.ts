import { Topics } from '@liaison/contracts';
import { EventPublisher } from '@liaison/messaging';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { IndexMessagesUseCase } from './index-messages.usecase';
import { MatchWithdrawalRepository } from './match-withdrawal.repository';
import { withdrawal } from './withdraw-erased-matches.usecase';

/**
 * A message's entity corrected or removed by its sender: the keys its case holds for that agency are derived
 * again from every message the agency sent in the case. Keys no longer given go, with every match built on them
 * (the other side is told the match was withdrawn, nothing more, before the rows go); keys newly given are indexed
 * and matched as any new message's are. Deriving again changes nothing.
 */
@Injectable()
export class ReviseIndexUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly held: MatchWithdrawalRepository,
    private readonly indexMessages: IndexMessagesUseCase,
    private readonly publisher: EventPublisher,
  ) {}

  async execute(
    revisions: readonly { caseReference: string; agency: string }[],
    now = new Date(),
  ): Promise<{ withdrawn: number; indexed: number }> {
    let withdrawn = 0;
    let indexed = 0;
    const seen = new Set<string>();
    for (const { caseReference, agency } of revisions) {
      if (seen.has(`${caseReference}\n${agency}`)) continue;
      seen.add(`${caseReference}\n${agency}`);
      const ids: { id: string }[] = await this.dataSource.query(
        'SELECT id FROM messages WHERE case_reference = $1 AND sender_agency = $2 ORDER BY routed_at, id',
        [caseReference, agency],
      );
      // Read and derived once: the keys they give now decide what goes, and are what is indexed.
      const messages = (await this.indexMessages.contentsOf(ids.map((row) => row.id))).map((content) =>
        this.indexMessages.indexed(content),
      );
      const given = new Set(messages.flatMap((m) => m.keys.map((k) => k.key)));
      const gone = (await this.held.heldKeys(caseReference, agency)).filter((key) => !given.has(key));
      if (gone.length > 0) {
        const told = (await this.held.matchesOnKeys(caseReference, agency, gone)).filter((m) => m.announced);
        await this.publisher.publish(
          Topics.matchUpdated,
          told.map((match) => withdrawal(match, caseReference, now)),
        );
        await this.held.dropKeys(caseReference, agency, gone);
        withdrawn += told.length;
      }
      indexed += (await this.indexMessages.indexMessages(messages, now)).indexed;
    }
    return { withdrawn, indexed };
  }
}
