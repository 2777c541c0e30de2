import { safeError } from '@liaison/observability';
import { queryReturning } from '@liaison/persistence';
import {
  CaseKeys,
  newDataKey,
  RowKeys,
  sealFileKey,
  type CaseKeyLookup,
  type WrappedKeyColumns,
} from '@liaison/protection';
import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AttachmentStore } from './attachment-store';

const BATCH = 100;
const EVERY_MS = 60_000;

/**
 * Seals the files an attachment store kept in clear before files were sealed: each upload's under the upload's
 * own key (its file id becomes its id), each attached file's as a copy of its own under a new key sealed under
 * its case's key. A clear file goes once no row still needs it. Runs when the gateway starts and every minute,
 * until nothing is left in clear; an erased case's files are left to its erasure. Replicas racing on one row
 * keep the first copy and remove their own.
 */
@Injectable()
export class ClearFileSealer implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: AttachmentStore,
    private readonly caseKeys: CaseKeys,
    private readonly rowKeys: RowKeys,
    @InjectPinoLogger(ClearFileSealer.name) private readonly logger: PinoLogger,
  ) {}

  onApplicationBootstrap(): void {
    void this.sealAll();
    this.timer = setInterval(() => void this.sealAll(), EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /**
   * Seals every file still in clear, a page at a time; returns how many rows were sealed (-1 when a run is already
   * going). A row whose clear file is missing is left as it is and counted (it reads as missing either way).
   */
  async sealAll(): Promise<number> {
    if (this.running) return -1;
    this.running = true;
    const outcome = { sealed: 0, missing: 0 };
    try {
      await this.sealUploads(outcome);
      await this.sealAttached(outcome);
      if (outcome.sealed > 0) this.logger.info({ sealed: outcome.sealed }, 'files kept in clear sealed');
      if (outcome.missing > 0)
        this.logger.warn({ missing: outcome.missing }, 'files kept in clear are missing from the attachment store');
    } catch (error) {
      this.logger.warn({ err: safeError(error) }, 'could not seal the files kept in clear; the next run tries again');
    } finally {
      this.running = false;
    }
    return outcome.sealed;
  }

  private async sealUploads(outcome: { sealed: number; missing: number }): Promise<void> {
    for (let after = '00000000-0000-0000-0000-000000000000'; ;) {
      const rows: (WrappedKeyColumns & { id: string; sha256: string })[] = await this.dataSource.query(
        'SELECT id, sha256, master_key_id, wrapped_key FROM uploads WHERE file_id IS NULL AND id > $1 ORDER BY id LIMIT $2',
        [after, BATCH],
      );
      if (rows.length === 0) return;
      for (const row of rows) {
        if (!(await this.sealed(row.sha256, row.id, this.rowKeys.keyOf('upload', row.id, row), outcome))) continue;
        const updated = await queryReturning(
          this.dataSource,
          'UPDATE uploads SET file_id = id WHERE id = $1 AND file_id IS NULL RETURNING id',
          [row.id],
        );
        if (updated.length === 0) await this.store.remove(row.id);
        await this.removeIfUnneeded(row.sha256);
      }
      after = rows[rows.length - 1].id;
    }
  }

  private async sealAttached(outcome: { sealed: number; missing: number }): Promise<void> {
    for (let after = { message: '00000000-0000-0000-0000-000000000000', ordinal: 0 }; ;) {
      const rows: { message_id: string; ordinal: number; sha256: string; case_reference: string }[] =
        await this.dataSource.query(
          `SELECT a.message_id, a.ordinal, a.sha256, m.case_reference FROM message_attachments a
             JOIN messages m ON m.id = a.message_id
             JOIN case_keys k ON k.case_reference = m.case_reference AND k.wrapped IS NOT NULL
            WHERE a.file_id IS NULL AND (a.message_id, a.ordinal) > ($1::uuid, $2::smallint)
            ORDER BY a.message_id, a.ordinal LIMIT $3`,
          [after.message, after.ordinal, BATCH],
        );
      if (rows.length === 0) return;
      const keys: CaseKeyLookup = await this.caseKeys.keysOf(
        this.dataSource,
        rows.map((row) => row.case_reference),
      );
      for (const row of rows) {
        const caseKey = keys.get(row.case_reference);
        if (!caseKey || caseKey === 'erased') continue;
        const fileId = randomUUID();
        const fileKey = newDataKey();
        if (!(await this.sealed(row.sha256, fileId, fileKey, outcome))) continue;
        // The case's key row held while the file is recorded: an erasure then either sees this file or runs after.
        const recorded = await this.dataSource.transaction(async (manager) => {
          const live: unknown[] = await manager.query(
            'SELECT 1 FROM case_keys WHERE case_reference = $1 AND wrapped IS NOT NULL FOR SHARE',
            [row.case_reference],
          );
          if (live.length === 0) return false;
          const updated = await queryReturning(
            manager,
            `UPDATE message_attachments SET file_id = $3, file_key = $4
              WHERE message_id = $1 AND ordinal = $2 AND file_id IS NULL RETURNING ordinal`,
            [
              row.message_id,
              row.ordinal,
              fileId,
              sealFileKey(caseKey, row.case_reference, row.message_id, row.ordinal, fileKey),
            ],
          );
          return updated.length > 0;
        });
        if (!recorded) await this.store.remove(fileId);
        await this.removeIfUnneeded(row.sha256);
      }
      const last = rows[rows.length - 1];
      after = { message: last.message_id, ordinal: last.ordinal };
    }
  }

  /** Seals the clear file as `fileId`; false (and counted) when the clear file is not there. */
  private async sealed(
    sha256: string,
    fileId: string,
    key: Buffer,
    outcome: { sealed: number; missing: number },
  ): Promise<boolean> {
    if (!(await this.store.holdsClear(sha256))) {
      outcome.missing += 1;
      return false;
    }
    await this.store.sealClear(sha256, fileId, key);
    outcome.sealed += 1;
    return true;
  }

  private async removeIfUnneeded(sha256: string): Promise<void> {
    const [{ needed }]: { needed: boolean }[] = await this.dataSource.query(
      `SELECT EXISTS (SELECT 1 FROM uploads WHERE sha256 = $1 AND file_id IS NULL)
           OR EXISTS (SELECT 1 FROM message_attachments WHERE sha256 = $1 AND file_id IS NULL) AS needed`,
      [sha256],
    );
    if (!needed) await this.store.removeClear(sha256);
  }
}
