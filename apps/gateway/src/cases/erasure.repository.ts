import type { ErasureGround, LegalHold } from '@liaison/domain';
import { CaseKeys, openDraft, RowKeys, type WrappedKeyColumns } from '@liaison/protection';
import { queryReturning } from '@liaison/persistence';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface ErasureRow {
  case_reference: string;
  owner_agency: string;
  participants: string[];
  attachment_sha256: string[];
  attachment_files: string[];
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
    private readonly rowKeys: RowKeys,
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
        `INSERT INTO case_erasures (case_reference, owner_agency, participants, attachment_sha256, attachment_files, ground, requested_by_type, requested_by_id, requested_at)
         SELECT $1, $2,
                coalesce((SELECT array_agg(p.agency_code ORDER BY p.agency_code) FROM case_participants p WHERE p.case_reference = $1), ARRAY[$2]),
                coalesce((SELECT array_agg(DISTINCT a.sha256::text) FROM message_attachments a JOIN messages m ON m.id = a.message_id
                           WHERE m.case_reference = $1 AND a.file_id IS NULL), '{}'),
                coalesce((SELECT array_agg(DISTINCT a.file_id) FROM message_attachments a JOIN messages m ON m.id = a.message_id
                           WHERE m.case_reference = $1 AND a.file_id IS NOT NULL), '{}'),
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
   * messages (and those kept in its drafts), and its accepted-case row. Returns the files no other case still
   * refers to, sealed (by file id) and from before sealing (by SHA-256), which the caller removes from the
   * attachment store before the part is recorded.
   */
  async eraseOwnRows(erasure: ErasureRow): Promise<{ files: string[]; clear: string[] }> {
    return this.dataSource.transaction(async (manager) => {
      const drafts = await queryReturning<WrappedKeyColumns & { id: string; sealed: Buffer }>(
        manager,
        'DELETE FROM drafts WHERE case_reference = $1 RETURNING id, master_key_id, wrapped_key, sealed',
        [erasure.case_reference],
      );
      const draftUploads = drafts.flatMap(
        (d) =>
          openDraft<{ attachments?: { id: string }[] }>(this.rowKeys.keyOf('draft', d.id, d), d.id, d.sealed)
            .attachments?.map((a) => a.id)
            .filter((id) => /^[0-9a-f-]{36}$/.test(id)) ?? [],
      );
      const files = new Set(erasure.attachment_files);
      const clear = new Set(erasure.attachment_sha256);
      const uploads = await queryReturning<{ file_id: string | null; sha256: string }>(
        manager,
        `DELETE FROM uploads u
          WHERE (u.file_id = ANY($1::uuid[]) OR (u.file_id IS NULL AND u.sha256 = ANY($2::bpchar[])) OR u.id = ANY($3::uuid[]))
            AND NOT EXISTS (SELECT 1 FROM message_attachments a JOIN messages m ON m.id = a.message_id
                             WHERE (a.file_id = u.file_id OR (u.file_id IS NULL AND a.sha256 = u.sha256))
                               AND m.case_reference <> $4)
          RETURNING u.file_id, u.sha256`,
        [[...files], [...clear], draftUploads, erasure.case_reference],
      );
      for (const upload of uploads)
        if (upload.file_id) files.add(upload.file_id);
        else clear.add(upload.sha256);
      await manager.query('DELETE FROM accepted_cases WHERE reference = $1', [erasure.case_reference]);
      const unreferenced: { file_id: string | null; sha256: string | null }[] = await manager.query(
        `SELECT f.id AS file_id, NULL AS sha256 FROM unnest($1::uuid[]) AS f(id)
          WHERE NOT EXISTS (SELECT 1 FROM message_attachments a JOIN messages m ON m.id = a.message_id
                             WHERE a.file_id = f.id AND m.case_reference <> $3)
            AND NOT EXISTS (SELECT 1 FROM uploads u WHERE u.file_id = f.id)
         UNION ALL
         SELECT NULL, s.sha256 FROM unnest($2::text[]) AS s(sha256)
          WHERE NOT EXISTS (SELECT 1 FROM message_attachments a JOIN messages m ON m.id = a.message_id
                             WHERE a.sha256 = s.sha256 AND a.file_id IS NULL AND m.case_reference <> $3)
            AND NOT EXISTS (SELECT 1 FROM uploads u WHERE u.sha256 = s.sha256 AND u.file_id IS NULL)`,
        [[...files], [...clear], erasure.case_reference],
      );
      return {
        files: unreferenced.flatMap((row) => (row.file_id ? [row.file_id] : [])),
        clear: unreferenced.flatMap((row) => (row.sha256 ? [row.sha256] : [])),
      };
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
    const rows = await queryReturning(
      this.dataSource,
      'DELETE FROM case_holds WHERE case_reference = $1 RETURNING case_reference',
      [reference],
    );
    return rows.length > 0;
  }

  private erasures(where: string, parameters: unknown[]): Promise<ErasureRow[]> {
    return this.dataSource.query(`${ERASURE_SELECT} WHERE ${where}`, parameters);
  }
}
