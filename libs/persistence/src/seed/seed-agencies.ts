import type { DataSource } from 'typeorm';
import { loadAgencyRegister, type AgencyRecord } from './agency-register';

/** Inserts or updates every agency of the register; agencies no longer listed are kept (messages refer to them). */
export async function seedAgencies(
  dataSource: DataSource,
  records: AgencyRecord[] = loadAgencyRegister(),
): Promise<number> {
  await dataSource.query(
    `INSERT INTO agencies (code, name, kind, country, region)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
     ON CONFLICT (code) DO UPDATE
       SET name = EXCLUDED.name, kind = EXCLUDED.kind, country = EXCLUDED.country, region = EXCLUDED.region`,
    [
      records.map((r) => r.code),
      records.map((r) => r.name),
      records.map((r) => r.kind),
      records.map((r) => r.country),
      records.map((r) => r.region),
    ],
  );
  return records.length;
}
