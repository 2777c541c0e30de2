import type { MigrationInterface, QueryRunner } from "typeorm";

export class DismissedCandidates1795402841036 implements MigrationInterface {
    name = 'DismissedCandidates1795402841036'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE INDEX "ix_matches_dismissed_b" ON "matches"  ("case_b") WHERE candidate_state = 'dismissed'`);
        await queryRunner.query(`CREATE INDEX "ix_matches_dismissed_a" ON "matches"  ("case_a") WHERE candidate_state = 'dismissed'`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."ix_matches_dismissed_a"`);
        await queryRunner.query(`DROP INDEX "public"."ix_matches_dismissed_b"`);
    }

}
