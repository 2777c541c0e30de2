import { MigrationInterface, QueryRunner } from "typeorm";

export class Console1796478865819 implements MigrationInterface {
    name = 'Console1796478865819'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "accepted_cases" ("reference" text NOT NULL, "agency_code" text NOT NULL, "accepted_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_9588b432033971e121e7f3432d2" PRIMARY KEY ("reference"))`);
        await queryRunner.query(`CREATE TABLE "drafts" ("id" uuid NOT NULL, "person_id" uuid NOT NULL, "agency_code" text NOT NULL, "content" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_0598e229012c6cbd4ccbba97328" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "ix_drafts_person" ON "drafts"  ("person_id", "updated_at") `);
        await queryRunner.query(`ALTER TABLE "drafts" ADD CONSTRAINT "fk_drafts_person" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "drafts" DROP CONSTRAINT "fk_drafts_person"`);
        await queryRunner.query(`DROP INDEX "public"."ix_drafts_person"`);
        await queryRunner.query(`DROP TABLE "drafts"`);
        await queryRunner.query(`DROP TABLE "accepted_cases"`);
    }

}
