import { MigrationInterface, QueryRunner } from 'typeorm';

/** Cases whose processing is restricted (Art. 16(3)). */
export class CaseRestriction1796650000000 implements MigrationInterface {
  name = 'CaseRestriction1796650000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "case_restrictions" ("case_reference" text NOT NULL, "reason" text NOT NULL, "placed_by_type" text NOT NULL, "placed_by_id" text NOT NULL, "placed_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_case_restrictions" PRIMARY KEY ("case_reference"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "case_restrictions"`);
  }
}
