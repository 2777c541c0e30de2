import type { MigrationInterface, QueryRunner } from "typeorm";

export class MatchKeysByKeyOnly1795403178471 implements MigrationInterface {
    name = 'MatchKeysByKeyOnly1795403178471'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."ix_match_keys_case"`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE INDEX "ix_match_keys_case" ON "match_keys" USING btree ("case_reference") `);
    }

}
