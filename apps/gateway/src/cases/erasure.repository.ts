import type { ErasureGround, LegalHold } from '@liaison/domain';
import { CaseKeys } from '@liaison/protection';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface ErasureRow {
  case_reference: string;
  owner_agency: string;
  participants: string[];
  attachment_sha256: string[];
  ground: ErasureGround;
  requested_by_type: string;
  requested_by_id: string;
  requested_at: Date;
  published_at: Date | null;
  completed_at: Date | null;
  /** The parts that have erased their copies. */
  parts: { part: string; doneAt: string }[];
}

/** A case as its erasure and hold see it: its owner, its hold, and its erasure once requested. */
export interface ErasureSubject {
  ownerAgency: string;
  hold: (LegalHold & { placedByType: string; placedById: string }) | null;
  erasure: ErasureRow | null;
}

const ERASURE_SELECT = `SELECT e.*, coalesce((SELECT json_agg(json_build_object('part', p.part, 'doneAt', p.done_at) ORDER BY p.done_at)
                          FROM case_erasure_parts p WHERE p.case_reference = e.case_reference), '[]') AS parts
                          FROM case_erasures e`;

/**
 * The gateway's side of erasure and legal holds: `case_erasures` and `case_holds` (its own), the case's key, and
 * the copies the gateway itself keeps (drafts, uploads, accepted cases). Reads the router's case tables to learn
 * the owner, the participants and the attached files before they go.
 */
@Injectable()
export class ErasureRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keys: CaseKeys,
  ) {}

  /** The case's owner, hold and erasure; null when there is no such case and it was never erased. */
  async subject(reference: string): Promise<ErasureSubject | null> {
    const erasure = await this.find(reference);
    const rows: {
      owner_agency: string;
      reason: string | null;
      placed_at: Date | null;
      by_type: string | null;
      by_id: string | null;
    }[] = await this.dataSource.query(
      `SELECT c.owner_agency, h.reason, h.placed_at, h.placed_by_type AS by_type, h.placed_by_id AS by_id
           FROM cases c LEFT JOIN case_holds h ON h.case_reference = c.reference WHERE c.reference = $1`,
      [reference],
    );
    const row = rows[0];
    if (!row && !erasure) return null;
    return {
      ownerAgency: row ? row.owner_agency : erasure!.owner_agency,
      hold:
        row?.reason != null
          ? { reason: row.reason, placedAt: row.placed_at!, placedByType: row.by_type!, placedById: row.by_id! }
          : null,
      erasure: erasure ?? null,
    };
  }

  /**
   * Records the erasure and destroys the case's key in one transaction: from its commit on, nothing sealed under
   * the key can be read. A case already erased keeps its first erasure. Returns the erasure.
   */
  async begin(
    reference: string,
    owner: string,
    ground: ErasureGround,
    by: { type: string; id: string },
    at: Date,
  ): Promise<ErasureRow> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO case_erasures (case_reference, owner_agency, participants, attachment_sha256, ground, requested_by_type, requested_by_id, requested_at)
         SELECT $1, $2,
                coalesce((SELECT array_agg(p.agency_code ORDER BY p.agency_code) FROM case_participants p WHERE p.case_reference = $1), ARRAY[$2]),
                coalesce((SELECT array_agg(DISTINCT a.sha256::text) FROM message_attachments a JOIN messages m ON m.id = a.message_id
                           WHERE m.case_reference = $1), '{}'),
                $3, $4, $5, $6
         ON CONFLICT (case_reference) DO NOTHING`,
        [reference, owner, ground, by.type, by.id, at],
      );
      await this.keys.destroy(manager, reference);
    });
    const [erasure] = await this.erasures('e.case_reference = $1', [reference]);
    return erasure;
  }

  find(reference: string): Promise<ErasureRow | undefined> {
    return this.erasures('e.case_reference = $1', [reference]).then((rows) => rows[0]);
  }

  /** Erasures not yet complete, oldest first. */
  pending(limit: number): Promise<ErasureRow[]> {
    return this.erasures('e.completed_at IS NULL ORDER BY e.requested_at LIMIT $1', [limit]);
  }

  async markPublished(reference: string, at: Date): Promise<void> {
    await this.dataSource.query(
      'UPDATE case_erasures SET published_at = $2 WHERE case_reference = $1 AND published_at IS NULL',
      [reference, at],
    );
  }

  async markCompleted(reference: string, at: Date): Promise<void> {
    await this.dataSource.query(
      'UPDATE case_erasures SET completed_at = $2 WHERE case_reference = $1 AND completed_at IS NULL',
      [reference, at],
    );
  }

  /**
   * Deletes the gateway's own copies of the case: drafts written in it, the uploads of files attached to its
   * messages (and those kept in its drafts), and its accepted-case row. Returns the attached files no other case
   * still refers to, which the caller removes from the attachment store before the part is recorded.
   */
  async eraseOwnRows(erasure: ErasureRow): Promise<string[]> {
    return this.dataSource.transaction(async (manager) => {
      const drafts: { uploads: string[] | null }[] = await manager.query(
        `DELETE FROM drafts WHERE content->>'caseReference' = $1
         RETURNING (SELECT array_agg(a->>'id') FROM jsonb_array_elements(coalesce(content->'attachments', '[]')) a) AS uploads`,
        [erasure.case_reference],
      );
      const draftUploads = drafts.flatMap((d) => d.uploads ?? []).filter((id) => /^[0-9a-f-]{36}$/.test(id));
      await manager.query(
        `DELETE FROM uploads u
          WHERE (u.sha256 = ANY($1::bpchar[]) OR u.id = ANY($2::uuid[]))
            AND NOT EXISTS (SELECT 1 FROM message_attachments a JOIN messages m ON m.id = a.message_id
                             WHERE a.sha256 = u.sha256 AND m.case_reference <> $3)`,
        [erasure.attachment_sha256, draftUploads, erasure.case_reference],
      );
      await manager.query('DELETE FROM accepted_cases WHERE reference = $1', [erasure.case_reference]);
      const unreferenced: { sha256: string }[] = await manager.query(
        `SELECT s.sha256 FROM unnest($1::text[]) AS s(sha256)
          WHERE NOT EXISTS (SELECT 1 FROM message_attachments a JOIN messages m ON m.id = a.message_id
                             WHERE a.sha256 = s.sha256 AND m.case_reference <> $2)
            AND NOT EXISTS (SELECT 1 FROM uploads u WHERE u.sha256 = s.sha256)`,
        [erasure.attachment_sha256, erasure.case_reference],
      );
      return unreferenced.map((row) => row.sha256);
    });
  }

  async recordPart(reference: string, part: string, at: Date): Promise<void> {
    await this.dataSource.query(
      'INSERT INTO case_erasure_parts (case_reference, part, done_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [reference, part, at],
    );
  }

  async placeHold(reference: string, reason: string, by: { type: string; id: string }, at: Date): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO case_holds (case_reference, reason, placed_by_type, placed_by_id, placed_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (case_reference) DO NOTHING RETURNING case_reference`,
      [reference, reason, by.type, by.id, at],
    );
    return rows.length > 0;
  }

  async releaseHold(reference: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      'DELETE FROM case_holds WHERE case_reference = $1 RETURNING case_reference',
      [reference],
    );
    return rows.length > 0;
  }

  private erasures(where: string, parameters: unknown[]): Promise<ErasureRow[]> {
    return this.dataSource.query(`${ERASURE_SELECT} WHERE ${where}`, parameters);
  }
}
