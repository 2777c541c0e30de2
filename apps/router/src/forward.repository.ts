import type { Classification, HandlingCode } from '@liaison/domain';
import { queryReturning } from '@liaison/persistence';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

/** A forwarded message as the router checks it: its sender, case, codes and recipients. */
export interface ForwardedMessage {
  senderAgency: string;
  caseReference: string;
  handlingCode: HandlingCode;
  classification: Classification;
  recipients: string[];
}

/** A forward as stored: delivered at once, or pending the provider's permission. */
export interface StoredForward {
  forwardId: string;
  messageId: string;
  providerAgency: string;
  fromAgency: string;
  toAgency: string;
  state: 'pending' | 'delivered';
  requestedByKeyId: string;
  requestedAt: Date;
}

/** A pending forward a provider decided, with its message's case. */
export interface DecidedForward {
  messageId: string;
  toAgency: string;
  fromAgency: string;
  caseReference: string;
}

/**
 * The router's writes for forwards (`forwards`, and the deliveries and case participants a forward adds). The
 * forward id is the key: storing or deciding a forward twice changes nothing.
 */
@Injectable()
export class ForwardRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async message(manager: EntityManager, id: string): Promise<ForwardedMessage | null> {
    const rows: {
      sender_agency: string;
      case_reference: string;
      handling_code: HandlingCode;
      classification: Classification;
      recipients: string[];
    }[] = await manager.query(
      `SELECT m.sender_agency, m.case_reference, m.handling_code, m.classification, array_agg(d.recipient_agency) AS recipients
         FROM messages m JOIN deliveries d ON d.message_id = m.id WHERE m.id = $1 GROUP BY m.id`,
      [id],
    );
    const row = rows[0];
    return row
      ? {
          senderAgency: row.sender_agency,
          caseReference: row.case_reference,
          handlingCode: row.handling_code,
          classification: row.classification,
          recipients: row.recipients,
        }
      : null;
  }

  /** Stores a forward; false when it was stored before. */
  async store(manager: EntityManager, forward: StoredForward): Promise<boolean> {
    const inserted: unknown[] = await manager.query(
      `INSERT INTO forwards (id, message_id, provider_agency, from_agency, to_agency, state, requested_by_key_id, requested_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING id`,
      [
        forward.forwardId,
        forward.messageId,
        forward.providerAgency,
        forward.fromAgency,
        forward.toAgency,
        forward.state,
        forward.requestedByKeyId,
        forward.requestedAt,
      ],
    );
    return inserted.length > 0;
  }

  /**
   * Decides a pending forward of the provider's; null when there is none (decided before, or another agency's).
   */
  async decide(
    manager: EntityManager,
    decision: { forwardId: string; providerAgency: string; granted: boolean; decidedByKeyId: string; decidedAt: Date },
  ): Promise<DecidedForward | null> {
    const rows = await queryReturning<{
      message_id: string;
      to_agency: string;
      from_agency: string;
      case_reference: string;
    }>(
      manager,
      `UPDATE forwards f SET state = $3, decided_at = $4, decided_by_key_id = $5
         FROM messages m
        WHERE f.id = $1 AND f.provider_agency = $2 AND f.state = 'pending' AND m.id = f.message_id
        RETURNING f.message_id, f.to_agency, f.from_agency, m.case_reference`,
      [
        decision.forwardId,
        decision.providerAgency,
        decision.granted ? 'granted' : 'denied',
        decision.decidedAt,
        decision.decidedByKeyId,
      ],
    );
    const row = rows[0];
    return row
      ? {
          messageId: row.message_id,
          toAgency: row.to_agency,
          fromAgency: row.from_agency,
          caseReference: row.case_reference,
        }
      : null;
  }

  /** A forwarded copy: delivered to the new agency, which takes part in the case from then on; no deadline. */
  async deliver(
    manager: EntityManager,
    copy: { messageId: string; caseReference: string; toAgency: string; fromAgency: string; at: Date },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO deliveries (message_id, recipient_agency, state, delivered_at, forwarded_by) VALUES ($1, $2, 'delivered', $3, $4) ON CONFLICT DO NOTHING`,
      [copy.messageId, copy.toAgency, copy.at, copy.fromAgency],
    );
    await manager.query(
      'INSERT INTO case_participants (case_reference, agency_code, joined_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [copy.caseReference, copy.toAgency, copy.at],
    );
  }
}
