import type { MigrationInterface, QueryRunner } from "typeorm";

export class OpenRequestsIndex1795437092500 implements MigrationInterface {
    name = 'OpenRequestsIndex1795437092500'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."ix_report_requests_open"`);
        await queryRunner.query(`CREATE INDEX "ix_report_requests_open" ON "report_requests"  ("country", "partner_country", "priority", "approaching_at", "deadline") WHERE answered_at IS NULL AND closed_at IS NULL`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."ix_report_requests_open"`);
        await queryRunner.query(`CREATE INDEX "ix_report_requests_open" ON "report_requests" USING btree ("country", "partner_country") WHERE ((answered_at IS NULL) AND (closed_at IS NULL))`);
    }

}
