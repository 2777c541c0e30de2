import { Injectable } from '@nestjs/common';
import { DeliveryRepository } from './delivery.repository';

/**
 * The first opening of a message by a recipient agency makes its delivery read; a repeated or late receipt never
 * moves an answered delivery back. Returns how many deliveries became read.
 */
@Injectable()
export class MarkReadUseCase {
  constructor(private readonly deliveries: DeliveryRepository) {}

  run(receipts: readonly { messageId: string; agency: string; readAt: Date }[]): Promise<number> {
    return this.deliveries.markRead(receipts);
  }
}
