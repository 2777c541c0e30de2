import type { MigrationInterface, QueryRunner } from "typeorm";

export class ReportFacts1795432767907 implements MigrationInterface {
    name = 'ReportFacts1795432767907'

    public async up(queryRunner: QueryRunner): Promise<void> {
        // The report facts replace the volume tables and the first daily exchange facts; the tracker fills them
        // from the topics (npm run tracker:rebuild).
        await queryRunner.query(`DROP TABLE "volume_sent_daily"`);
        await queryRunner.query(`DROP TABLE "volume_daily"`);
        await queryRunner.query(`DROP TABLE "report_exchanges_daily"`);
        await queryRunner.query(`CREATE TABLE "report_agency_exchanges_monthly" ("country" text COLLATE "C" NOT NULL, "period" date NOT NULL, "agency" text COLLATE "C" NOT NULL, "direction" text COLLATE "C" NOT NULL, "message_type" text COLLATE "C" NOT NULL, "crime_area" text COLLATE "C" NOT NULL, "agency_messages" bigint NOT NULL, CONSTRAINT "PK_09bda8d4a68c651385163a12250" PRIMARY KEY ("country", "period", "agency", "direction", "message_type", "crime_area"))`);
        await queryRunner.query(`CREATE TABLE "report_agency_exchanges_yearly" ("country" text COLLATE "C" NOT NULL, "period" date NOT NULL, "agency" text COLLATE "C" NOT NULL, "direction" text COLLATE "C" NOT NULL, "message_type" text COLLATE "C" NOT NULL, "crime_area" text COLLATE "C" NOT NULL, "agency_messages" bigint NOT NULL, CONSTRAINT "PK_4816ce0fca8cf074c8dd527372e" PRIMARY KEY ("country", "period", "agency", "direction", "message_type", "crime_area"))`);
        await queryRunner.query(`CREATE TABLE "report_agency_partner_exchanges_monthly" ("country" text COLLATE "C" NOT NULL, "period" date NOT NULL, "agency" text COLLATE "C" NOT NULL, "direction" text COLLATE "C" NOT NULL, "partner_country" text COLLATE "C" NOT NULL, "messages" bigint NOT NULL, CONSTRAINT "PK_fdb5cde328961ec18e43b3fc312" PRIMARY KEY ("country", "period", "agency", "direction", "partner_country"))`);
        await queryRunner.query(`CREATE TABLE "report_agency_partner_exchanges_yearly" ("country" text COLLATE "C" NOT NULL, "period" date NOT NULL, "agency" text COLLATE "C" NOT NULL, "direction" text COLLATE "C" NOT NULL, "partner_country" text COLLATE "C" NOT NULL, "messages" bigint NOT NULL, CONSTRAINT "PK_4deec6f3bdcd21f0e673b25fa27" PRIMARY KEY ("country", "period", "agency", "direction", "partner_country"))`);
        await queryRunner.query(`CREATE TABLE "report_country_exchanges_daily" ("country" text COLLATE "C" NOT NULL, "period" date NOT NULL, "direction" text COLLATE "C" NOT NULL, "partner_country" text COLLATE "C" NOT NULL, "message_type" text COLLATE "C" NOT NULL, "crime_area" text COLLATE "C" NOT NULL, "partner_messages" bigint NOT NULL, "country_messages" bigint NOT NULL, CONSTRAINT "PK_2e57039a79002f23246e0415c80" PRIMARY KEY ("country", "period", "direction", "partner_country", "message_type", "crime_area"))`);
        await queryRunner.query(`CREATE TABLE "report_country_exchanges_monthly" ("country" text COLLATE "C" NOT NULL, "period" date NOT NULL, "direction" text COLLATE "C" NOT NULL, "partner_country" text COLLATE "C" NOT NULL, "message_type" text COLLATE "C" NOT NULL, "crime_area" text COLLATE "C" NOT NULL, "partner_messages" bigint NOT NULL, "country_messages" bigint NOT NULL, CONSTRAINT "PK_4b21f10dcce57c7e6af0734b534" PRIMARY KEY ("country", "period", "direction", "partner_country", "message_type", "crime_area"))`);
        await queryRunner.query(`CREATE TABLE "report_country_exchanges_yearly" ("country" text COLLATE "C" NOT NULL, "period" date NOT NULL, "direction" text COLLATE "C" NOT NULL, "partner_country" text COLLATE "C" NOT NULL, "message_type" text COLLATE "C" NOT NULL, "crime_area" text COLLATE "C" NOT NULL, "partner_messages" bigint NOT NULL, "country_messages" bigint NOT NULL, CONSTRAINT "PK_b7fb99bd89f695825b00e155ac7" PRIMARY KEY ("country", "period", "direction", "partner_country", "message_type", "crime_area"))`);
        await queryRunner.query(`CREATE TABLE "report_requests" ("message_id" uuid NOT NULL, "recipient_agency" text COLLATE "C" NOT NULL, "case_reference" text NOT NULL, "country" text NOT NULL, "partner_country" text NOT NULL, "priority" text NOT NULL, "sent_at" TIMESTAMP WITH TIME ZONE NOT NULL, "approaching_at" TIMESTAMP WITH TIME ZONE NOT NULL, "deadline" TIMESTAMP WITH TIME ZONE NOT NULL, "answered_at" TIMESTAMP WITH TIME ZONE, "closed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_520f6b105b2b62f71cd5bd06b49" PRIMARY KEY ("message_id", "recipient_agency"))`);
        await queryRunner.query(`CREATE INDEX "ix_report_requests_case" ON "report_requests"  ("case_reference") `);
        await queryRunner.query(`CREATE INDEX "ix_report_requests_open" ON "report_requests"  ("country", "partner_country") WHERE answered_at IS NULL AND closed_at IS NULL`);
        await queryRunner.query(`CREATE TABLE "report_request_counts_monthly" ("country" text COLLATE "C" NOT NULL, "period" date NOT NULL, "partner_country" text COLLATE "C" NOT NULL, "priority" text COLLATE "C" NOT NULL, "requests" bigint NOT NULL, "answered" bigint NOT NULL, "within_deadline" bigint NOT NULL, CONSTRAINT "PK_6801cf23990f1f4cea9a300052a" PRIMARY KEY ("country", "period", "partner_country", "priority"))`);
        await queryRunner.query(`CREATE TABLE "report_request_counts_yearly" ("country" text COLLATE "C" NOT NULL, "period" date NOT NULL, "partner_country" text COLLATE "C" NOT NULL, "priority" text COLLATE "C" NOT NULL, "requests" bigint NOT NULL, "answered" bigint NOT NULL, "within_deadline" bigint NOT NULL, CONSTRAINT "PK_d0e5b2cf832daec395b2fcac8e2" PRIMARY KEY ("country", "period", "partner_country", "priority"))`);
        await queryRunner.query(`CREATE TABLE "report_answer_times_monthly" ("country" text COLLATE "C" NOT NULL, "period" date NOT NULL, "partner_country" text COLLATE "C" NOT NULL, "priority" text COLLATE "C" NOT NULL, "bucket" smallint NOT NULL, "answers" bigint NOT NULL, CONSTRAINT "PK_21c93d7f9de590662ee57afedb2" PRIMARY KEY ("country", "period", "partner_country", "priority", "bucket"))`);
        await queryRunner.query(`CREATE TABLE "report_answer_times_yearly" ("country" text COLLATE "C" NOT NULL, "period" date NOT NULL, "partner_country" text COLLATE "C" NOT NULL, "priority" text COLLATE "C" NOT NULL, "bucket" smallint NOT NULL, "answers" bigint NOT NULL, CONSTRAINT "PK_cf4509841f8ff6cfb1aaff1ba0c" PRIMARY KEY ("country", "period", "partner_country", "priority", "bucket"))`);
        await queryRunner.query(`CREATE TABLE "report_matches" ("match_id" uuid NOT NULL, "found_on" date, "entity_type" text NOT NULL, "strength" text NOT NULL, "a_agency" text NOT NULL, "a_country" text NOT NULL, "a_decision" text NOT NULL, "b_agency" text NOT NULL, "b_country" text NOT NULL, "b_decision" text NOT NULL, "candidate_state" text, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_0cf4e6cdf0989e7a14a76cc5855" PRIMARY KEY ("match_id"))`);
        await queryRunner.query(`CREATE TABLE "report_match_counts_monthly" ("country" text COLLATE "C" NOT NULL, "period" date NOT NULL, "partner_country" text COLLATE "C" NOT NULL, "entity_type" text COLLATE "C" NOT NULL, "strength" text COLLATE "C" NOT NULL, "found" bigint NOT NULL, "released" bigint NOT NULL, "declined" bigint NOT NULL, "confirmed" bigint NOT NULL, "dismissed" bigint NOT NULL, CONSTRAINT "PK_ae5beb7f1b0974406ac3c66289b" PRIMARY KEY ("country", "period", "partner_country", "entity_type", "strength"))`);
        await queryRunner.query(`CREATE TABLE "report_match_counts_yearly" ("country" text COLLATE "C" NOT NULL, "period" date NOT NULL, "partner_country" text COLLATE "C" NOT NULL, "entity_type" text COLLATE "C" NOT NULL, "strength" text COLLATE "C" NOT NULL, "found" bigint NOT NULL, "released" bigint NOT NULL, "declined" bigint NOT NULL, "confirmed" bigint NOT NULL, "dismissed" bigint NOT NULL, CONSTRAINT "PK_c55b1dce68eddaf5f991f811cdf" PRIMARY KEY ("country", "period", "partner_country", "entity_type", "strength"))`);
        await queryRunner.query(`CREATE TABLE "report_jits" ("jit_id" uuid NOT NULL, "lead_agency" text NOT NULL, "lead_country" text NOT NULL, "members" text array NOT NULL, "countries" text array NOT NULL, "created_on" date NOT NULL, "starts_on" date NOT NULL, "ends_on" date NOT NULL, CONSTRAINT "PK_0c275a617d8043bfafa9df8b4eb" PRIMARY KEY ("jit_id"))`);
        await queryRunner.query(`CREATE TABLE "report_jit_meetings" ("meeting_id" uuid NOT NULL, "jit_id" uuid NOT NULL, "held_on" date NOT NULL, "called_by_country" text NOT NULL, "countries" text array NOT NULL, CONSTRAINT "PK_20bec5845f10b762e85edb1ff2b" PRIMARY KEY ("meeting_id"))`);
        await queryRunner.query(`CREATE TABLE "report_closed_cases" ("case_reference" text NOT NULL, "closed_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_report_closed_cases" PRIMARY KEY ("case_reference"))`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TABLE "report_closed_cases"`);
        await queryRunner.query(`DROP TABLE "report_jit_meetings"`);
        await queryRunner.query(`DROP TABLE "report_jits"`);
        await queryRunner.query(`DROP TABLE "report_match_counts_yearly"`);
        await queryRunner.query(`DROP TABLE "report_match_counts_monthly"`);
        await queryRunner.query(`DROP TABLE "report_matches"`);
        await queryRunner.query(`DROP TABLE "report_answer_times_yearly"`);
        await queryRunner.query(`DROP TABLE "report_answer_times_monthly"`);
        await queryRunner.query(`DROP TABLE "report_request_counts_yearly"`);
        await queryRunner.query(`DROP TABLE "report_request_counts_monthly"`);
        await queryRunner.query(`DROP INDEX "public"."ix_report_requests_open"`);
        await queryRunner.query(`DROP INDEX "public"."ix_report_requests_case"`);
        await queryRunner.query(`DROP TABLE "report_requests"`);
        await queryRunner.query(`DROP TABLE "report_country_exchanges_yearly"`);
        await queryRunner.query(`DROP TABLE "report_country_exchanges_monthly"`);
        await queryRunner.query(`DROP TABLE "report_country_exchanges_daily"`);
        await queryRunner.query(`DROP TABLE "report_agency_partner_exchanges_yearly"`);
        await queryRunner.query(`DROP TABLE "report_agency_partner_exchanges_monthly"`);
        await queryRunner.query(`DROP TABLE "report_agency_exchanges_yearly"`);
        await queryRunner.query(`DROP TABLE "report_agency_exchanges_monthly"`);
        await queryRunner.query(`CREATE TABLE "report_exchanges_daily" ("day" date NOT NULL, "agency" text NOT NULL, "direction" text NOT NULL, "partner_country" text NOT NULL, "message_type" text NOT NULL, "crime_area" text NOT NULL, "messages" bigint NOT NULL, "agency_messages" bigint NOT NULL, "partner_messages" bigint NOT NULL, "country_messages" bigint NOT NULL, CONSTRAINT "PK_1b7c762babaeb0c59f6e92e57ba" PRIMARY KEY ("day", "agency", "direction", "partner_country", "message_type", "crime_area"))`);
        await queryRunner.query(`CREATE TABLE "volume_daily" ("day" date NOT NULL, "sender_country" text NOT NULL, "recipient_country" text NOT NULL, "messages" bigint NOT NULL, CONSTRAINT "PK_4c674f19d194b0cf838cbecf7e9" PRIMARY KEY ("day", "sender_country", "recipient_country"))`);
        await queryRunner.query(`CREATE TABLE "volume_sent_daily" ("day" date NOT NULL, "sender_country" text NOT NULL, "messages" bigint NOT NULL, CONSTRAINT "PK_f6baff347793fd0260535e8dbe5" PRIMARY KEY ("day", "sender_country"))`);
    }

}
