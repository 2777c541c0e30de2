import type { MigrationInterface, QueryRunner } from "typeorm";

/** Sums a cube's rows into another table: `keys` kept (the period mapped by `period`), `counts` summed. */
async function sumInto(queryRunner: QueryRunner, target: string, source: string, keys: string[], counts: string[], period = 'period', country = 'country'): Promise<void> {
    await queryRunner.query(`INSERT INTO ${target} (country, period, ${[...keys, ...counts].join(', ')})
        SELECT ${country}, ${period}, ${keys.join(', ')}, ${counts.map((c) => `sum(${c})`).join(', ')} FROM ${source}
         GROUP BY ${[country, period, ...keys].map((_, i) => i + 1).join(', ')} HAVING ${counts.map((c) => `sum(${c}) <> 0`).join(' OR ')}`);
}


export class ReportCubes1795445390650 implements MigrationInterface {
    name = 'ReportCubes1795445390650'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "report_country_directions_daily" ("country" text COLLATE "C" NOT NULL, "period" date NOT NULL, "direction" text COLLATE "C" NOT NULL, "country_messages" bigint NOT NULL, CONSTRAINT "PK_9bd9a01db349d781fd27c4c508a" PRIMARY KEY ("country", "period", "direction"))`);
        await queryRunner.query(`CREATE TABLE "report_country_directions_monthly" ("country" text COLLATE "C" NOT NULL, "period" date NOT NULL, "direction" text COLLATE "C" NOT NULL, "country_messages" bigint NOT NULL, CONSTRAINT "PK_4542fa89f236ef5f76f7943320e" PRIMARY KEY ("country", "period", "direction"))`);
        await queryRunner.query(`CREATE TABLE "report_country_directions_yearly" ("country" text COLLATE "C" NOT NULL, "period" date NOT NULL, "direction" text COLLATE "C" NOT NULL, "country_messages" bigint NOT NULL, CONSTRAINT "PK_595fb85949a764527b30d5ee2d1" PRIMARY KEY ("country", "period", "direction"))`);
        await queryRunner.query(`CREATE TABLE "report_country_totals_daily" ("country" text COLLATE "C" NOT NULL, "period" date NOT NULL, "direction" text COLLATE "C" NOT NULL, "message_type" text COLLATE "C" NOT NULL, "crime_area" text COLLATE "C" NOT NULL, "country_messages" bigint NOT NULL, CONSTRAINT "PK_24aa01a94051aef94bead48f356" PRIMARY KEY ("country", "period", "direction", "message_type", "crime_area"))`);
        await queryRunner.query(`CREATE TABLE "report_country_totals_monthly" ("country" text COLLATE "C" NOT NULL, "period" date NOT NULL, "direction" text COLLATE "C" NOT NULL, "message_type" text COLLATE "C" NOT NULL, "crime_area" text COLLATE "C" NOT NULL, "country_messages" bigint NOT NULL, CONSTRAINT "PK_52ac26a6ccbc372b4c19376d578" PRIMARY KEY ("country", "period", "direction", "message_type", "crime_area"))`);
        await queryRunner.query(`CREATE TABLE "report_country_totals_yearly" ("country" text COLLATE "C" NOT NULL, "period" date NOT NULL, "direction" text COLLATE "C" NOT NULL, "message_type" text COLLATE "C" NOT NULL, "crime_area" text COLLATE "C" NOT NULL, "country_messages" bigint NOT NULL, CONSTRAINT "PK_6a13a14333cebb71da8a07d174b" PRIMARY KEY ("country", "period", "direction", "message_type", "crime_area"))`);
        await queryRunner.query(`CREATE TABLE "report_country_partners_daily" ("country" text COLLATE "C" NOT NULL, "period" date NOT NULL, "direction" text COLLATE "C" NOT NULL, "partner_country" text COLLATE "C" NOT NULL, "partner_messages" bigint NOT NULL, CONSTRAINT "PK_177d05f4c6e9453e95531dbedb0" PRIMARY KEY ("country", "period", "direction", "partner_country"))`);
        await queryRunner.query(`CREATE TABLE "report_country_partners_monthly" ("country" text COLLATE "C" NOT NULL, "period" date NOT NULL, "direction" text COLLATE "C" NOT NULL, "partner_country" text COLLATE "C" NOT NULL, "partner_messages" bigint NOT NULL, CONSTRAINT "PK_0a69a15b74f903452c30a55375f" PRIMARY KEY ("country", "period", "direction", "partner_country"))`);
        await queryRunner.query(`CREATE TABLE "report_country_partners_yearly" ("country" text COLLATE "C" NOT NULL, "period" date NOT NULL, "direction" text COLLATE "C" NOT NULL, "partner_country" text COLLATE "C" NOT NULL, "partner_messages" bigint NOT NULL, CONSTRAINT "PK_e1fff11bb8c305c2529cfdf92f0" PRIMARY KEY ("country", "period", "direction", "partner_country"))`);
        await queryRunner.query(`CREATE TABLE "report_agency_totals_monthly" ("country" text COLLATE "C" NOT NULL, "period" date NOT NULL, "agency" text COLLATE "C" NOT NULL, "direction" text COLLATE "C" NOT NULL, "agency_messages" bigint NOT NULL, CONSTRAINT "PK_757ebc01d69052f0ab0fed84b6d" PRIMARY KEY ("country", "period", "agency", "direction"))`);
        await queryRunner.query(`CREATE TABLE "report_agency_totals_yearly" ("country" text COLLATE "C" NOT NULL, "period" date NOT NULL, "agency" text COLLATE "C" NOT NULL, "direction" text COLLATE "C" NOT NULL, "agency_messages" bigint NOT NULL, CONSTRAINT "PK_207660bac17a9c0448159fb9849" PRIMARY KEY ("country", "period", "agency", "direction"))`);
        await queryRunner.query(`CREATE TABLE "report_priority_requests_monthly" ("country" text COLLATE "C" NOT NULL, "period" date NOT NULL, "requests" bigint NOT NULL, "answered" bigint NOT NULL, "within_deadline" bigint NOT NULL, "median_bucket" smallint, "p80_bucket" smallint, "percentiles_stale" boolean NOT NULL DEFAULT true, "priority" text COLLATE "C" NOT NULL, CONSTRAINT "PK_b42a8088bf9acd77ac9ed88b836" PRIMARY KEY ("country", "period", "priority"))`);
        await queryRunner.query(`CREATE INDEX "IDX_035b1abca6f8f72558e0f2bcb0" ON "report_priority_requests_monthly"  ("country", "period") WHERE percentiles_stale`);
        await queryRunner.query(`CREATE TABLE "report_priority_requests_quarterly" ("country" text COLLATE "C" NOT NULL, "period" date NOT NULL, "requests" bigint NOT NULL, "answered" bigint NOT NULL, "within_deadline" bigint NOT NULL, "median_bucket" smallint, "p80_bucket" smallint, "percentiles_stale" boolean NOT NULL DEFAULT true, "priority" text COLLATE "C" NOT NULL, CONSTRAINT "PK_d17240e8d6dd4a5de673c9ff06f" PRIMARY KEY ("country", "period", "priority"))`);
        await queryRunner.query(`CREATE INDEX "IDX_755745a8d338055fceed31117f" ON "report_priority_requests_quarterly"  ("country", "period") WHERE percentiles_stale`);
        await queryRunner.query(`CREATE TABLE "report_priority_requests_yearly" ("country" text COLLATE "C" NOT NULL, "period" date NOT NULL, "requests" bigint NOT NULL, "answered" bigint NOT NULL, "within_deadline" bigint NOT NULL, "median_bucket" smallint, "p80_bucket" smallint, "percentiles_stale" boolean NOT NULL DEFAULT true, "priority" text COLLATE "C" NOT NULL, CONSTRAINT "PK_c0b056f32af153fdd1ea90bb801" PRIMARY KEY ("country", "period", "priority"))`);
        await queryRunner.query(`CREATE INDEX "IDX_a62a8f89d19fe0c93035ff4ece" ON "report_priority_requests_yearly"  ("country", "period") WHERE percentiles_stale`);
        await queryRunner.query(`CREATE TABLE "report_partner_requests_monthly" ("country" text COLLATE "C" NOT NULL, "period" date NOT NULL, "requests" bigint NOT NULL, "answered" bigint NOT NULL, "within_deadline" bigint NOT NULL, "median_bucket" smallint, "p80_bucket" smallint, "percentiles_stale" boolean NOT NULL DEFAULT true, "partner_country" text COLLATE "C" NOT NULL, CONSTRAINT "PK_b81ee07b53900c4c851f5960254" PRIMARY KEY ("country", "period", "partner_country"))`);
        await queryRunner.query(`CREATE INDEX "IDX_d62312cc7df0d3ccd007242a2c" ON "report_partner_requests_monthly"  ("country", "period") WHERE percentiles_stale`);
        await queryRunner.query(`CREATE TABLE "report_partner_requests_quarterly" ("country" text COLLATE "C" NOT NULL, "period" date NOT NULL, "requests" bigint NOT NULL, "answered" bigint NOT NULL, "within_deadline" bigint NOT NULL, "median_bucket" smallint, "p80_bucket" smallint, "percentiles_stale" boolean NOT NULL DEFAULT true, "partner_country" text COLLATE "C" NOT NULL, CONSTRAINT "PK_4ad036839d702eac32f86bae0e9" PRIMARY KEY ("country", "period", "partner_country"))`);
        await queryRunner.query(`CREATE INDEX "IDX_0da74e863614b66eb69e1970b6" ON "report_partner_requests_quarterly"  ("country", "period") WHERE percentiles_stale`);
        await queryRunner.query(`CREATE TABLE "report_partner_requests_yearly" ("country" text COLLATE "C" NOT NULL, "period" date NOT NULL, "requests" bigint NOT NULL, "answered" bigint NOT NULL, "within_deadline" bigint NOT NULL, "median_bucket" smallint, "p80_bucket" smallint, "percentiles_stale" boolean NOT NULL DEFAULT true, "partner_country" text COLLATE "C" NOT NULL, CONSTRAINT "PK_82273b33f68864d7aad81c5fab6" PRIMARY KEY ("country", "period", "partner_country"))`);
        await queryRunner.query(`CREATE INDEX "IDX_2f4223056f8fe3bbac16f5eec9" ON "report_partner_requests_yearly"  ("country", "period") WHERE percentiles_stale`);
        await queryRunner.query(`CREATE TABLE "report_request_counts_quarterly" ("country" text COLLATE "C" NOT NULL, "period" date NOT NULL, "requests" bigint NOT NULL, "answered" bigint NOT NULL, "within_deadline" bigint NOT NULL, "median_bucket" smallint, "p80_bucket" smallint, "percentiles_stale" boolean NOT NULL DEFAULT true, "partner_country" text COLLATE "C" NOT NULL, "priority" text COLLATE "C" NOT NULL, CONSTRAINT "PK_0bd505144b8a7bbb261d327e9fe" PRIMARY KEY ("country", "period", "partner_country", "priority"))`);
        await queryRunner.query(`CREATE INDEX "IDX_3d8730ce7cc1844bb988e1bf98" ON "report_request_counts_quarterly"  ("country", "period") WHERE percentiles_stale`);
        await queryRunner.query(`CREATE TABLE "report_priority_answer_times_monthly" ("country" text COLLATE "C" NOT NULL, "period" date NOT NULL, "bucket" smallint NOT NULL, "answers" bigint NOT NULL, "priority" text COLLATE "C" NOT NULL, CONSTRAINT "PK_6b1b487b3f91fc13af8cf0589eb" PRIMARY KEY ("country", "period", "bucket", "priority"))`);
        await queryRunner.query(`CREATE TABLE "report_priority_answer_times_quarterly" ("country" text COLLATE "C" NOT NULL, "period" date NOT NULL, "bucket" smallint NOT NULL, "answers" bigint NOT NULL, "priority" text COLLATE "C" NOT NULL, CONSTRAINT "PK_ce1ca1e45d087fce6209302d377" PRIMARY KEY ("country", "period", "bucket", "priority"))`);
        await queryRunner.query(`CREATE TABLE "report_priority_answer_times_yearly" ("country" text COLLATE "C" NOT NULL, "period" date NOT NULL, "bucket" smallint NOT NULL, "answers" bigint NOT NULL, "priority" text COLLATE "C" NOT NULL, CONSTRAINT "PK_2a1155aaa084a7d54d92af05dd4" PRIMARY KEY ("country", "period", "bucket", "priority"))`);
        await queryRunner.query(`CREATE TABLE "report_partner_answer_times_monthly" ("country" text COLLATE "C" NOT NULL, "period" date NOT NULL, "bucket" smallint NOT NULL, "answers" bigint NOT NULL, "partner_country" text COLLATE "C" NOT NULL, CONSTRAINT "PK_c2bc7487367f56d84c1e9533e02" PRIMARY KEY ("country", "period", "bucket", "partner_country"))`);
        await queryRunner.query(`CREATE TABLE "report_partner_answer_times_quarterly" ("country" text COLLATE "C" NOT NULL, "period" date NOT NULL, "bucket" smallint NOT NULL, "answers" bigint NOT NULL, "partner_country" text COLLATE "C" NOT NULL, CONSTRAINT "PK_8240607b0d9b86c1b00178a5d4a" PRIMARY KEY ("country", "period", "bucket", "partner_country"))`);
        await queryRunner.query(`CREATE TABLE "report_partner_answer_times_yearly" ("country" text COLLATE "C" NOT NULL, "period" date NOT NULL, "bucket" smallint NOT NULL, "answers" bigint NOT NULL, "partner_country" text COLLATE "C" NOT NULL, CONSTRAINT "PK_98f5eeec01f33c301008749b529" PRIMARY KEY ("country", "period", "bucket", "partner_country"))`);
        await queryRunner.query(`CREATE TABLE "report_answer_times_quarterly" ("country" text COLLATE "C" NOT NULL, "period" date NOT NULL, "bucket" smallint NOT NULL, "answers" bigint NOT NULL, "partner_country" text COLLATE "C" NOT NULL, "priority" text COLLATE "C" NOT NULL, CONSTRAINT "PK_6c03de18396c4755ca4633f7feb" PRIMARY KEY ("country", "period", "bucket", "partner_country", "priority"))`);
        await queryRunner.query(`CREATE TABLE "report_match_partners_monthly" ("country" text COLLATE "C" NOT NULL, "period" date NOT NULL, "partner_country" text COLLATE "C" NOT NULL, "found" bigint NOT NULL, "released" bigint NOT NULL, "declined" bigint NOT NULL, "confirmed" bigint NOT NULL, "dismissed" bigint NOT NULL, CONSTRAINT "PK_78a07d6d196e454ee96f6ea1f3e" PRIMARY KEY ("country", "period", "partner_country"))`);
        await queryRunner.query(`CREATE TABLE "report_match_partners_yearly" ("country" text COLLATE "C" NOT NULL, "period" date NOT NULL, "partner_country" text COLLATE "C" NOT NULL, "found" bigint NOT NULL, "released" bigint NOT NULL, "declined" bigint NOT NULL, "confirmed" bigint NOT NULL, "dismissed" bigint NOT NULL, CONSTRAINT "PK_c2549f4138065fca0442eff1828" PRIMARY KEY ("country", "period", "partner_country"))`);
        await queryRunner.query(`ALTER TABLE "report_request_counts_monthly" ADD "median_bucket" smallint`);
        await queryRunner.query(`ALTER TABLE "report_request_counts_monthly" ADD "p80_bucket" smallint`);
        await queryRunner.query(`ALTER TABLE "report_request_counts_monthly" ADD "percentiles_stale" boolean NOT NULL DEFAULT true`);
        await queryRunner.query(`ALTER TABLE "report_request_counts_yearly" ADD "median_bucket" smallint`);
        await queryRunner.query(`ALTER TABLE "report_request_counts_yearly" ADD "p80_bucket" smallint`);
        await queryRunner.query(`ALTER TABLE "report_request_counts_yearly" ADD "percentiles_stale" boolean NOT NULL DEFAULT true`);
        await queryRunner.query(`CREATE INDEX "IDX_6ccece30361dc5684efc5070c4" ON "report_request_counts_monthly"  ("country", "period") WHERE percentiles_stale`);
        await queryRunner.query(`CREATE INDEX "IDX_cff4262770e47b14de99281cca" ON "report_request_counts_yearly"  ("country", "period") WHERE percentiles_stale`);

        // The new cubes, quarters and every country's sums, from the facts already kept: with years of facts,
        // longer than a statement may otherwise take.
        await queryRunner.query(`SET LOCAL statement_timeout = 0`);
        const world = (table: string, keys: string[], counts: string[]) => sumInto(queryRunner, table, `${table} WHERE country <> '*'`, keys, counts, 'period', `'*'`);
        for (const grain of ['daily', 'monthly', 'yearly']) {
            if (grain !== 'daily') await world(`report_country_exchanges_${grain}`, ['direction', 'partner_country', 'message_type', 'crime_area'], ['partner_messages', 'country_messages']);
            await sumInto(queryRunner, `report_country_directions_${grain}`, `report_country_exchanges_${grain}`, ['direction'], ['country_messages']);
            await sumInto(queryRunner, `report_country_totals_${grain}`, `report_country_exchanges_${grain}`, ['direction', 'message_type', 'crime_area'], ['country_messages']);
            await sumInto(queryRunner, `report_country_partners_${grain}`, `report_country_exchanges_${grain}`, ['direction', 'partner_country'], ['partner_messages']);
        }
        for (const grain of ['monthly', 'yearly']) {
            await sumInto(queryRunner, `report_agency_totals_${grain}`, `report_agency_exchanges_${grain}`, ['agency', 'direction'], ['agency_messages']);
            await world(`report_match_counts_${grain}`, ['partner_country', 'entity_type', 'strength'], ['found', 'released', 'declined', 'confirmed', 'dismissed']);
            await sumInto(queryRunner, `report_match_partners_${grain}`, `report_match_counts_${grain}`, ['partner_country'], ['found', 'released', 'declined', 'confirmed', 'dismissed']);
        }
        // Days are kept by the smaller cubes only: the full per-country cube was the largest table and write.
        await queryRunner.query(`DROP TABLE "report_country_exchanges_daily"`);
        const requestCounts = ['requests', 'answered', 'within_deadline'];
        await sumInto(queryRunner, 'report_request_counts_quarterly', 'report_request_counts_monthly', ['partner_country', 'priority'], requestCounts, `date_trunc('quarter', period)::date`);
        await sumInto(queryRunner, 'report_answer_times_quarterly', 'report_answer_times_monthly', ['partner_country', 'priority', 'bucket'], ['answers'], `date_trunc('quarter', period)::date`);
        for (const grain of ['monthly', 'quarterly', 'yearly']) {
            await world(`report_request_counts_${grain}`, ['partner_country', 'priority'], requestCounts);
            await world(`report_answer_times_${grain}`, ['partner_country', 'priority', 'bucket'], ['answers']);
            await sumInto(queryRunner, `report_partner_requests_${grain}`, `report_request_counts_${grain}`, ['partner_country'], requestCounts);
            await sumInto(queryRunner, `report_partner_answer_times_${grain}`, `report_answer_times_${grain}`, ['partner_country', 'bucket'], ['answers']);
            await sumInto(queryRunner, `report_priority_requests_${grain}`, `report_request_counts_${grain}`, ['priority'], requestCounts);
            await sumInto(queryRunner, `report_priority_answer_times_${grain}`, `report_answer_times_${grain}`, ['priority', 'bucket'], ['answers']);
            // Each row's median and 80th-percentile buckets (nearest rank) from its answers per bucket.
            for (const [counts, answers, keys] of [
                [`report_priority_requests_${grain}`, `report_priority_answer_times_${grain}`, ['country', 'period', 'priority']],
                [`report_partner_requests_${grain}`, `report_partner_answer_times_${grain}`, ['country', 'period', 'partner_country']],
                [`report_request_counts_${grain}`, `report_answer_times_${grain}`, ['country', 'period', 'partner_country', 'priority']],
            ] as const) {
                const list = keys.join(', ');
                await queryRunner.query(`WITH h AS (SELECT ${list}, bucket, sum(answers) OVER (PARTITION BY ${list} ORDER BY bucket) AS running, sum(answers) OVER (PARTITION BY ${list}) AS total
                                                      FROM ${answers} WHERE answers > 0),
                                            p AS (SELECT ${list}, min(bucket) FILTER (WHERE running >= ceil(total * 0.5)) AS median, min(bucket) FILTER (WHERE running >= ceil(total * 0.8)) AS p80
                                                    FROM h GROUP BY ${list})
                                          UPDATE ${counts} c SET median_bucket = p.median, p80_bucket = p.p80, percentiles_stale = false FROM p WHERE ${keys.map((k) => `c.${k} = p.${k}`).join(' AND ')}`);
                // Rows with no answers have no percentiles to compute.
                await queryRunner.query(`UPDATE ${counts} SET percentiles_stale = false WHERE percentiles_stale AND answered = 0`);
            }
        }
        // Statistics for the new rows, so that reports are planned for them at once.
        for (const table of ['country_directions', 'country_totals', 'country_partners']) for (const grain of ['daily', 'monthly', 'yearly']) await queryRunner.query(`ANALYZE report_${table}_${grain}`);
        for (const grain of ['monthly', 'yearly']) await queryRunner.query(`ANALYZE report_country_exchanges_${grain}`);
        for (const table of ['agency_totals', 'match_counts', 'match_partners']) for (const grain of ['monthly', 'yearly']) await queryRunner.query(`ANALYZE report_${table}_${grain}`);
        for (const table of ['request_counts', 'answer_times', 'partner_requests', 'partner_answer_times', 'priority_requests', 'priority_answer_times']) for (const grain of ['monthly', 'quarterly', 'yearly']) await queryRunner.query(`ANALYZE report_${table}_${grain}`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        // Every country's sums go with the cubes that read them; the full cube is kept per day again (the days
        // before this migration are in the smaller cubes only, and come back with a tracker rebuild).
        for (const grain of ['monthly', 'yearly']) await queryRunner.query(`DELETE FROM report_country_exchanges_${grain} WHERE country = '*'`);
        await queryRunner.query(`CREATE TABLE "report_country_exchanges_daily" ("country" text COLLATE "C" NOT NULL, "period" date NOT NULL, "direction" text COLLATE "C" NOT NULL, "partner_country" text COLLATE "C" NOT NULL, "message_type" text COLLATE "C" NOT NULL, "crime_area" text COLLATE "C" NOT NULL, "partner_messages" bigint NOT NULL, "country_messages" bigint NOT NULL, CONSTRAINT "PK_2e57039a79002f23246e0415c80" PRIMARY KEY ("country", "period", "direction", "partner_country", "message_type", "crime_area"))`);
        for (const table of ['match_counts', 'request_counts', 'answer_times']) for (const grain of ['monthly', 'yearly']) await queryRunner.query(`DELETE FROM report_${table}_${grain} WHERE country = '*'`);
        await queryRunner.query(`DROP INDEX "public"."IDX_cff4262770e47b14de99281cca"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_6ccece30361dc5684efc5070c4"`);
        await queryRunner.query(`ALTER TABLE "report_request_counts_yearly" DROP COLUMN "percentiles_stale"`);
        await queryRunner.query(`ALTER TABLE "report_request_counts_yearly" DROP COLUMN "p80_bucket"`);
        await queryRunner.query(`ALTER TABLE "report_request_counts_yearly" DROP COLUMN "median_bucket"`);
        await queryRunner.query(`ALTER TABLE "report_request_counts_monthly" DROP COLUMN "percentiles_stale"`);
        await queryRunner.query(`ALTER TABLE "report_request_counts_monthly" DROP COLUMN "p80_bucket"`);
        await queryRunner.query(`ALTER TABLE "report_request_counts_monthly" DROP COLUMN "median_bucket"`);
        await queryRunner.query(`DROP TABLE "report_match_partners_yearly"`);
        await queryRunner.query(`DROP TABLE "report_match_partners_monthly"`);
        await queryRunner.query(`DROP TABLE "report_answer_times_quarterly"`);
        await queryRunner.query(`DROP TABLE "report_partner_answer_times_yearly"`);
        await queryRunner.query(`DROP TABLE "report_partner_answer_times_quarterly"`);
        await queryRunner.query(`DROP TABLE "report_partner_answer_times_monthly"`);
        await queryRunner.query(`DROP TABLE "report_priority_answer_times_yearly"`);
        await queryRunner.query(`DROP TABLE "report_priority_answer_times_quarterly"`);
        await queryRunner.query(`DROP TABLE "report_priority_answer_times_monthly"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_3d8730ce7cc1844bb988e1bf98"`);
        await queryRunner.query(`DROP TABLE "report_request_counts_quarterly"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_2f4223056f8fe3bbac16f5eec9"`);
        await queryRunner.query(`DROP TABLE "report_partner_requests_yearly"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_0da74e863614b66eb69e1970b6"`);
        await queryRunner.query(`DROP TABLE "report_partner_requests_quarterly"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_d62312cc7df0d3ccd007242a2c"`);
        await queryRunner.query(`DROP TABLE "report_partner_requests_monthly"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_a62a8f89d19fe0c93035ff4ece"`);
        await queryRunner.query(`DROP TABLE "report_priority_requests_yearly"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_755745a8d338055fceed31117f"`);
        await queryRunner.query(`DROP TABLE "report_priority_requests_quarterly"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_035b1abca6f8f72558e0f2bcb0"`);
        await queryRunner.query(`DROP TABLE "report_priority_requests_monthly"`);
        await queryRunner.query(`DROP TABLE "report_agency_totals_yearly"`);
        await queryRunner.query(`DROP TABLE "report_agency_totals_monthly"`);
        await queryRunner.query(`DROP TABLE "report_country_partners_yearly"`);
        await queryRunner.query(`DROP TABLE "report_country_partners_monthly"`);
        await queryRunner.query(`DROP TABLE "report_country_partners_daily"`);
        await queryRunner.query(`DROP TABLE "report_country_totals_yearly"`);
        await queryRunner.query(`DROP TABLE "report_country_totals_monthly"`);
        await queryRunner.query(`DROP TABLE "report_country_totals_daily"`);
        await queryRunner.query(`DROP TABLE "report_country_directions_yearly"`);
        await queryRunner.query(`DROP TABLE "report_country_directions_monthly"`);
        await queryRunner.query(`DROP TABLE "report_country_directions_daily"`);
    }

}
