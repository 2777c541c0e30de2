import { MigrationInterface, QueryRunner } from 'typeorm';

/** Review periods (with the default of three years as agency '*') and each case's latest review decision. */
export class CaseReview1796640000000 implements MigrationInterface {
  name = 'CaseReview1796640000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "retention_rules" ("agency_code" text NOT NULL, "crime_area" text NOT NULL, "review_after_months" integer NOT NULL, "set_by_type" text NOT NULL, "set_by_id" text NOT NULL, "set_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_retention_rules" PRIMARY KEY ("agency_code", "crime_area"))`,
    );
    await queryRunner.query(
      `INSERT INTO "retention_rules" ("agency_code", "crime_area", "review_after_months", "set_by_type", "set_by_id", "set_at") VALUES ('*', '', 36, 'system', 'migration', now())`,
    );
    await queryRunner.query(
      `CREATE TABLE "case_reviews" ("case_reference" text NOT NULL, "decision" text NOT NULL, "extended_until" TIMESTAMP WITH TIME ZONE, "reason" text, "decided_by_type" text NOT NULL, "decided_by_id" text NOT NULL, "decided_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_case_reviews" PRIMARY KEY ("case_reference"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "case_reviews"`);
    await queryRunner.query(`DROP TABLE "retention_rules"`);
  }
}
