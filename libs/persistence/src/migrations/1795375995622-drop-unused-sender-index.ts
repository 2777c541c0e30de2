import type { MigrationInterface, QueryRunner } from "typeorm";

export class DropUnusedSenderIndex1795375995622 implements MigrationInterface {
    name = 'DropUnusedSenderIndex1795375995622'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."ix_messages_sender_submitted"`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE INDEX "ix_messages_sender_submitted" ON "messages" USING btree ("sender_agency", "submitted_at") `);
    }

}
