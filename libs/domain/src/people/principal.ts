/**
 * Who acts: a person signed in with a session, an API key (system-to-system), or Liaison itself (a rule the
 * system applies, a provisioning step). Every audit entry names one, by type and id, never by name.
 */
export const PRINCIPAL_TYPES = ['person', 'api-key', 'system'] as const;
export type PrincipalType = (typeof PRINCIPAL_TYPES)[number];
