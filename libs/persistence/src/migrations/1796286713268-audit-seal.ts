import { MigrationInterface, QueryRunner } from "typeorm";

/** How each audit entry was sealed: entries already written keep their plain hash (`sha256`). */
export class AuditSeal1796286713268 implements MigrationInterface {
    name = 'AuditSeal1796286713268'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "audit_log" ADD "seal" text NOT NULL DEFAULT 'sha256'`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "audit_log" DROP COLUMN "seal"`);
    }

}
