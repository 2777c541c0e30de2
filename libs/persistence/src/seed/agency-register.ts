import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AgencyEntity } from '../entities';

/** Where the agency register ships: inside the project, so no service depends on anything outside it. */
export const AGENCY_REGISTER_PATH = join(__dirname, '..', '..', 'data', 'agencies.csv');

export type AgencyRecord = Pick<AgencyEntity, 'code' | 'name' | 'kind' | 'country' | 'region'>;

/** Parses the register CSV (header `code,name,kind,country,region`; fields without quotes or commas). */
export function parseAgencyRegister(csv: string): AgencyRecord[] {
  const [header, ...lines] = csv.split(/\r?\n/).filter((line) => line.trim() !== '');
  if (header?.trim() !== 'code,name,kind,country,region') throw new Error('agency register: unexpected header');
  return lines.map((line, index) => {
    const fields = line.split(',').map((field) => field.trim());
    if (fields.length !== 5 || !fields[0] || !fields[1] || !fields[2] || !fields[3]) {
      throw new Error(`agency register line ${index + 2}: expected code,name,kind,country,region`);
    }
    const [code, name, kind, country, region] = fields;
    return { code, name, kind, country, region: region === '' ? null : region };
  });
}

export function loadAgencyRegister(path = AGENCY_REGISTER_PATH): AgencyRecord[] {
  return parseAgencyRegister(readFileSync(path, 'utf8'));
}
