import type { MigrationInterface, QueryRunner } from "typeorm";

export class MatchIndex1795396278295 implements MigrationInterface {
    name = 'MatchIndex1795396278295'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "match_keys" ("key" text NOT NULL, "case_reference" text NOT NULL, "agency" text NOT NULL, "kind" text NOT NULL, "strength" text NOT NULL, "extracted" boolean NOT NULL, "message_id" uuid NOT NULL, "entity_ref" text, "indexed_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_64e37c6e506b0dfb2954fbc2887" PRIMARY KEY ("key", "case_reference", "agency"))`);
        await queryRunner.query(`CREATE INDEX "ix_match_keys_case" ON "match_keys"  ("case_reference") `);
        await queryRunner.query(`CREATE TABLE "match_key_stats" ("key" text NOT NULL, "case_count" integer NOT NULL, "over_correlated_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_54e120da0d5d4bfe9a15e4b0615" PRIMARY KEY ("key"))`);
        await queryRunner.query(`CREATE INDEX "ix_match_key_stats_over_correlated" ON "match_key_stats"  ("over_correlated_at") WHERE over_correlated_at IS NOT NULL`);
        await queryRunner.query(`CREATE TABLE "match_key_exclusions" ("key" text NOT NULL, "reason" text NOT NULL, "excluded_by_key_id" uuid NOT NULL, "excluded_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_a3b51aa0a4c100cbfbfe37cffc2" PRIMARY KEY ("key"))`);
        await queryRunner.query(`CREATE TABLE "matches" ("id" uuid NOT NULL, "key" text NOT NULL, "kind" text NOT NULL, "strength" text NOT NULL, "case_a" text NOT NULL, "agency_a" text NOT NULL, "case_b" text NOT NULL, "agency_b" text NOT NULL, "message_id" uuid NOT NULL, "found_at" TIMESTAMP WITH TIME ZONE NOT NULL, "decision_a" text NOT NULL DEFAULT 'pending', "decided_a_at" TIMESTAMP WITH TIME ZONE, "decision_b" text NOT NULL DEFAULT 'pending', "decided_b_at" TIMESTAMP WITH TIME ZONE, "candidate_state" text, CONSTRAINT "uq_matches_pair_key" UNIQUE ("key", "case_a", "agency_a", "case_b", "agency_b"), CONSTRAINT "PK_8a22c7b2e0828988d51256117f4" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "ix_matches_pair" ON "matches"  ("case_a", "case_b") `);
        await queryRunner.query(`CREATE INDEX "ix_matches_agency_b" ON "matches"  ("agency_b", "found_at") `);
        await queryRunner.query(`CREATE INDEX "ix_matches_agency_a" ON "matches"  ("agency_a", "found_at") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."ix_matches_agency_a"`);
        await queryRunner.query(`DROP INDEX "public"."ix_matches_agency_b"`);
        await queryRunner.query(`DROP INDEX "public"."ix_matches_pair"`);
        await queryRunner.query(`DROP TABLE "matches"`);
        await queryRunner.query(`DROP TABLE "match_key_exclusions"`);
        await queryRunner.query(`DROP INDEX "public"."ix_match_key_stats_over_correlated"`);
        await queryRunner.query(`DROP TABLE "match_key_stats"`);
        await queryRunner.query(`DROP INDEX "public"."ix_match_keys_case"`);
        await queryRunner.query(`DROP TABLE "match_keys"`);
    }

}
