import { timeOrderedId } from '@liaison/persistence';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { DraftContent } from './compose-form';

export interface Draft {
  id: string;
  content: DraftContent;
  updatedAt: Date;
}

/** Drafts in PostgreSQL, each seen only by its author (every query names the person). */
@Injectable()
export class DraftsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async create(personId: string, agency: string, content: DraftContent, now = new Date()): Promise<string> {
    const id = timeOrderedId(now.getTime());
    await this.dataSource.query(
      `INSERT INTO drafts (id, person_id, agency_code, content, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)`,
      [id, personId, agency, JSON.stringify(content), now],
    );
    return id;
  }

  async find(id: string, personId: string): Promise<Draft | null> {
    const rows: { id: string; content: DraftContent; updated_at: Date }[] = await this.dataSource.query(
      'SELECT id, content, updated_at FROM drafts WHERE id = $1 AND person_id = $2',
      [id, personId],
    );
    return rows[0] ? { id: rows[0].id, content: rows[0].content, updatedAt: rows[0].updated_at } : null;
  }

  async save(id: string, personId: string, content: DraftContent, now = new Date()): Promise<void> {
    await this.dataSource.query('UPDATE drafts SET content = $3, updated_at = $4 WHERE id = $1 AND person_id = $2', [
      id,
      personId,
      JSON.stringify(content),
      now,
    ]);
  }

  async remove(id: string, personId: string): Promise<void> {
    await this.dataSource.query('DELETE FROM drafts WHERE id = $1 AND person_id = $2', [id, personId]);
  }

  async list(personId: string, limit = 50): Promise<Draft[]> {
    const rows: { id: string; content: DraftContent; updated_at: Date }[] = await this.dataSource.query(
      'SELECT id, content, updated_at FROM drafts WHERE person_id = $1 ORDER BY updated_at DESC LIMIT $2',
      [personId, limit],
    );
    return rows.map((row) => ({ id: row.id, content: row.content, updatedAt: row.updated_at }));
  }
}
