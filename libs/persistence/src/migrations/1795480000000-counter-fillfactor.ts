import type { MigrationInterface, QueryRunner } from "typeorm";

/** The tracker's counter tables at each grain they are kept at. */
const COUNTER_TABLES: readonly (readonly [string, readonly string[]])[] = [
    ['report_country_directions', ['daily', 'monthly', 'yearly']],
    ['report_country_totals', ['daily', 'monthly', 'yearly']],
    ['report_country_partners', ['daily', 'monthly', 'yearly']],
    ['report_agency_totals', ['monthly', 'yearly']],
    ['report_agency_kinds', ['monthly', 'yearly']],
    ['report_country_exchanges', ['monthly', 'yearly']],
    ['report_agency_exchanges', ['monthly', 'yearly']],
    ['report_agency_partner_exchanges', ['monthly', 'yearly']],
    ['report_match_partners', ['monthly', 'yearly']],
    ['report_match_counts', ['monthly', 'yearly']],
];

/**
 * Room on every page of the counter tables for the next versions of its rows. An upsert that adds to a count
 * changes no indexed column, so with room on the page it is a heap-only (HOT) update: the index is not touched,
 * and the versions it leaves are pruned when a later statement reads the page and finds it short of room,
 * without waiting for VACUUM. Full pages send each new version to another page, with a new index entry, and
 * leave the old one for VACUUM to find. The setting holds for pages written from now on; `VACUUM FULL` of a
 * table rewrites its pages with the room. A cube table added later sets it in its own migration (the schema
 * test checks every cube).
 */
export class CounterFillfactor1795480000000 implements MigrationInterface {
    name = 'CounterFillfactor1795480000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        for (const [table, grains] of COUNTER_TABLES) for (const grain of grains) await queryRunner.query(`ALTER TABLE ${table}_${grain} SET (fillfactor = 80)`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        for (const [table, grains] of COUNTER_TABLES) for (const grain of grains) await queryRunner.query(`ALTER TABLE ${table}_${grain} RESET (fillfactor)`);
    }

}
