/** Agency codes: a country or body prefix and one or more upper-case parts, e.g. `GB-WMP`, `EU-EUROPOL-APPHX`. */
export const AGENCY_CODE_PATTERN = /^[A-Z]{2,3}(-[A-Z0-9]{1,12}){1,3}$/;

export function isAgencyCode(value: string): boolean {
  return AGENCY_CODE_PATTERN.test(value);
}
