import type { MigrationInterface, QueryRunner } from "typeorm";

export class AgencyKinds1795469992712 implements MigrationInterface {
    name = 'AgencyKinds1795469992712'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "report_agency_kinds_monthly" ("country" text COLLATE "C" NOT NULL, "period" date NOT NULL, "agency" text COLLATE "C" NOT NULL, "message_type" text COLLATE "C" NOT NULL, "crime_area" text COLLATE "C" NOT NULL, "agency_messages" bigint NOT NULL, CONSTRAINT "PK_b73a1da08d92d42b6fb58d56310" PRIMARY KEY ("country", "period", "agency", "message_type", "crime_area"))`);
        await queryRunner.query(`CREATE TABLE "report_agency_kinds_yearly" ("country" text COLLATE "C" NOT NULL, "period" date NOT NULL, "agency" text COLLATE "C" NOT NULL, "message_type" text COLLATE "C" NOT NULL, "crime_area" text COLLATE "C" NOT NULL, "agency_messages" bigint NOT NULL, CONSTRAINT "PK_ab5c8dc2c7c3dcbc8de9d2bd7e6" PRIMARY KEY ("country", "period", "agency", "message_type", "crime_area"))`);
        // The facts kept already, every direction summed: with years of facts, longer than a statement may
        // otherwise take.
        await queryRunner.query(`SET LOCAL statement_timeout = 0`);
        for (const grain of ['monthly', 'yearly']) {
            await queryRunner.query(`INSERT INTO report_agency_kinds_${grain} (country, period, agency, message_type, crime_area, agency_messages)
                                     SELECT country, period, agency, message_type, crime_area, sum(agency_messages) FROM report_agency_exchanges_${grain}
                                      GROUP BY 1, 2, 3, 4, 5 HAVING sum(agency_messages) <> 0`);
            await queryRunner.query(`ANALYZE report_agency_kinds_${grain}`);
        }
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TABLE "report_agency_kinds_yearly"`);
        await queryRunner.query(`DROP TABLE "report_agency_kinds_monthly"`);
    }

}
