import {
  CaseKeys,
  MatchKeyBlinder,
  sealExcludedKey,
  sealMatchValue,
  SystemKeys,
  type MasterKeys,
} from '@liaison/protection';
import { MigrationInterface, QueryRunner } from 'typeorm';
import { masterKeys } from './1796600000000-sealed-content';

const BATCH = 5_000;

/**
 * The match index goes blind: every key (in `match_keys`, `matches`, `match_keys_over_correlated`,
 * `match_key_exclusions`) becomes its kind and its HMAC under the `match-index` system key, and each holding keeps
 * its key in clear only sealed under its case's key (each exclusion under the `match-exclusions` key). Rows
 * written before need MASTER_KEYS in the environment of whoever runs this.
 */
export class BlindMatchIndex1796630000000 implements MigrationInterface {
  name = 'BlindMatchIndex1796630000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "system_keys" ("name" text NOT NULL, "master_key_id" text NOT NULL, "wrapped" bytea NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_system_keys" PRIMARY KEY ("name"))`,
    );
    await queryRunner.query(`ALTER TABLE "match_keys" ADD "sealed_value" bytea`);
    await queryRunner.query(`ALTER TABLE "match_key_exclusions" ADD "sealed_value" bytea`);
    const [{ count }] = (await queryRunner.query(
      `SELECT (SELECT count(*) FROM match_keys) + (SELECT count(*) FROM matches)
            + (SELECT count(*) FROM match_keys_over_correlated) + (SELECT count(*) FROM match_key_exclusions) AS count`,
    )) as { count: string }[];
    if (Number(count) > 0) await this.blind(queryRunner, masterKeys('match index'));
    await queryRunner.query(`ALTER TABLE "match_keys" ALTER COLUMN "sealed_value" SET NOT NULL`);
  }

  private async blind(queryRunner: QueryRunner, master: MasterKeys): Promise<void> {
    const system = new SystemKeys(master);
    const blinder = new MatchKeyBlinder(await system.keyOf(queryRunner, 'match-index'));
    const exclusionsKey = await system.keyOf(queryRunner, 'match-exclusions');
    const caseKeys = new CaseKeys(master);
    // Every clear key once, with its blind form: the tables are then rewritten by joining on it.
    await queryRunner.query(`CREATE TEMPORARY TABLE blinded (key text PRIMARY KEY, blind text NOT NULL)`);
    const keys = (await queryRunner.query(
      `SELECT key FROM match_keys UNION SELECT key FROM matches UNION SELECT key FROM match_keys_over_correlated
        UNION SELECT key FROM match_key_exclusions`,
    )) as { key: string }[];
    for (let i = 0; i < keys.length; i += BATCH) {
      const page = keys.slice(i, i + BATCH).map((row) => row.key);
      await queryRunner.query('INSERT INTO blinded (key, blind) SELECT * FROM unnest($1::text[], $2::text[])', [
        page,
        page.map((key) => blinder.blind(key)),
      ]);
    }
    // Each holding's key sealed under its case's key (a holding of an erased case cannot be left: it goes).
    for (;;) {
      const rows = (await queryRunner.query(
        `SELECT k.key_hash, k.case_reference, k.agency, k.key, b.blind FROM match_keys k JOIN blinded b ON b.key = k.key
          WHERE k.sealed_value IS NULL ORDER BY k.case_reference LIMIT $1`,
        [BATCH],
      )) as { key_hash: string; case_reference: string; agency: string; key: string; blind: string }[];
      if (rows.length === 0) break;
      const found = await caseKeys.keysOf(
        queryRunner,
        rows.map((row) => row.case_reference),
      );
      for (const row of rows) {
        const key = found.get(row.case_reference);
        if (key && key !== 'erased')
          await queryRunner.query(
            'UPDATE match_keys SET sealed_value = $4 WHERE key_hash = $1 AND case_reference = $2 AND agency = $3',
            [row.key_hash, row.case_reference, row.agency, sealMatchValue(key, row.case_reference, row.blind, row.key)],
          );
        else
          await queryRunner.query('DELETE FROM match_keys WHERE key_hash = $1 AND case_reference = $2 AND agency = $3', [
            row.key_hash,
            row.case_reference,
            row.agency,
          ]);
      }
    }
    const exclusions = (await queryRunner.query(
      'SELECT x.key, b.blind FROM match_key_exclusions x JOIN blinded b ON b.key = x.key',
    )) as { key: string; blind: string }[];
    for (const row of exclusions)
      await queryRunner.query('UPDATE match_key_exclusions SET sealed_value = $2 WHERE key = $1', [
        row.key,
        sealExcludedKey(exclusionsKey, row.blind, row.key),
      ]);
    await queryRunner.query(
      'UPDATE match_keys k SET key = b.blind, key_hash = hashtextextended(b.blind, 0) FROM blinded b WHERE b.key = k.key',
    );
    for (const table of ['matches', 'match_keys_over_correlated', 'match_key_exclusions'])
      await queryRunner.query(`UPDATE ${table} t SET key = b.blind FROM blinded b WHERE b.key = t.key`);
    await queryRunner.query('DROP TABLE blinded');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // Blind keys cannot be turned back into values without opening every holding: undone only over an empty index.
    const [{ count }] = (await queryRunner.query(
      'SELECT (SELECT count(*) FROM match_keys) + (SELECT count(*) FROM matches) AS count',
    )) as { count: string }[];
    if (Number(count) > 0) throw new Error(`${this.name} cannot be undone over a blind index; restore a backup`);
    await queryRunner.query(`ALTER TABLE "match_key_exclusions" DROP COLUMN "sealed_value"`);
    await queryRunner.query(`ALTER TABLE "match_keys" DROP COLUMN "sealed_value"`);
    await queryRunner.query(`DROP TABLE "system_keys"`);
  }
}
