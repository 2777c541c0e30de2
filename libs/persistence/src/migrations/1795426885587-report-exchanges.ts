import type { MigrationInterface, QueryRunner } from "typeorm";

export class ReportExchanges1795426885587 implements MigrationInterface {
    name = 'ReportExchanges1795426885587'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "report_exchanges_daily" ("day" date NOT NULL, "agency" text NOT NULL, "direction" text NOT NULL, "partner_country" text NOT NULL, "message_type" text NOT NULL, "crime_area" text NOT NULL, "messages" bigint NOT NULL, "agency_messages" bigint NOT NULL, "partner_messages" bigint NOT NULL, "country_messages" bigint NOT NULL, CONSTRAINT "PK_1b7c762babaeb0c59f6e92e57ba" PRIMARY KEY ("day", "agency", "direction", "partner_country", "message_type", "crime_area"))`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TABLE "report_exchanges_daily"`);
    }

}
