import type { MigrationInterface, QueryRunner } from "typeorm";

export class MatchAnnouncements1795396874095 implements MigrationInterface {
    name = 'MatchAnnouncements1795396874095'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "matches" ADD "announced_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`CREATE INDEX "ix_matches_unannounced" ON "matches"  ("message_id") WHERE announced_at IS NULL`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."ix_matches_unannounced"`);
        await queryRunner.query(`ALTER TABLE "matches" DROP COLUMN "announced_at"`);
    }

}
