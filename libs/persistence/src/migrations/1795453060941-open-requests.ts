import type { MigrationInterface, QueryRunner } from "typeorm";

export class OpenRequests1795453060941 implements MigrationInterface {
    name = 'OpenRequests1795453060941'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`SET LOCAL statement_timeout = 0`);
        await queryRunner.query(`DROP INDEX "public"."ix_report_requests_open"`);
        await queryRunner.query(`CREATE TABLE "report_open_requests" ("country" text NOT NULL, "partner_country" text NOT NULL, "priority" text NOT NULL, "open" bigint NOT NULL, CONSTRAINT "PK_c5c0579a974bf723042ee2a3ebd" PRIMARY KEY ("country", "partner_country", "priority"))`);
        await queryRunner.query(`CREATE INDEX "ix_report_requests_pending" ON "report_requests"  ("deadline", "country", "partner_country", "priority", "approaching_at") WHERE answered_at IS NULL AND closed_at IS NULL`);
        // The open requests the tracker holds already.
        await queryRunner.query(`INSERT INTO report_open_requests (country, partner_country, priority, open)
                                 SELECT country, partner_country, priority, count(*) FROM report_requests WHERE answered_at IS NULL AND closed_at IS NULL GROUP BY 1, 2, 3`);
        await queryRunner.query(`ANALYZE report_open_requests`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."ix_report_requests_pending"`);
        await queryRunner.query(`DROP TABLE "report_open_requests"`);
        await queryRunner.query(`CREATE INDEX "ix_report_requests_open" ON "report_requests" USING btree ("country", "partner_country", "priority", "approaching_at", "deadline") WHERE ((answered_at IS NULL) AND (closed_at IS NULL))`);
    }

}
