import { isAgencyCode } from '@liaison/domain';
import { loadAgencyRegister, parseAgencyRegister } from './agency-register';

describe('agency register', () => {
  it('ships with the project and lists the agencies of the first exchange', () => {
    const register = loadAgencyRegister();
    const codes = register.map((a) => a.code);
    expect(codes).toEqual(expect.arrayContaining(['GB-WMP', 'GB-NCA-UKLB', 'RO-ENU', 'EU-EUROPOL']));
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('holds only well-formed codes and countries', () => {
    for (const agency of loadAgencyRegister()) {
      expect(isAgencyCode(agency.code)).toBe(true);
      expect(agency.country).toMatch(/^[A-Z]{2,3}$/);
    }
  });

  it('turns an empty region into null', () => {
    expect(parseAgencyRegister('code,name,kind,country,region\nEU-X,Example,eu-agency,EU,\n')).toEqual([
      { code: 'EU-X', name: 'Example', kind: 'eu-agency', country: 'EU', region: null },
    ]);
  });

  it('names the line of a malformed record', () => {
    expect(() => parseAgencyRegister('code,name,kind,country,region\nGB-A,A,force,GB,X\nGB-B,B\n')).toThrow(/line 3/);
    expect(() => parseAgencyRegister('id,name\n')).toThrow(/header/);
  });
});
