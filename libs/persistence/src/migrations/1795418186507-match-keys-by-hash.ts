import type { MigrationInterface, QueryRunner } from "typeorm";

export class MatchKeysByHash1795418186507 implements MigrationInterface {
    name = 'MatchKeysByHash1795418186507'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "match_keys_over_correlated" ("key" text NOT NULL, "over_correlated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_6618a4fd20233d01f108e8750e1" PRIMARY KEY ("key"))`);
        await queryRunner.query(`CREATE INDEX "ix_match_keys_over_correlated_at" ON "match_keys_over_correlated"  ("over_correlated_at") `);
        await queryRunner.query(`INSERT INTO "match_keys_over_correlated" ("key", "over_correlated_at") SELECT "key", "over_correlated_at" FROM "match_key_stats" WHERE "over_correlated_at" IS NOT NULL`);
        await queryRunner.query(`DROP TABLE "match_key_stats"`);
        await queryRunner.query(`ALTER TABLE "match_keys" ADD "key_hash" bigint`);
        await queryRunner.query(`UPDATE "match_keys" SET "key_hash" = hashtextextended("key", 0)`);
        await queryRunner.query(`ALTER TABLE "match_keys" ALTER COLUMN "key_hash" SET NOT NULL`);
        await queryRunner.query(`ALTER TABLE "match_keys" DROP CONSTRAINT "PK_64e37c6e506b0dfb2954fbc2887"`);
        await queryRunner.query(`ALTER TABLE "match_keys" ADD CONSTRAINT "PK_efa1fc8565b0a1d4237001f880b" PRIMARY KEY ("key_hash", "case_reference", "agency")`);
        await queryRunner.query(`ALTER TABLE "match_keys" DROP COLUMN "kind"`);
        await queryRunner.query(`ALTER TABLE "match_keys" DROP COLUMN "strength"`);
        await queryRunner.query(`DROP INDEX "public"."ix_matches_pair"`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE INDEX "ix_matches_pair" ON "matches"  ("case_a", "case_b") `);
        await queryRunner.query(`ALTER TABLE "match_keys" ADD "strength" text`);
        await queryRunner.query(`ALTER TABLE "match_keys" ADD "kind" text`);
        await queryRunner.query(`UPDATE "match_keys" SET "kind" = split_part("key", ':', 1), "strength" = CASE WHEN "key" LIKE 'person-%' THEN 'candidate' ELSE 'strong' END`);
        await queryRunner.query(`ALTER TABLE "match_keys" ALTER COLUMN "kind" SET NOT NULL`);
        await queryRunner.query(`ALTER TABLE "match_keys" ALTER COLUMN "strength" SET NOT NULL`);
        await queryRunner.query(`ALTER TABLE "match_keys" DROP CONSTRAINT "PK_efa1fc8565b0a1d4237001f880b"`);
        await queryRunner.query(`ALTER TABLE "match_keys" ADD CONSTRAINT "PK_64e37c6e506b0dfb2954fbc2887" PRIMARY KEY ("key", "case_reference", "agency")`);
        await queryRunner.query(`ALTER TABLE "match_keys" DROP COLUMN "key_hash"`);
        await queryRunner.query(`CREATE TABLE "match_key_stats" ("key" text NOT NULL, "case_count" integer NOT NULL, "over_correlated_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_54e120da0d5d4bfe9a15e4b0615" PRIMARY KEY ("key"))`);
        await queryRunner.query(`CREATE INDEX "ix_match_key_stats_over_correlated" ON "match_key_stats"  ("over_correlated_at") WHERE over_correlated_at IS NOT NULL`);
        await queryRunner.query(`INSERT INTO "match_key_stats" ("key", "case_count", "over_correlated_at") SELECT k."key", count(DISTINCT k."case_reference"), o."over_correlated_at" FROM "match_keys" k LEFT JOIN "match_keys_over_correlated" o ON o."key" = k."key" GROUP BY k."key", o."over_correlated_at"`);
        await queryRunner.query(`DROP INDEX "public"."ix_match_keys_over_correlated_at"`);
        await queryRunner.query(`DROP TABLE "match_keys_over_correlated"`);
    }

}
