import type { NotificationDocument, NotificationDraft, NotificationEvent, OpenRequestFacts } from '@liaison/domain';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';

/** A delivery still to be made, as its job is named. */
export interface PendingDelivery {
  id: string;
  resends: number;
  /** What its notification is about (a match, a review, a message). */
  sourceId: string;
}

/** What one delivery attempt needs: where, with which secret, and the notification as the API shows it. */
export interface DeliveryWork {
  id: string;
  state: string;
  /** Attempts made so far (since it was created or re-sent). */
  attempts: number;
  url: string;
  secret: string;
  removed: boolean;
  notification: NotificationDocument;
}

/**
 * The notifier's state in PostgreSQL: notifications and their webhook deliveries. A batch of notifications
 * and the deliveries they call for are written in one transaction; notifications are unique per agency,
 * event and source, so an event handled twice adds nothing.
 */
@Injectable()
export class NotificationRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Stores the notifications and a delivery for each subscribed endpoint; returns every delivery of theirs still pending. */
  async record(drafts: NotificationDraft[], now: Date): Promise<PendingDelivery[]> {
    if (drafts.length === 0) return [];
    return this.dataSource.transaction(async (manager) => {
      const ids: { id: string }[] = await manager.query(
        `WITH drafts AS (
           SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::jsonb[]) AS d(id, agency, event, source_id, payload)
         ), inserted AS (
           INSERT INTO notifications (id, agency, event, source_id, payload, created_at)
           SELECT id, agency, event, source_id, payload, $6 FROM drafts
           ON CONFLICT ON CONSTRAINT uq_notifications_source DO NOTHING RETURNING id
         )
         SELECT id FROM inserted
         UNION
         SELECT n.id FROM notifications n JOIN drafts d ON (n.agency, n.event, n.source_id) = (d.agency, d.event, d.source_id)`,
        [
          drafts.map(() => randomUUID()),
          drafts.map((d) => d.agency),
          drafts.map((d) => d.event),
          drafts.map((d) => d.sourceId),
          drafts.map((d) => JSON.stringify(d.payload)),
          now,
        ],
      );
      const notificationIds = ids.map((r) => r.id);
      await manager.query(
        `INSERT INTO webhook_deliveries (id, endpoint_id, notification_id, agency, event, state, created_at)
         SELECT gen_random_uuid(), e.id, n.id, n.agency, n.event, 'pending', $2
           FROM notifications n JOIN webhook_endpoints e ON e.agency = n.agency AND n.event = ANY(e.events) AND e.removed_at IS NULL
          WHERE n.id = ANY($1::uuid[]) AND e.created_at <= n.created_at
          ORDER BY n.id, e.id
         ON CONFLICT ON CONSTRAINT uq_webhook_deliveries_notification DO NOTHING`,
        [notificationIds, now],
      );
      return manager.query(
        `SELECT d.id, d.resends, n.source_id AS "sourceId"
           FROM webhook_deliveries d JOIN notifications n ON n.id = d.notification_id
          WHERE d.notification_id = ANY($1::uuid[]) AND d.state = 'pending'`,
        [notificationIds],
      );
    });
  }

  /**
   * Requests still waiting for an answer whose deadline is ahead or passed within the last two days: their
   * deadline checks, for scheduling again when Redis lost its jobs (a check already made notifies no one twice).
   */
  unansweredRequests(limit: number): Promise<{ messageId: string; sentAt: Date; deadline: Date }[]> {
    return this.dataSource.query(
      `SELECT d.message_id AS "messageId", m.submitted_at AS "sentAt", min(d.answer_deadline) AS deadline
         FROM deliveries d JOIN messages m ON m.id = d.message_id
        WHERE d.answered_at IS NULL AND d.answer_deadline > now() - interval '2 days'
        GROUP BY d.message_id, m.submitted_at
        ORDER BY min(d.answer_deadline) LIMIT $1`,
      [limit],
    );
  }

  /** Deliveries waiting to be made (for re-queueing after a restart, should a job have been lost). */
  pending(limit: number): Promise<PendingDelivery[]> {
    return this.dataSource.query(
      `SELECT d.id, d.resends, n.source_id AS "sourceId"
         FROM webhook_deliveries d JOIN notifications n ON n.id = d.notification_id
        WHERE d.state = 'pending' ORDER BY d.created_at LIMIT $1`,
      [limit],
    );
  }

  /**
   * Deletes the notifications that name the case as an agency's own or as a message's (the notices of its erasure
   * stay), with their webhook deliveries; returns the deliveries, whose queued jobs go too.
   */
  async forgetCase(caseReference: string): Promise<{ id: string; resends: number }[]> {
    return this.dataSource.transaction(async (manager) => {
      const named = `SELECT id FROM notifications WHERE event <> 'case.erased'
                        AND (payload->>'ownCase' = $1 OR payload->>'caseReference' = $1)`;
      const deliveries: { id: string; resends: number }[] = await manager.query(
        `DELETE FROM webhook_deliveries WHERE notification_id IN (${named}) RETURNING id, resends`,
        [caseReference],
      );
      await manager.query(`DELETE FROM notifications WHERE id IN (${named})`, [caseReference]);
      return deliveries;
    });
  }

  async recordErasurePart(caseReference: string, at: Date): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO case_erasure_parts (case_reference, part, done_at) VALUES ($1, 'notifier', $2) ON CONFLICT DO NOTHING`,
      [caseReference, at],
    );
  }

  async work(deliveryId: string): Promise<DeliveryWork | null> {
    const rows: {
      id: string;
      state: string;
      attempts: number;
      url: string;
      secret: string;
      removed: boolean;
      notification_id: string;
      event: NotificationEvent;
      agency: string;
      created_at: Date;
      payload: Record<string, unknown>;
    }[] = await this.dataSource.query(
      `SELECT d.id, d.state, d.attempts, e.url, e.secret, (e.removed_at IS NOT NULL) AS removed, n.id AS notification_id, n.event, n.agency, n.created_at, n.payload
           FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id JOIN notifications n ON n.id = d.notification_id
          WHERE d.id = $1`,
      [deliveryId],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      id: row.id,
      state: row.state,
      attempts: row.attempts,
      url: row.url,
      secret: row.secret,
      removed: row.removed,
      notification: {
        id: row.notification_id,
        event: row.event,
        agency: row.agency,
        createdAt: row.created_at.toISOString(),
        data: row.payload,
      },
    };
  }

  /** Records one attempt: delivered, failed for good, or still pending (a retry will follow). */
  async attempted(
    deliveryId: string,
    outcome: { state: 'delivered' | 'failed' | 'pending'; status: number | null; error: string | null },
    at: Date,
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE webhook_deliveries SET attempts = attempts + 1, state = $2, last_status = $3, last_error = $4, last_attempt_at = $5,
              delivered_at = CASE WHEN $2 = 'delivered' THEN $5 ELSE delivered_at END,
              failed_at = CASE WHEN $2 = 'failed' THEN $5 ELSE NULL END
        WHERE id = $1 AND state = 'pending'`,
      [deliveryId, outcome.state, outcome.status, outcome.error, at],
    );
  }

  /** A request's recipients that have not answered, with its case and sender; null when it expects no answer. */
  async openRequest(messageId: string): Promise<OpenRequestFacts | null> {
    const rows: {
      case_reference: string;
      sender_agency: string;
      answer_deadline: Date | null;
      unanswered: string[];
    }[] = await this.dataSource.query(
      `SELECT m.case_reference, m.sender_agency, max(d.answer_deadline) AS answer_deadline,
              coalesce(array_agg(d.recipient_agency ORDER BY d.recipient_agency) FILTER (WHERE d.answered_at IS NULL AND d.forwarded_by IS NULL), '{}') AS unanswered
         FROM messages m JOIN deliveries d ON d.message_id = m.id
        WHERE m.id = $1 AND d.answer_deadline IS NOT NULL
        GROUP BY m.case_reference, m.sender_agency`,
      [messageId],
    );
    const row = rows[0];
    if (!row?.answer_deadline) return null;
    return {
      messageId,
      caseReference: row.case_reference,
      sender: row.sender_agency,
      unanswered: row.unanswered,
      answerDeadline: row.answer_deadline,
    };
  }
}
