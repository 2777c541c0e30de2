import type { CursorPosition } from '@liaison/common';
import type { NotificationEvent } from '@liaison/domain';
import { queryReturning } from '@liaison/persistence';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface NotificationRow {
  id: string;
  agency: string;
  event: NotificationEvent;
  payload: Record<string, unknown>;
  created_at: Date;
  read_at: Date | null;
}

export interface EndpointRow {
  id: string;
  agency: string;
  url: string;
  events: string[];
  created_at: Date;
}

export interface DeliveryRow {
  id: string;
  endpoint_id: string;
  notification_id: string;
  agency: string;
  event: string;
  state: string;
  attempts: number;
  resends: number;
  last_status: number | null;
  last_error: string | null;
  created_at: Date;
  last_attempt_at: Date | null;
  delivered_at: Date | null;
  failed_at: Date | null;
}

const DELIVERY_COLUMNS =
  'id, endpoint_id, notification_id, agency, event, state, attempts, resends, last_status, last_error, created_at, last_attempt_at, delivered_at, failed_at';

/**
 * The notifier's tables as the API reads them. The notifier writes notifications and deliveries; the gateway
 * writes only what users do to them (read marks, endpoints, re-sends).
 */
@Injectable()
export class NotificationReadRepository {
  constructor(private readonly dataSource: DataSource) {}

  list(
    agency: string,
    filter: { unread?: boolean; event?: NotificationEvent },
    limit: number,
    after: CursorPosition | null,
  ): Promise<NotificationRow[]> {
    return this.dataSource.query(
      `SELECT id, agency, event, payload, created_at, read_at FROM notifications
        WHERE agency = $1 AND (NOT $2 OR read_at IS NULL) AND ($3::text IS NULL OR event = $3)
          AND ($4::timestamptz IS NULL OR (created_at, id) < ($4, $5::uuid))
        ORDER BY created_at DESC, id DESC LIMIT $6`,
      [agency, filter.unread === true, filter.event ?? null, after?.at ?? null, after?.id ?? null, limit],
    );
  }

  async unreadCount(agency: string): Promise<number> {
    const rows: { count: string }[] = await this.dataSource.query(
      'SELECT count(*) FROM notifications WHERE agency = $1 AND read_at IS NULL',
      [agency],
    );
    return Number(rows[0]?.count ?? 0);
  }

  /** Marks the agency's notification read; false when it has no such notification. */
  async markRead(id: string, agency: string, at: Date): Promise<boolean> {
    const rows = await queryReturning(
      this.dataSource,
      'UPDATE notifications SET read_at = COALESCE(read_at, $3) WHERE id = $1 AND agency = $2 RETURNING id',
      [id, agency, at],
    );
    return rows.length > 0;
  }

  async markAllRead(agency: string, at: Date): Promise<number> {
    const rows = await queryReturning(
      this.dataSource,
      'UPDATE notifications SET read_at = $2 WHERE agency = $1 AND read_at IS NULL AND created_at <= $2 RETURNING id',
      [agency, at],
    );
    return rows.length;
  }

  async addEndpoint(endpoint: {
    id: string;
    agency: string;
    url: string;
    secret: string;
    events: string[];
    createdByKeyId: string;
    createdAt: Date;
  }): Promise<EndpointRow> {
    const rows: EndpointRow[] = await this.dataSource.query(
      `INSERT INTO webhook_endpoints (id, agency, url, secret, events, created_by_key_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
       RETURNING id, agency, url, events, created_at`,
      [
        endpoint.id,
        endpoint.agency,
        endpoint.url,
        endpoint.secret,
        endpoint.events,
        endpoint.createdByKeyId,
        endpoint.createdAt,
      ],
    );
    return rows[0];
  }

  endpoints(agency?: string): Promise<EndpointRow[]> {
    return this.dataSource.query(
      'SELECT id, agency, url, events, created_at FROM webhook_endpoints WHERE removed_at IS NULL AND ($1::text IS NULL OR agency = $1) ORDER BY agency, created_at',
      [agency ?? null],
    );
  }

  /** A new signing secret for an endpoint; the notifier signs every attempt from then on with it. */
  async setSecret(id: string, secret: string): Promise<boolean> {
    const rows = await queryReturning(
      this.dataSource,
      'UPDATE webhook_endpoints SET secret = $2 WHERE id = $1 AND removed_at IS NULL RETURNING id',
      [id, secret],
    );
    return rows.length > 0;
  }

  async removeEndpoint(id: string, at: Date): Promise<boolean> {
    const rows = await queryReturning(
      this.dataSource,
      'UPDATE webhook_endpoints SET removed_at = $2 WHERE id = $1 AND removed_at IS NULL RETURNING id',
      [id, at],
    );
    return rows.length > 0;
  }

  deliveries(
    filter: { state?: string; agency?: string; endpointId?: string },
    limit: number,
    after: CursorPosition | null,
  ): Promise<DeliveryRow[]> {
    return this.dataSource.query(
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries
        WHERE ($1::text IS NULL OR state = $1) AND ($2::text IS NULL OR agency = $2) AND ($3::uuid IS NULL OR endpoint_id = $3)
          AND ($4::timestamptz IS NULL OR (created_at, id) < ($4, $5::uuid))
        ORDER BY created_at DESC, id DESC LIMIT $6`,
      [
        filter.state ?? null,
        filter.agency ?? null,
        filter.endpointId ?? null,
        after?.at ?? null,
        after?.id ?? null,
        limit,
      ],
    );
  }

  async delivery(id: string): Promise<DeliveryRow | null> {
    const rows: DeliveryRow[] = await this.dataSource.query(
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** Puts a failed delivery back to pending for a fresh series of attempts; null unless it had failed. */
  async reopen(id: string): Promise<DeliveryRow | null> {
    const rows = await queryReturning<DeliveryRow>(
      this.dataSource,
      `UPDATE webhook_deliveries d SET state = 'pending', attempts = 0, resends = resends + 1, failed_at = NULL
         FROM webhook_endpoints e
        WHERE d.id = $1 AND d.state = 'failed' AND e.id = d.endpoint_id AND e.removed_at IS NULL
        RETURNING ${DELIVERY_COLUMNS.replace(/(\w+)/g, 'd.$1')}`,
      [id],
    );
    return rows[0] ?? null;
  }
}
