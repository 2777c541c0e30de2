import type { MigrationInterface, QueryRunner } from "typeorm";

export class MessageCodes1795376709495 implements MigrationInterface {
    name = 'MessageCodes1795376709495'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "messages" ADD "type" text NOT NULL DEFAULT 'information'`);
        await queryRunner.query(`ALTER TABLE "messages" ADD "priority" text NOT NULL DEFAULT 'normal'`);
        await queryRunner.query(`ALTER TABLE "messages" ADD "handling_code" text NOT NULL DEFAULT 'H0'`);
        await queryRunner.query(`ALTER TABLE "messages" ADD "handling_restriction" text`);
        await queryRunner.query(`ALTER TABLE "messages" ADD "uk_handling" text`);
        await queryRunner.query(`ALTER TABLE "messages" ADD "evaluation" jsonb`);
        await queryRunner.query(`ALTER TABLE "messages" ADD "in_reply_to" uuid`);
        await queryRunner.query(`ALTER TABLE "deliveries" ADD "answer_deadline" TIMESTAMP WITH TIME ZONE`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "deliveries" DROP COLUMN "answer_deadline"`);
        await queryRunner.query(`ALTER TABLE "messages" DROP COLUMN "in_reply_to"`);
        await queryRunner.query(`ALTER TABLE "messages" DROP COLUMN "evaluation"`);
        await queryRunner.query(`ALTER TABLE "messages" DROP COLUMN "uk_handling"`);
        await queryRunner.query(`ALTER TABLE "messages" DROP COLUMN "handling_restriction"`);
        await queryRunner.query(`ALTER TABLE "messages" DROP COLUMN "handling_code"`);
        await queryRunner.query(`ALTER TABLE "messages" DROP COLUMN "priority"`);
        await queryRunner.query(`ALTER TABLE "messages" DROP COLUMN "type"`);
    }

}
