import type { MigrationInterface, QueryRunner } from "typeorm";

export class AuditJitsForwardsAttachments1795382520772 implements MigrationInterface {
    name = 'AuditJitsForwardsAttachments1795382520772'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "uploads" ("id" uuid NOT NULL, "agency_code" text NOT NULL, "key_id" uuid NOT NULL, "sha256" character(64) NOT NULL, "size" bigint NOT NULL, "file_name" text NOT NULL, "content_type" text NOT NULL, "uploaded_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_d1781d1eedd7459314f60f39bd3" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "ix_uploads_agency" ON "uploads"  ("agency_code", "uploaded_at") `);
        await queryRunner.query(`CREATE TABLE "message_attachments" ("message_id" uuid NOT NULL, "ordinal" smallint NOT NULL, "sha256" character(64) NOT NULL, "file_name" text NOT NULL, "content_type" text NOT NULL, "size" bigint NOT NULL, CONSTRAINT "PK_6e83bda8e579f81201194a80b4c" PRIMARY KEY ("message_id", "ordinal"))`);
        await queryRunner.query(`CREATE INDEX "ix_message_attachments_sha256" ON "message_attachments"  ("sha256") `);
        await queryRunner.query(`CREATE TABLE "audit_log" ("seq" bigint NOT NULL, "event_id" uuid NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "action" text NOT NULL, "agency" text NOT NULL, "key_id" text NOT NULL, "object_type" text NOT NULL, "object_id" text NOT NULL, "detail" text NOT NULL, "prev_hash" character(64) NOT NULL, "hash" character(64) NOT NULL, CONSTRAINT "PK_ce5b9b7d945cab0a6c604bafd9e" PRIMARY KEY ("seq"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_audit_log_event" ON "audit_log"  ("event_id") `);
        await queryRunner.query(`CREATE INDEX "ix_audit_log_object" ON "audit_log"  ("object_id", "seq") `);
        await queryRunner.query(`CREATE INDEX "ix_audit_log_agency" ON "audit_log"  ("agency", "seq") `);
        await queryRunner.query(`CREATE TABLE "forwards" ("id" uuid NOT NULL, "message_id" uuid NOT NULL, "provider_agency" text NOT NULL, "from_agency" text NOT NULL, "to_agency" text NOT NULL, "state" text NOT NULL, "requested_by_key_id" uuid NOT NULL, "requested_at" TIMESTAMP WITH TIME ZONE NOT NULL, "decided_at" TIMESTAMP WITH TIME ZONE, "decided_by_key_id" uuid, CONSTRAINT "PK_b498069862aa0fab8a82c0b98d0" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "ix_forwards_message" ON "forwards"  ("message_id") `);
        await queryRunner.query(`CREATE INDEX "ix_forwards_provider" ON "forwards"  ("provider_agency", "state", "requested_at") `);
        await queryRunner.query(`CREATE TABLE "jits" ("id" uuid NOT NULL, "name" text NOT NULL, "lead_agency" text NOT NULL, "starts_on" date NOT NULL, "ends_on" date NOT NULL, "eurojust" boolean NOT NULL, "europol" boolean NOT NULL, "funding_reference" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_656e62f5e674daf2a32b4db7ee5" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE TABLE "jit_members" ("jit_id" uuid NOT NULL, "agency_code" text NOT NULL, "party_country" text NOT NULL, "joined_at" TIMESTAMP WITH TIME ZONE NOT NULL, "left_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_df33d01c167beed8c56b9c0d252" PRIMARY KEY ("jit_id", "agency_code"))`);
        await queryRunner.query(`CREATE INDEX "ix_jit_members_agency" ON "jit_members"  ("agency_code") `);
        await queryRunner.query(`CREATE TABLE "jit_meetings" ("id" uuid NOT NULL, "jit_id" uuid NOT NULL, "held_on" date NOT NULL, "place" text NOT NULL, "participants" text array NOT NULL, "funded_by" text NOT NULL, "recorded_by_agency" text NOT NULL, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_b66577474a827f58da77760b6d2" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "ix_jit_meetings_jit" ON "jit_meetings"  ("jit_id", "held_on") `);
        await queryRunner.query(`ALTER TABLE "cases" ADD "jit_id" uuid`);
        await queryRunner.query(`ALTER TABLE "messages" ADD "jit_id" uuid`);
        await queryRunner.query(`ALTER TABLE "deliveries" ADD "forwarded_by" text`);
        await queryRunner.query(`CREATE INDEX "ix_cases_jit" ON "cases"  ("jit_id") `);
        await queryRunner.query(`CREATE INDEX "ix_messages_jit" ON "messages"  ("jit_id") WHERE jit_id IS NOT NULL`);
        await queryRunner.query(`ALTER TABLE "jit_members" ADD CONSTRAINT "fk_jit_members_jit" FOREIGN KEY ("jit_id") REFERENCES "jits"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "jit_meetings" ADD CONSTRAINT "fk_jit_meetings_jit" FOREIGN KEY ("jit_id") REFERENCES "jits"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
        // Written by hand: the audit log is append-only. Rows can be inserted, never changed or removed (the
        // hash chain still detects an edit made by someone who can disable this trigger).
        await queryRunner.query(`CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP; END $$`);
        await queryRunner.query(`CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON "audit_log"
            FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TRIGGER audit_log_append_only ON "audit_log"`);
        await queryRunner.query(`DROP FUNCTION audit_log_append_only()`);
        await queryRunner.query(`ALTER TABLE "jit_meetings" DROP CONSTRAINT "fk_jit_meetings_jit"`);
        await queryRunner.query(`ALTER TABLE "jit_members" DROP CONSTRAINT "fk_jit_members_jit"`);
        await queryRunner.query(`DROP INDEX "public"."ix_messages_jit"`);
        await queryRunner.query(`DROP INDEX "public"."ix_cases_jit"`);
        await queryRunner.query(`ALTER TABLE "deliveries" DROP COLUMN "forwarded_by"`);
        await queryRunner.query(`ALTER TABLE "messages" DROP COLUMN "jit_id"`);
        await queryRunner.query(`ALTER TABLE "cases" DROP COLUMN "jit_id"`);
        await queryRunner.query(`DROP INDEX "public"."ix_jit_meetings_jit"`);
        await queryRunner.query(`DROP TABLE "jit_meetings"`);
        await queryRunner.query(`DROP INDEX "public"."ix_jit_members_agency"`);
        await queryRunner.query(`DROP TABLE "jit_members"`);
        await queryRunner.query(`DROP TABLE "jits"`);
        await queryRunner.query(`DROP INDEX "public"."ix_forwards_provider"`);
        await queryRunner.query(`DROP INDEX "public"."ix_forwards_message"`);
        await queryRunner.query(`DROP TABLE "forwards"`);
        await queryRunner.query(`DROP INDEX "public"."ix_audit_log_agency"`);
        await queryRunner.query(`DROP INDEX "public"."ix_audit_log_object"`);
        await queryRunner.query(`DROP INDEX "public"."uq_audit_log_event"`);
        await queryRunner.query(`DROP TABLE "audit_log"`);
        await queryRunner.query(`DROP INDEX "public"."ix_message_attachments_sha256"`);
        await queryRunner.query(`DROP TABLE "message_attachments"`);
        await queryRunner.query(`DROP INDEX "public"."ix_uploads_agency"`);
        await queryRunner.query(`DROP TABLE "uploads"`);
    }

}
