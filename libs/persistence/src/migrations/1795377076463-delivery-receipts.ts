import type { MigrationInterface, QueryRunner } from "typeorm";

export class DeliveryReceipts1795377076463 implements MigrationInterface {
    name = 'DeliveryReceipts1795377076463'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "deliveries" ADD "read_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`ALTER TABLE "deliveries" ADD "answered_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`CREATE INDEX "ix_messages_outbox" ON "messages"  ("sender_agency", "submitted_at", "id") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."ix_messages_outbox"`);
        await queryRunner.query(`ALTER TABLE "deliveries" DROP COLUMN "answered_at"`);
        await queryRunner.query(`ALTER TABLE "deliveries" DROP COLUMN "read_at"`);
    }

}
