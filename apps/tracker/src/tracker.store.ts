import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export const TRACKER_CONSUMER = 'tracker';

type Work = (manager: EntityManager, fresh: ReadonlySet<string>) => Promise<void>;

interface Pending {
  eventIds: readonly string[];
  work: Work;
  resolve: (counted: number) => void;
  reject: (error: unknown) => void;
}

/**
 * The tracker's writes: each batch's facts in a transaction, with the ids of the events it counted.
 *
 * The store is the aggregates' only writer. Batches from every partition and topic are applied one transaction
 * at a time, and those that arrive while one is being applied go together into the next. Batches of one period
 * add to the same aggregate rows: applied in transactions of their own at once, each would wait for the other's
 * row locks until it commits. One after another, none waits, and the consumers prepare their next batches
 * meanwhile.
 */
@Injectable()
export class TrackerStore {
  private readonly queue: Pending[] = [];
  private applying = false;

  constructor(private readonly dataSource: DataSource) {}

  /**
   * Runs `work` in a transaction with the ids of the events the tracker has not counted before, and records
   * them as counted in that transaction: a redelivered batch adds nothing. Returns how many were new. The
   * transaction may hold other batches' work too; if it fails, each batch is applied again alone, so that one
   * batch's failure is never another's.
   */
  once(eventIds: readonly string[], work: Work): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ eventIds, work, resolve, reject });
      void this.applyQueued();
    });
  }

  private async applyQueued(): Promise<void> {
    if (this.applying) return;
    this.applying = true;
    try {
      while (this.queue.length > 0) {
        const group = this.queue.splice(0);
        try {
          const counted = await this.apply(group);
          group.forEach((pending, i) => pending.resolve(counted[i]));
        } catch (error) {
          if (group.length === 1) group[0].reject(error);
          else for (const pending of group) await this.apply([pending]).then(([alone]) => pending.resolve(alone), pending.reject);
        }
      }
    } finally {
      this.applying = false;
    }
  }

  private apply(group: readonly Pending[]): Promise<number[]> {
    return this.dataSource.transaction(async (manager) => {
      const counted: number[] = [];
      for (const { eventIds, work } of group) {
        const rows: { event_id: string }[] = await manager.query(
          `INSERT INTO processed_events (consumer, event_id)
           SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING RETURNING event_id`,
          [TRACKER_CONSUMER, [...new Set(eventIds)]],
        );
        const fresh = new Set(rows.map((row) => row.event_id));
        if (fresh.size > 0) await work(manager, fresh);
        counted.push(fresh.size);
      }
      return counted;
    });
  }
}
