import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { VolumeIncrements } from './volume-counts';

export const TRACKER_CONSUMER = 'tracker';

/** The tracker's writes: dedupe and aggregate increments in one transaction per batch. */
@Injectable()
export class VolumeRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Applies the increments computed from the events that are new to the tracker. `increments` is called
   * with the ids of those events inside the transaction, so a redelivered batch adds nothing.
   */
  async apply(eventIds: string[], increments: (fresh: Set<string>) => VolumeIncrements): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows: { event_id: string }[] = await manager.query(
        `INSERT INTO processed_events (consumer, event_id)
         SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING RETURNING event_id`,
        [TRACKER_CONSUMER, eventIds],
      );
      const fresh = new Set(rows.map((row) => row.event_id));
      if (fresh.size === 0) return 0;
      const { pairs, sent, exchanges } = increments(fresh);
      if (sent.length > 0) {
        await manager.query(
          `INSERT INTO volume_sent_daily (day, sender_country, messages)
           SELECT * FROM unnest($1::date[], $2::text[], $3::bigint[])
           ON CONFLICT (day, sender_country) DO UPDATE SET messages = volume_sent_daily.messages + EXCLUDED.messages`,
          [sent.map((r) => r.day), sent.map((r) => r.senderCountry), sent.map((r) => r.messages)],
        );
      }
      if (pairs.length > 0) {
        await manager.query(
          `INSERT INTO volume_daily (day, sender_country, recipient_country, messages)
           SELECT * FROM unnest($1::date[], $2::text[], $3::text[], $4::bigint[])
           ON CONFLICT (day, sender_country, recipient_country) DO UPDATE SET messages = volume_daily.messages + EXCLUDED.messages`,
          [pairs.map((r) => r.day), pairs.map((r) => r.senderCountry), pairs.map((r) => r.recipientCountry), pairs.map((r) => r.messages)],
        );
      }
      if (exchanges.length > 0) {
        await manager.query(
          `INSERT INTO report_exchanges_daily AS t (day, agency, direction, partner_country, message_type, crime_area, messages, agency_messages, partner_messages, country_messages)
           SELECT * FROM unnest($1::date[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::bigint[], $9::bigint[], $10::bigint[])
           ON CONFLICT (day, agency, direction, partner_country, message_type, crime_area) DO UPDATE
           SET messages = t.messages + EXCLUDED.messages, agency_messages = t.agency_messages + EXCLUDED.agency_messages,
               partner_messages = t.partner_messages + EXCLUDED.partner_messages, country_messages = t.country_messages + EXCLUDED.country_messages`,
          [
            exchanges.map((r) => r.day),
            exchanges.map((r) => r.agency),
            exchanges.map((r) => r.direction),
            exchanges.map((r) => r.partnerCountry),
            exchanges.map((r) => r.messageType),
            exchanges.map((r) => r.crimeArea),
            exchanges.map((r) => r.messages),
            exchanges.map((r) => r.agencyMessages),
            exchanges.map((r) => r.partnerMessages),
            exchanges.map((r) => r.countryMessages),
          ],
        );
      }
      return fresh.size;
    });
  }
}
