import type { MigrationInterface, QueryRunner } from "typeorm";

export class HandlingAcknowledgements1795379246616 implements MigrationInterface {
    name = 'HandlingAcknowledgements1795379246616'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "handling_acknowledgements" ("message_id" uuid NOT NULL, "key_id" uuid NOT NULL, "agency_code" text NOT NULL, "acknowledged_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_6a836c35c849eede4d6fadeca28" PRIMARY KEY ("message_id", "key_id"))`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TABLE "handling_acknowledgements"`);
    }

}
