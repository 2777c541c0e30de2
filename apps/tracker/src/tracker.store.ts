import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export const TRACKER_CONSUMER = 'tracker';

/** The tracker's writes: each batch's facts in one transaction, with the ids of the events it counted. */
@Injectable()
export class TrackerStore {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Runs `work` in one transaction with the ids of the events the tracker has not counted before, and
   * records them as counted in that transaction: a redelivered batch adds nothing. Returns how many were new.
   */
  async once(
    eventIds: readonly string[],
    work: (manager: EntityManager, fresh: ReadonlySet<string>) => Promise<void>,
  ): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows: { event_id: string }[] = await manager.query(
        `INSERT INTO processed_events (consumer, event_id)
         SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING RETURNING event_id`,
        [TRACKER_CONSUMER, [...new Set(eventIds)]],
      );
      const fresh = new Set(rows.map((row) => row.event_id));
      if (fresh.size > 0) await work(manager, fresh);
      return fresh.size;
    });
  }
}
