import type { AgencyRepository } from '@liaison/persistence';
import { ApplicationError, ErrorCode } from '../application/application-error';
import type { Caller } from '../auth/caller';
import { administeredAgency } from './agency-scope';

describe('administeredAgency', () => {
  const register = new Set(['GB-NCA', 'GB-WMP', 'RO-ENU']);
  const agencies = {
    find: (code: string) => Promise.resolve(register.has(code) ? { code } : null),
  } as unknown as AgencyRepository;
  const person: Caller = { type: 'person', id: 'p-1', agency: 'GB-WMP', role: 'admin' };
  const operatorKey: Caller = { type: 'api-key', id: 'k-1', agency: 'GB-NCA', role: 'admin' };

  const refusal = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ApplicationError);
    return error as ApplicationError;
  };

  it("is the admin's own agency when none is named", async () => {
    expect(await administeredAgency(person, undefined, agencies)).toBe('GB-WMP');
    expect(await administeredAgency(operatorKey, undefined, agencies)).toBe('GB-NCA');
  });

  it('lets the operator name any agency in the register, and refuses one that is not', async () => {
    expect(await administeredAgency(operatorKey, 'RO-ENU', agencies)).toBe('RO-ENU');
    expect((await refusal(administeredAgency(operatorKey, 'XX-NONE', agencies))).code).toBe(ErrorCode.UnknownAgency);
  });

  it('keeps a person to their own agency', async () => {
    expect(await administeredAgency(person, 'GB-WMP', agencies)).toBe('GB-WMP');
    const refused = await refusal(administeredAgency(person, 'RO-ENU', agencies));
    expect(refused.errors).toEqual([{ field: 'agency', message: 'you may administer GB-WMP only' }]);
  });
});
