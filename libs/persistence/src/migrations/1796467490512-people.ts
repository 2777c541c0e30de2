import { MigrationInterface, QueryRunner } from "typeorm";

export class People1796467490512 implements MigrationInterface {
    name = 'People1796467490512'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "people" ("id" uuid NOT NULL, "agency_code" text NOT NULL, "email" text NOT NULL, "name" text NOT NULL, "role" text NOT NULL, "status" text NOT NULL DEFAULT 'invited', "sign_in" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_by_type" text NOT NULL, "created_by" text NOT NULL, "last_sign_in_at" TIMESTAMP WITH TIME ZONE, "disabled_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_aa866e71353ee94c6cc51059c5b" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_people_email" ON "people"  ("email") `);
        await queryRunner.query(`CREATE INDEX "ix_people_agency" ON "people"  ("agency_code", "email") `);
        await queryRunner.query(`CREATE TABLE "person_credentials" ("person_id" uuid NOT NULL, "password_hash" text, "totp_secret" text, "totp_enrolled_at" TIMESTAMP WITH TIME ZONE, "totp_last_step" bigint, "failed_sign_ins" integer NOT NULL DEFAULT '0', "locked_until" TIMESTAMP WITH TIME ZONE, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_c79e56421e36487bff7b5ac323d" PRIMARY KEY ("person_id"))`);
        await queryRunner.query(`CREATE TABLE "person_recovery_codes" ("person_id" uuid NOT NULL, "code_hash" character(64) NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_2313fc3e47b78fa46892a7080ea" PRIMARY KEY ("person_id", "code_hash"))`);
        await queryRunner.query(`CREATE TABLE "person_identities" ("issuer" text NOT NULL, "subject" text NOT NULL, "person_id" uuid NOT NULL, "linked_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_157d85ad8cc10ab43b9f47f2a6c" PRIMARY KEY ("issuer", "subject"))`);
        await queryRunner.query(`CREATE INDEX "ix_person_identities_person" ON "person_identities"  ("person_id") `);
        await queryRunner.query(`CREATE TABLE "enrolment_tokens" ("token_hash" character(64) NOT NULL, "person_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_ddff23a466e3065797969cfd149" PRIMARY KEY ("token_hash"))`);
        await queryRunner.query(`CREATE INDEX "ix_enrolment_tokens_person" ON "enrolment_tokens"  ("person_id") `);
        await queryRunner.query(`CREATE TABLE "identity_providers" ("agency_code" text NOT NULL, "issuer" text NOT NULL, "client_id" text NOT NULL, "client_secret" text NOT NULL, "email_domains" text array NOT NULL, "second_factor_acr" text array NOT NULL DEFAULT '{}', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_15af46590c9ca2e007f5f2e1e00" PRIMARY KEY ("agency_code"))`);
        await queryRunner.query(`ALTER TABLE "audit_log" ADD "principal_type" text NOT NULL DEFAULT ''`);
        await queryRunner.query(`ALTER TABLE "audit_log" ADD "principal_id" text NOT NULL DEFAULT ''`);
        await queryRunner.query(`ALTER TABLE "api_keys" ADD "created_by_type" text`);
        await queryRunner.query(`ALTER TABLE "api_keys" ADD "last_used_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`CREATE INDEX "ix_audit_log_principal" ON "audit_log"  ("principal_id", "seq") `);
        await queryRunner.query(`ALTER TABLE "people" ADD CONSTRAINT "fk_people_agency" FOREIGN KEY ("agency_code") REFERENCES "agencies"("code") ON DELETE NO ACTION ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "person_credentials" ADD CONSTRAINT "fk_person_credentials_person" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "person_recovery_codes" ADD CONSTRAINT "fk_person_recovery_codes_person" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "person_identities" ADD CONSTRAINT "fk_person_identities_person" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "enrolment_tokens" ADD CONSTRAINT "fk_enrolment_tokens_person" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "identity_providers" ADD CONSTRAINT "fk_identity_providers_agency" FOREIGN KEY ("agency_code") REFERENCES "agencies"("code") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "identity_providers" DROP CONSTRAINT "fk_identity_providers_agency"`);
        await queryRunner.query(`ALTER TABLE "enrolment_tokens" DROP CONSTRAINT "fk_enrolment_tokens_person"`);
        await queryRunner.query(`ALTER TABLE "person_identities" DROP CONSTRAINT "fk_person_identities_person"`);
        await queryRunner.query(`ALTER TABLE "person_recovery_codes" DROP CONSTRAINT "fk_person_recovery_codes_person"`);
        await queryRunner.query(`ALTER TABLE "person_credentials" DROP CONSTRAINT "fk_person_credentials_person"`);
        await queryRunner.query(`ALTER TABLE "people" DROP CONSTRAINT "fk_people_agency"`);
        await queryRunner.query(`DROP INDEX "public"."ix_audit_log_principal"`);
        await queryRunner.query(`ALTER TABLE "api_keys" DROP COLUMN "last_used_at"`);
        await queryRunner.query(`ALTER TABLE "api_keys" DROP COLUMN "created_by_type"`);
        await queryRunner.query(`ALTER TABLE "audit_log" DROP COLUMN "principal_id"`);
        await queryRunner.query(`ALTER TABLE "audit_log" DROP COLUMN "principal_type"`);
        await queryRunner.query(`DROP TABLE "identity_providers"`);
        await queryRunner.query(`DROP INDEX "public"."ix_enrolment_tokens_person"`);
        await queryRunner.query(`DROP TABLE "enrolment_tokens"`);
        await queryRunner.query(`DROP INDEX "public"."ix_person_identities_person"`);
        await queryRunner.query(`DROP TABLE "person_identities"`);
        await queryRunner.query(`DROP TABLE "person_recovery_codes"`);
        await queryRunner.query(`DROP TABLE "person_credentials"`);
        await queryRunner.query(`DROP INDEX "public"."ix_people_agency"`);
        await queryRunner.query(`DROP INDEX "public"."uq_people_email"`);
        await queryRunner.query(`DROP TABLE "people"`);
    }

}
