import type { MigrationInterface, QueryRunner } from "typeorm";

export class InitialSchema1795374019184 implements MigrationInterface {
    name = 'InitialSchema1795374019184'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "agencies" ("code" text NOT NULL, "name" text NOT NULL, "kind" text NOT NULL, "country" text NOT NULL, "region" text, CONSTRAINT "PK_6acd8cc6374916c08b4d7f060c8" PRIMARY KEY ("code"))`);
        await queryRunner.query(`CREATE TABLE "api_keys" ("id" uuid NOT NULL, "key_hash" text NOT NULL, "hint" text NOT NULL, "agency_code" text NOT NULL, "role" text NOT NULL, "label" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_by" uuid, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_5c8a79801b44bd27b79228e1dad" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_api_keys_key_hash" ON "api_keys"  ("key_hash") `);
        await queryRunner.query(`CREATE TABLE "cases" ("reference" text NOT NULL, "owner_agency" text NOT NULL, "opened_at" TIMESTAMP WITH TIME ZONE NOT NULL, "opened_by_message" uuid NOT NULL, CONSTRAINT "PK_54644dc5f4b6350d047ab0ce40a" PRIMARY KEY ("reference"))`);
        await queryRunner.query(`CREATE TABLE "case_participants" ("case_reference" text NOT NULL, "agency_code" text NOT NULL, "joined_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_3ae0e067a9014140d432d838c94" PRIMARY KEY ("case_reference", "agency_code"))`);
        await queryRunner.query(`CREATE TABLE "messages" ("id" uuid NOT NULL, "case_reference" text NOT NULL, "sender_agency" text NOT NULL, "subject" text NOT NULL, "body" text NOT NULL, "submitted_at" TIMESTAMP WITH TIME ZONE NOT NULL, "routed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "submitted_by_key_id" uuid NOT NULL, "correlation_id" text NOT NULL, CONSTRAINT "PK_18325f38ae6de43878487eff986" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "ix_messages_case" ON "messages"  ("case_reference") `);
        await queryRunner.query(`CREATE INDEX "ix_messages_sender_submitted" ON "messages"  ("sender_agency", "submitted_at") `);
        await queryRunner.query(`CREATE TABLE "deliveries" ("message_id" uuid NOT NULL, "recipient_agency" text NOT NULL, "state" text NOT NULL, "delivered_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_5d7994fc88d9f64bcd8e8ca28a4" PRIMARY KEY ("message_id", "recipient_agency"))`);
        await queryRunner.query(`CREATE INDEX "ix_deliveries_inbox" ON "deliveries"  ("recipient_agency", "delivered_at", "message_id") `);
        await queryRunner.query(`CREATE TABLE "message_rejections" ("message_id" uuid NOT NULL, "case_reference" text NOT NULL, "sender_agency" text NOT NULL, "reason" text NOT NULL, "detail" text NOT NULL, "submitted_at" TIMESTAMP WITH TIME ZONE NOT NULL, "rejected_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_e56c4c80eea5ce54eea07d137c2" PRIMARY KEY ("message_id"))`);
        await queryRunner.query(`CREATE TABLE "processed_events" ("consumer" text NOT NULL, "event_id" uuid NOT NULL, "processed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_270df9e0013dff41bb91d555db4" PRIMARY KEY ("consumer", "event_id"))`);
        await queryRunner.query(`CREATE TABLE "volume_daily" ("day" date NOT NULL, "sender_country" text NOT NULL, "recipient_country" text NOT NULL, "messages" bigint NOT NULL, CONSTRAINT "PK_4c674f19d194b0cf838cbecf7e9" PRIMARY KEY ("day", "sender_country", "recipient_country"))`);
        await queryRunner.query(`CREATE TABLE "volume_sent_daily" ("day" date NOT NULL, "sender_country" text NOT NULL, "messages" bigint NOT NULL, CONSTRAINT "PK_f6baff347793fd0260535e8dbe5" PRIMARY KEY ("day", "sender_country"))`);
        await queryRunner.query(`ALTER TABLE "api_keys" ADD CONSTRAINT "fk_api_keys_agency" FOREIGN KEY ("agency_code") REFERENCES "agencies"("code") ON DELETE NO ACTION ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "cases" ADD CONSTRAINT "fk_cases_owner_agency" FOREIGN KEY ("owner_agency") REFERENCES "agencies"("code") ON DELETE NO ACTION ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "case_participants" ADD CONSTRAINT "fk_case_participants_case" FOREIGN KEY ("case_reference") REFERENCES "cases"("reference") ON DELETE NO ACTION ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "case_participants" ADD CONSTRAINT "fk_case_participants_agency" FOREIGN KEY ("agency_code") REFERENCES "agencies"("code") ON DELETE NO ACTION ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "messages" ADD CONSTRAINT "fk_messages_case" FOREIGN KEY ("case_reference") REFERENCES "cases"("reference") ON DELETE NO ACTION ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "messages" ADD CONSTRAINT "fk_messages_sender_agency" FOREIGN KEY ("sender_agency") REFERENCES "agencies"("code") ON DELETE NO ACTION ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "deliveries" ADD CONSTRAINT "fk_deliveries_message" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "deliveries" ADD CONSTRAINT "fk_deliveries_recipient_agency" FOREIGN KEY ("recipient_agency") REFERENCES "agencies"("code") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "deliveries" DROP CONSTRAINT "fk_deliveries_recipient_agency"`);
        await queryRunner.query(`ALTER TABLE "deliveries" DROP CONSTRAINT "fk_deliveries_message"`);
        await queryRunner.query(`ALTER TABLE "messages" DROP CONSTRAINT "fk_messages_sender_agency"`);
        await queryRunner.query(`ALTER TABLE "messages" DROP CONSTRAINT "fk_messages_case"`);
        await queryRunner.query(`ALTER TABLE "case_participants" DROP CONSTRAINT "fk_case_participants_agency"`);
        await queryRunner.query(`ALTER TABLE "case_participants" DROP CONSTRAINT "fk_case_participants_case"`);
        await queryRunner.query(`ALTER TABLE "cases" DROP CONSTRAINT "fk_cases_owner_agency"`);
        await queryRunner.query(`ALTER TABLE "api_keys" DROP CONSTRAINT "fk_api_keys_agency"`);
        await queryRunner.query(`DROP TABLE "volume_sent_daily"`);
        await queryRunner.query(`DROP TABLE "volume_daily"`);
        await queryRunner.query(`DROP TABLE "processed_events"`);
        await queryRunner.query(`DROP TABLE "message_rejections"`);
        await queryRunner.query(`DROP INDEX "public"."ix_deliveries_inbox"`);
        await queryRunner.query(`DROP TABLE "deliveries"`);
        await queryRunner.query(`DROP INDEX "public"."ix_messages_sender_submitted"`);
        await queryRunner.query(`DROP INDEX "public"."ix_messages_case"`);
        await queryRunner.query(`DROP TABLE "messages"`);
        await queryRunner.query(`DROP TABLE "case_participants"`);
        await queryRunner.query(`DROP TABLE "cases"`);
        await queryRunner.query(`DROP INDEX "public"."uq_api_keys_key_hash"`);
        await queryRunner.query(`DROP TABLE "api_keys"`);
        await queryRunner.query(`DROP TABLE "agencies"`);
    }

}
