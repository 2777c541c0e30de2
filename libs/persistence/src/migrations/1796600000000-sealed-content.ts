import { CaseKeys, MasterKeys, openCaseNames, openMessageText, sealCaseNames, sealMessageText } from '@liaison/protection';
import type { EntityJson } from '@liaison/contracts';
import type { EntityLink } from '@liaison/domain';
import { MigrationInterface, QueryRunner } from 'typeorm';

const BATCH = 1_000;

interface ClearMessage {
  id: string;
  case_reference: string;
  subject: string;
  body: string;
  entities: EntityJson[] | null;
  entity_links: EntityLink[] | null;
  handling_restriction: string | null;
  attachment_names: string[];
}

/** The master keys that seal what was written in clear; asked for only when there is something to seal. */
export function masterKeys(what: string): MasterKeys {
  const setting = process.env.MASTER_KEYS;
  if (!setting) throw new Error(`MASTER_KEYS must be set to seal the ${what} written before sealing`);
  return MasterKeys.parse(setting);
}

/**
 * Each case gets its own data key (`case_keys`), and what messages and cases held in clear (subject, body,
 * entities, links, the H3 restriction, attachments' names; titles and operation names) is sealed under it,
 * then the clear columns go. Rows written before need MASTER_KEYS in the environment of whoever runs this.
 */
export class SealedContent1796600000000 implements MigrationInterface {
  name = 'SealedContent1796600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "case_keys" ("case_reference" text NOT NULL, "master_key_id" text, "wrapped" bytea, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "erased_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_case_keys" PRIMARY KEY ("case_reference"))`,
    );
    await queryRunner.query(`ALTER TABLE "messages" ADD "content" bytea`);
    await queryRunner.query(`ALTER TABLE "cases" ADD "details" bytea`);
    await this.sealMessages(queryRunner);
    await this.sealCases(queryRunner);
    await queryRunner.query(`ALTER TABLE "messages" ALTER COLUMN "content" SET NOT NULL`);
    for (const column of ['subject', 'body', 'entities', 'entity_links', 'handling_restriction'])
      await queryRunner.query(`ALTER TABLE "messages" DROP COLUMN "${column}"`);
    await queryRunner.query(`ALTER TABLE "message_attachments" DROP COLUMN "file_name"`);
    await queryRunner.query(`ALTER TABLE "cases" DROP COLUMN "title"`);
    await queryRunner.query(`ALTER TABLE "cases" DROP COLUMN "operation_name"`);
  }

  private async sealMessages(queryRunner: QueryRunner): Promise<void> {
    const [{ count }] = (await queryRunner.query('SELECT count(*)::int AS count FROM messages')) as { count: number }[];
    if (count === 0) return;
    const keys = new CaseKeys(masterKeys('messages'));
    for (;;) {
      const rows = (await queryRunner.query(
        `SELECT m.id, m.case_reference, m.subject, m.body, m.entities, m.entity_links, m.handling_restriction,
                coalesce((SELECT array_agg(a.file_name ORDER BY a.ordinal) FROM message_attachments a WHERE a.message_id = m.id), '{}') AS attachment_names
           FROM messages m WHERE m.content IS NULL ORDER BY m.id LIMIT $1`,
        [BATCH],
      )) as ClearMessage[];
      if (rows.length === 0) return;
      for (const row of rows) {
        const key = await keys.issue(queryRunner, row.case_reference);
        const sealed = sealMessageText(key, row.case_reference, row.id, {
          subject: row.subject,
          body: row.body,
          entities: row.entities ?? [],
          links: row.entity_links ?? [],
          handlingRestriction: row.handling_restriction ?? '',
          attachmentNames: row.attachment_names,
        });
        await queryRunner.query('UPDATE messages SET content = $2 WHERE id = $1', [row.id, sealed]);
      }
    }
  }

  private async sealCases(queryRunner: QueryRunner): Promise<void> {
    const rows = (await queryRunner.query(
      `SELECT reference, title, operation_name FROM cases WHERE title IS NOT NULL OR operation_name IS NOT NULL`,
    )) as { reference: string; title: string | null; operation_name: string | null }[];
    if (rows.length === 0) return;
    const keys = new CaseKeys(masterKeys('case titles'));
    for (const row of rows) {
      const key = await keys.issue(queryRunner, row.reference);
      const names = { title: row.title ?? '', operationName: row.operation_name ?? '' };
      await queryRunner.query('UPDATE cases SET details = $2 WHERE reference = $1', [
        row.reference,
        sealCaseNames(key, row.reference, names),
      ]);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "cases" ADD "operation_name" text`);
    await queryRunner.query(`ALTER TABLE "cases" ADD "title" text`);
    await queryRunner.query(`ALTER TABLE "message_attachments" ADD "file_name" text`);
    await queryRunner.query(
      `ALTER TABLE "messages" ADD "handling_restriction" text, ADD "entity_links" jsonb, ADD "entities" jsonb, ADD "body" text, ADD "subject" text`,
    );
    const messages = (await queryRunner.query('SELECT id, case_reference, content FROM messages')) as {
      id: string;
      case_reference: string;
      content: Buffer;
    }[];
    const cases = (await queryRunner.query('SELECT reference, details FROM cases WHERE details IS NOT NULL')) as {
      reference: string;
      details: Buffer;
    }[];
    if (messages.length > 0 || cases.length > 0) {
      const keys = new CaseKeys(masterKeys('messages and cases'));
      for (const row of messages) {
        const text = openMessageText(await keys.keyOf(queryRunner, row.case_reference), row.case_reference, row.id, row.content);
        await queryRunner.query(
          `UPDATE messages SET subject = $2, body = $3, entities = $4, entity_links = $5, handling_restriction = $6 WHERE id = $1`,
          [row.id, text.subject, text.body, JSON.stringify(text.entities), JSON.stringify(text.links), text.handlingRestriction || null],
        );
        for (const [i, name] of text.attachmentNames.entries())
          await queryRunner.query('UPDATE message_attachments SET file_name = $3 WHERE message_id = $1 AND ordinal = $2', [
            row.id,
            i + 1,
            name,
          ]);
      }
      for (const row of cases) {
        const names = openCaseNames(await keys.keyOf(queryRunner, row.reference), row.reference, row.details);
        await queryRunner.query('UPDATE cases SET title = $2, operation_name = $3 WHERE reference = $1', [
          row.reference,
          names.title || null,
          names.operationName || null,
        ]);
      }
    }
    await queryRunner.query(`UPDATE message_attachments SET file_name = '' WHERE file_name IS NULL`);
    await queryRunner.query(`ALTER TABLE "message_attachments" ALTER COLUMN "file_name" SET NOT NULL`);
    await queryRunner.query(`UPDATE messages SET subject = '', body = '' WHERE subject IS NULL`);
    await queryRunner.query(`ALTER TABLE "messages" ALTER COLUMN "subject" SET NOT NULL, ALTER COLUMN "body" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "messages" DROP COLUMN "content"`);
    await queryRunner.query(`ALTER TABLE "cases" DROP COLUMN "details"`);
    await queryRunner.query(`DROP TABLE "case_keys"`);
  }
}
