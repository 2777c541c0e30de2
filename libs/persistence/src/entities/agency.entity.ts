import type { Classification } from '@liaison/domain';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The agency register: every force, bureau and partner that can send or receive through Liaison. */
@Entity({ name: 'agencies' })
export class AgencyEntity {
  @PrimaryColumn({ type: 'text' })
  code!: string;

  @Column({ type: 'text' })
  name!: string;

  /** force, rocu, national-agency, liaison-bureau, national-unit, eu-agency, analysis-project, ... */
  @Column({ type: 'text' })
  kind!: string;

  /** ISO 3166-1 alpha-2 country, or EU / INT for European and international bodies. */
  @Column({ type: 'text' })
  country!: string;

  @Column({ type: 'text', nullable: true })
  region!: string | null;

  /** Highest classification the agency may receive. Set by administrators; the seed never changes it. */
  @Column({ type: 'text', default: 'restricted' })
  clearance!: Classification;
}
