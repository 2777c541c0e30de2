import { CLASSIFICATIONS, type Classification } from '@liaison/domain';
import type { AgencyEntity } from '@liaison/persistence';
import { ApiProperty } from '@nestjs/swagger';

/** An agency of the register: who can be addressed, and up to which classification. */
export class AgencyView {
  @ApiProperty({ example: 'RO-ENU' }) code!: string;
  @ApiProperty({ example: 'Romania Europol National Unit' }) name!: string;
  @ApiProperty({ example: 'national-unit' }) kind!: string;
  @ApiProperty({ example: 'RO' }) country!: string;
  @ApiProperty({ nullable: true, type: String }) region!: string | null;
  @ApiProperty({ enum: CLASSIFICATIONS, description: 'Highest classification the agency may receive' })
  clearance!: Classification;
}

export function agencyView(agency: AgencyEntity): AgencyView {
  return {
    code: agency.code,
    name: agency.name,
    kind: agency.kind,
    country: agency.country,
    region: agency.region,
    clearance: agency.clearance,
  };
}
