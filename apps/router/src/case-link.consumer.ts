import { timestampDate } from '@bufbuild/protobuf/wkt';
import { Topics } from '@liaison/contracts';
import type { EventBatch } from '@liaison/messaging';
import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';

/**
 * Linked cases: when both owners of a match have released their details, each owner takes part in the other's
 * case, so they can exchange messages in either. Adding a participant twice changes nothing.
 */
@Controller()
export class CaseLinkConsumer {
  constructor(
    private readonly dataSource: DataSource,
    @InjectPinoLogger(CaseLinkConsumer.name) private readonly logger: PinoLogger,
  ) {}

  @EventPattern(Topics.matchUpdated)
  async updated(@Payload() batch: EventBatch<typeof Topics.matchUpdated>): Promise<void> {
    const links = batch.events.map((e) => e.payload).filter((p) => p.linked && p.a && p.b);
    if (links.length === 0) return;
    const rows = links.flatMap((p) => {
      const at = p.updatedAt ? timestampDate(p.updatedAt) : new Date();
      return [
        { caseReference: p.a!.caseReference, agency: p.b!.agency, at },
        { caseReference: p.b!.caseReference, agency: p.a!.agency, at },
      ];
    });
    // Only cases the router holds (a match is always between routed cases).
    await this.dataSource.query(
      `INSERT INTO case_participants (case_reference, agency_code, joined_at)
       SELECT p.case_reference, p.agency, p.at FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS p(case_reference, agency, at)
        WHERE EXISTS (SELECT 1 FROM cases c WHERE c.reference = p.case_reference)
       ON CONFLICT DO NOTHING`,
      [rows.map((r) => r.caseReference), rows.map((r) => r.agency), rows.map((r) => r.at)],
    );
    this.logger.info({ links: links.length }, 'matched cases linked');
  }
}
