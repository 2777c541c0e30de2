import { MigrationInterface, QueryRunner } from "typeorm";

/** The dead-letter ledger: every record a consumer set aside, for admins to see and re-drive. */
export class DeadLetters1796283920701 implements MigrationInterface {
    name = 'DeadLetters1796283920701'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "dead_letters" ("id" uuid NOT NULL, "dlq_topic" text NOT NULL, "dlq_partition" integer NOT NULL, "dlq_offset" bigint NOT NULL, "source_topic" text NOT NULL, "source_partition" integer NOT NULL, "source_offset" bigint NOT NULL, "consumer_group" text NOT NULL, "failure" text NOT NULL, "error" text NOT NULL, "event_id" text NOT NULL, "event_type" text NOT NULL, "correlation_id" text NOT NULL, "message_id" uuid, "sender_agency" text, "dead_lettered_at" TIMESTAMP WITH TIME ZONE NOT NULL, "record_key" bytea, "record_value" bytea, "record_headers" jsonb NOT NULL, "redriven_at" TIMESTAMP WITH TIME ZONE, "redriven_by_key_id" text, "redrive_count" integer NOT NULL DEFAULT '0', CONSTRAINT "uq_dead_letters_position" UNIQUE ("dlq_topic", "dlq_partition", "dlq_offset"), CONSTRAINT "PK_084e63809483fb0a9c48aae607f" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "ix_dead_letters_message" ON "dead_letters"  ("message_id") WHERE message_id IS NOT NULL`);
        await queryRunner.query(`CREATE INDEX "ix_dead_letters_listing" ON "dead_letters"  ("dead_lettered_at", "id") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."ix_dead_letters_listing"`);
        await queryRunner.query(`DROP INDEX "public"."ix_dead_letters_message"`);
        await queryRunner.query(`DROP TABLE "dead_letters"`);
    }

}
