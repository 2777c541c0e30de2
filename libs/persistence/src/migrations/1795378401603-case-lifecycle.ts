import type { MigrationInterface, QueryRunner } from "typeorm";

export class CaseLifecycle1795378401603 implements MigrationInterface {
    name = 'CaseLifecycle1795378401603'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "cases" ADD "title" text`);
        await queryRunner.query(`ALTER TABLE "cases" ADD "crime_area" text`);
        await queryRunner.query(`ALTER TABLE "cases" ADD "operation_name" text`);
        await queryRunner.query(`ALTER TABLE "cases" ADD "status" text NOT NULL DEFAULT 'open'`);
        await queryRunner.query(`ALTER TABLE "cases" ADD "closed_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`ALTER TABLE "cases" ALTER COLUMN "opened_by_message" DROP NOT NULL`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "cases" ALTER COLUMN "opened_by_message" SET NOT NULL`);
        await queryRunner.query(`ALTER TABLE "cases" DROP COLUMN "closed_at"`);
        await queryRunner.query(`ALTER TABLE "cases" DROP COLUMN "status"`);
        await queryRunner.query(`ALTER TABLE "cases" DROP COLUMN "operation_name"`);
        await queryRunner.query(`ALTER TABLE "cases" DROP COLUMN "crime_area"`);
        await queryRunner.query(`ALTER TABLE "cases" DROP COLUMN "title"`);
    }

}
