import { MigrationInterface, QueryRunner } from "typeorm";

export class CaseErasure1796610000000 implements MigrationInterface {
    name = 'CaseErasure1796610000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "case_erasures" ("case_reference" text NOT NULL, "owner_agency" text NOT NULL, "participants" text array NOT NULL, "attachment_sha256" text array NOT NULL, "ground" text NOT NULL, "requested_by_type" text NOT NULL, "requested_by_id" text NOT NULL, "requested_at" TIMESTAMP WITH TIME ZONE NOT NULL, "published_at" TIMESTAMP WITH TIME ZONE, "completed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_case_erasures" PRIMARY KEY ("case_reference"))`);
        await queryRunner.query(`CREATE INDEX "ix_case_erasures_pending" ON "case_erasures" ("requested_at") WHERE completed_at IS NULL`);
        await queryRunner.query(`CREATE TABLE "case_erasure_parts" ("case_reference" text NOT NULL, "part" text NOT NULL, "done_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_case_erasure_parts" PRIMARY KEY ("case_reference", "part"))`);
        await queryRunner.query(`CREATE TABLE "case_holds" ("case_reference" text NOT NULL, "reason" text NOT NULL, "placed_by_type" text NOT NULL, "placed_by_id" text NOT NULL, "placed_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_case_holds" PRIMARY KEY ("case_reference"))`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TABLE "case_holds"`);
        await queryRunner.query(`DROP TABLE "case_erasure_parts"`);
        await queryRunner.query(`DROP INDEX "public"."ix_case_erasures_pending"`);
        await queryRunner.query(`DROP TABLE "case_erasures"`);
    }

}
