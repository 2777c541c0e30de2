import { queryReturning } from '@liaison/persistence';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** The router's writes of deliveries' states after routing. */
@Injectable()
export class DeliveryRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Marks deliveries as read by their recipient agency. Only a delivered message becomes read: a repeated
   * or late receipt never moves an answered delivery back, so applying receipts twice changes nothing.
   */
  async markRead(receipts: readonly { messageId: string; agency: string; readAt: Date }[]): Promise<number> {
    if (receipts.length === 0) return 0;
    const rows = await queryReturning(
      this.dataSource,
      `UPDATE deliveries d SET state = 'read', read_at = r.read_at
         FROM unnest($1::uuid[], $2::text[], $3::timestamptz[]) AS r(message_id, agency, read_at)
        WHERE d.message_id = r.message_id AND d.recipient_agency = r.agency AND d.state = 'delivered'
        RETURNING d.message_id`,
      [receipts.map((r) => r.messageId), receipts.map((r) => r.agency), receipts.map((r) => r.readAt)],
    );
    return rows.length;
  }
}
