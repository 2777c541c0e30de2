import { jobConnection } from '@liaison/messaging';
import type { Redis } from 'ioredis';

/** The Redis connections a notifier part opens for BullMQ, which leaves connections it was given open. */
export class JobConnections {
  private readonly opened: Redis[] = [];

  constructor(private readonly url: string) {}

  open(): Redis {
    const connection = jobConnection(this.url, 'worker');
    this.opened.push(connection);
    return connection;
  }

  /** Closes them all, after the queues and workers using them. */
  close(): void {
    for (const connection of this.opened) connection.disconnect();
  }
}
