import { queryReturning } from '@liaison/persistence';
import {
  forwardNeedsPermission,
  forwardProblem,
  mayReceive,
  type Classification,
  type HandlingCode,
} from '@liaison/domain';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export interface ForwardRequest {
  forwardId: string;
  messageId: string;
  fromAgency: string;
  toAgency: string;
  requestedByKeyId: string;
  requestedAt: Date;
}

export interface PermissionDecision {
  forwardId: string;
  providerAgency: string;
  granted: boolean;
  decidedByKeyId: string;
  decidedAt: Date;
}

interface ForwardedMessage {
  sender_agency: string;
  case_reference: string;
  handling_code: HandlingCode;
  classification: Classification;
  recipients: string[];
}

/**
 * The router's writes for forwards: a forward is delivered at once, or held for the provider's permission
 * (H2); a granted permission delivers it. Each is checked again here against the router's own state, and
 * applying an event twice changes nothing (the forward id is the key).
 */
@Injectable()
export class ForwardRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Applies forwards in order; returns the ids refused (the gateway's checks raced with a change). */
  requested(forwards: ForwardRequest[], isKnown: (code: string) => Classification | undefined): Promise<string[]> {
    return this.dataSource.transaction(async (manager) => {
      const refused: string[] = [];
      for (const forward of forwards) {
        const message = await this.message(manager, forward.messageId);
        const clearance = isKnown(forward.toAgency);
        const allowed =
          message !== null &&
          message.recipients.includes(forward.fromAgency) &&
          forwardProblem({ senderAgency: message.sender_agency, recipients: message.recipients }, forward.toAgency) ===
            null &&
          clearance !== undefined &&
          mayReceive(clearance, message.classification);
        if (!allowed) {
          refused.push(forward.forwardId);
          continue;
        }
        const state = forwardNeedsPermission(message.handling_code) ? 'pending' : 'delivered';
        const inserted: unknown[] = await manager.query(
          `INSERT INTO forwards (id, message_id, provider_agency, from_agency, to_agency, state, requested_by_key_id, requested_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING id`,
          [
            forward.forwardId,
            forward.messageId,
            message.sender_agency,
            forward.fromAgency,
            forward.toAgency,
            state,
            forward.requestedByKeyId,
            forward.requestedAt,
          ],
        );
        if (inserted.length > 0 && state === 'delivered')
          await this.deliver(
            manager,
            forward.messageId,
            message.case_reference,
            forward.toAgency,
            forward.fromAgency,
            forward.requestedAt,
          );
      }
      return refused;
    });
  }

  /** Applies the providers' decisions; a granted forward is delivered. Returns how many were decided. */
  decided(decisions: PermissionDecision[]): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      let applied = 0;
      for (const decision of decisions) {
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
        const forward = rows[0];
        if (!forward) continue;
        applied += 1;
        if (decision.granted)
          await this.deliver(
            manager,
            forward.message_id,
            forward.case_reference,
            forward.to_agency,
            forward.from_agency,
            decision.decidedAt,
          );
      }
      return applied;
    });
  }

  private async message(manager: EntityManager, id: string): Promise<ForwardedMessage | null> {
    const rows: ForwardedMessage[] = await manager.query(
      `SELECT m.sender_agency, m.case_reference, m.handling_code, m.classification, array_agg(d.recipient_agency) AS recipients
         FROM messages m JOIN deliveries d ON d.message_id = m.id WHERE m.id = $1 GROUP BY m.id`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** A forwarded copy: delivered to the new agency, which takes part in the case from then on; no deadline. */
  private async deliver(
    manager: EntityManager,
    messageId: string,
    caseReference: string,
    to: string,
    by: string,
    at: Date,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO deliveries (message_id, recipient_agency, state, delivered_at, forwarded_by) VALUES ($1, $2, 'delivered', $3, $4) ON CONFLICT DO NOTHING`,
      [messageId, to, at, by],
    );
    await manager.query(
      'INSERT INTO case_participants (case_reference, agency_code, joined_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [caseReference, to, at],
    );
  }
}
