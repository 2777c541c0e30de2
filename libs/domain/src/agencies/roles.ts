/**
 * What an API key may do. Every key belongs to exactly one agency and one role.
 * - officer: sends and reads messages for its agency
 * - supervisor: an officer who also sees the agency's outbox (and, later, grants forwarding permissions)
 * - programme-lead: reads aggregate reports; never content, case references or entities
 * - admin: manages agencies' keys; never content
 */
export const ROLES = ['officer', 'supervisor', 'programme-lead', 'admin'] as const;
export type Role = (typeof ROLES)[number];
