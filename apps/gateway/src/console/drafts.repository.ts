import { timeOrderedId } from '@liaison/persistence';
import { openDraft, RowKeys, sealDraft, type WrappedKeyColumns } from '@liaison/protection';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { DraftContent } from './compose-form';

export interface Draft {
  id: string;
  content: DraftContent;
  updatedAt: Date;
}

interface DraftRow extends WrappedKeyColumns {
  id: string;
  sealed: Buffer;
  updated_at: Date;
}

const DRAFT_COLUMNS = 'id, master_key_id, wrapped_key, sealed, updated_at';

/**
 * Drafts in PostgreSQL, each seen only by its author (every query names the person). A draft's fields are sealed
 * under a key of its own, wrapped under the master key; its case is kept beside them so the case's erasure takes it.
 */
@Injectable()
export class DraftsRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keys: RowKeys,
  ) {}

  async create(personId: string, agency: string, content: DraftContent, now = new Date()): Promise<string> {
    const id = timeOrderedId(now.getTime());
    const { key, masterKeyId, wrapped } = this.keys.issue('draft', id);
    await this.dataSource.query(
      `INSERT INTO drafts (id, person_id, agency_code, case_reference, master_key_id, wrapped_key, sealed, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)`,
      [id, personId, agency, content.caseReference || null, masterKeyId, wrapped, sealDraft(key, id, content), now],
    );
    return id;
  }

  async find(id: string, personId: string): Promise<Draft | null> {
    const rows: DraftRow[] = await this.dataSource.query(
      `SELECT ${DRAFT_COLUMNS} FROM drafts WHERE id = $1 AND person_id = $2`,
      [id, personId],
    );
    return rows[0] ? this.opened(rows[0]) : null;
  }

  async save(id: string, personId: string, content: DraftContent, now = new Date()): Promise<void> {
    const rows: DraftRow[] = await this.dataSource.query(
      `SELECT ${DRAFT_COLUMNS} FROM drafts WHERE id = $1 AND person_id = $2`,
      [id, personId],
    );
    if (!rows[0]) return;
    const key = this.keys.keyOf('draft', id, rows[0]);
    await this.dataSource.query(
      'UPDATE drafts SET sealed = $3, case_reference = $4, updated_at = $5 WHERE id = $1 AND person_id = $2',
      [id, personId, sealDraft(key, id, content), content.caseReference || null, now],
    );
  }

  async remove(id: string, personId: string): Promise<void> {
    await this.dataSource.query('DELETE FROM drafts WHERE id = $1 AND person_id = $2', [id, personId]);
  }

  async list(personId: string, limit = 50): Promise<Draft[]> {
    const rows: DraftRow[] = await this.dataSource.query(
      `SELECT ${DRAFT_COLUMNS} FROM drafts WHERE person_id = $1 ORDER BY updated_at DESC LIMIT $2`,
      [personId, limit],
    );
    return rows.map((row) => this.opened(row));
  }

  private opened(row: DraftRow): Draft {
    const key = this.keys.keyOf('draft', row.id, row);
    return { id: row.id, content: openDraft<DraftContent>(key, row.id, row.sealed), updatedAt: row.updated_at };
  }
}
