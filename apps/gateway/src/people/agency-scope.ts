import type { AgencyRepository } from '@liaison/persistence';
import { ApplicationError, ErrorCode } from '../application/application-error';
import type { Caller } from '../auth/caller';

/**
 * The agency an admin's change applies to: their own, or, for the operator's admin key or the system, the agency
 * they name (to set up another agency: its first admin, its identity provider, its keys). A person administers
 * their own agency only; an agency not in the register is refused by name.
 */
export async function administeredAgency(
  admin: Caller,
  requested: string | undefined,
  agencies: AgencyRepository,
): Promise<string> {
  const agency = requested ?? admin.agency;
  if (agency !== admin.agency && admin.type === 'person')
    throw ApplicationError.field('agency', `you may administer ${admin.agency} only`);
  if (agency !== admin.agency && !(await agencies.find(agency)))
    throw new ApplicationError(ErrorCode.UnknownAgency, `agency: unknown agency ${agency}`, [
      { field: 'agency', message: `unknown agency ${agency}` },
    ]);
  return agency;
}
