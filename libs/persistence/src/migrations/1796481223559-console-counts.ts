import { MigrationInterface, QueryRunner } from "typeorm";

export class ConsoleCounts1796481223559 implements MigrationInterface {
    name = 'ConsoleCounts1796481223559'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE INDEX "ix_deliveries_unanswered" ON "deliveries"  ("recipient_agency", "answer_deadline") WHERE answered_at IS NULL AND answer_deadline IS NOT NULL`);
        await queryRunner.query(`CREATE INDEX "ix_deliveries_unopened" ON "deliveries"  ("recipient_agency") WHERE state = 'delivered'`);
        await queryRunner.query(`CREATE INDEX "ix_matches_pending_b" ON "matches"  ("agency_b") WHERE decision_b = 'pending'`);
        await queryRunner.query(`CREATE INDEX "ix_matches_pending_a" ON "matches"  ("agency_a") WHERE decision_a = 'pending'`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."ix_matches_pending_a"`);
        await queryRunner.query(`DROP INDEX "public"."ix_matches_pending_b"`);
        await queryRunner.query(`DROP INDEX "public"."ix_deliveries_unopened"`);
        await queryRunner.query(`DROP INDEX "public"."ix_deliveries_unanswered"`);
    }

}
