import { RowKeys, sealDraft, sealUploadName } from '@liaison/protection';
import { MigrationInterface, QueryRunner } from 'typeorm';
import { masterKeys } from './1796600000000-sealed-content';

/**
 * Uploads and drafts get data keys of their own (wrapped under the master key in the row): an upload's name and a
 * draft's fields are sealed under them and the clear columns go. Files are then kept sealed, one per upload
 * (`file_id`); an attached file's key is sealed under its case's key (`message_attachments.file_key`). Files
 * stored before stay where they are (`file_id` null) until the gateway seals them. Rows written before need
 * MASTER_KEYS in the environment of whoever runs this.
 */
export class SealedFiles1796620000000 implements MigrationInterface {
  name = 'SealedFiles1796620000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "uploads" ADD "file_id" uuid, ADD "master_key_id" text, ADD "wrapped_key" bytea, ADD "name" bytea`,
    );
    await queryRunner.query(
      `ALTER TABLE "drafts" ADD "case_reference" text, ADD "master_key_id" text, ADD "wrapped_key" bytea, ADD "sealed" bytea`,
    );
    await queryRunner.query(`ALTER TABLE "message_attachments" ADD "file_id" uuid, ADD "file_key" bytea`);
    await queryRunner.query(`ALTER TABLE "case_erasures" ADD "attachment_files" uuid array NOT NULL DEFAULT '{}'`);
    const uploads = (await queryRunner.query('SELECT id, file_name FROM uploads')) as { id: string; file_name: string }[];
    const drafts = (await queryRunner.query('SELECT id, content FROM drafts')) as {
      id: string;
      content: { caseReference?: string };
    }[];
    if (uploads.length > 0 || drafts.length > 0) {
      const keys = new RowKeys(masterKeys('uploads and drafts'));
      for (const row of uploads) {
        const { key, masterKeyId, wrapped } = keys.issue('upload', row.id);
        await queryRunner.query('UPDATE uploads SET master_key_id = $2, wrapped_key = $3, name = $4 WHERE id = $1', [
          row.id,
          masterKeyId,
          wrapped,
          sealUploadName(key, row.id, row.file_name),
        ]);
      }
      for (const row of drafts) {
        const { key, masterKeyId, wrapped } = keys.issue('draft', row.id);
        await queryRunner.query(
          'UPDATE drafts SET case_reference = $2, master_key_id = $3, wrapped_key = $4, sealed = $5 WHERE id = $1',
          [row.id, row.content.caseReference || null, masterKeyId, wrapped, sealDraft(key, row.id, row.content)],
        );
      }
    }
    await queryRunner.query(
      `ALTER TABLE "uploads" ALTER COLUMN "master_key_id" SET NOT NULL, ALTER COLUMN "wrapped_key" SET NOT NULL, ALTER COLUMN "name" SET NOT NULL, DROP COLUMN "file_name"`,
    );
    await queryRunner.query(
      `ALTER TABLE "drafts" ALTER COLUMN "master_key_id" SET NOT NULL, ALTER COLUMN "wrapped_key" SET NOT NULL, ALTER COLUMN "sealed" SET NOT NULL, DROP COLUMN "content"`,
    );
    await queryRunner.query(`CREATE INDEX "ix_drafts_case" ON "drafts" ("case_reference") WHERE case_reference IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "ix_uploads_file" ON "uploads" ("file_id")`);
    await queryRunner.query(`CREATE INDEX "ix_message_attachments_file" ON "message_attachments" ("file_id")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // The names and drafts sealed here would have to be opened to go back, and files sealed since have no clear
    // copy to return to: undone only while there are none (otherwise restore the backup taken before the upgrade).
    const [{ count }] = (await queryRunner.query(
      'SELECT (SELECT count(*) FROM uploads) + (SELECT count(*) FROM drafts) AS count',
    )) as { count: string }[];
    if (Number(count) > 0) throw new Error(`${this.name} cannot be undone over sealed uploads or drafts; restore a backup`);
    await queryRunner.query(`DROP INDEX "public"."ix_message_attachments_file"`);
    await queryRunner.query(`DROP INDEX "public"."ix_uploads_file"`);
    await queryRunner.query(`DROP INDEX "public"."ix_drafts_case"`);
    await queryRunner.query(
      `ALTER TABLE "drafts" ADD "content" jsonb NOT NULL, DROP COLUMN "sealed", DROP COLUMN "wrapped_key", DROP COLUMN "master_key_id", DROP COLUMN "case_reference"`,
    );
    await queryRunner.query(
      `ALTER TABLE "uploads" ADD "file_name" text NOT NULL, DROP COLUMN "name", DROP COLUMN "wrapped_key", DROP COLUMN "master_key_id", DROP COLUMN "file_id"`,
    );
    await queryRunner.query(`ALTER TABLE "message_attachments" DROP COLUMN "file_key", DROP COLUMN "file_id"`);
    await queryRunner.query(`ALTER TABLE "case_erasures" DROP COLUMN "attachment_files"`);
  }
}
