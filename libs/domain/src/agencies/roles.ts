/**
 * What a person or an API key may do. Each belongs to exactly one agency with one role there.
 * - officer: sends and reads messages for its agency
 * - supervisor: an officer who also sees the agency's outbox (and, later, grants forwarding permissions)
 * - programme-lead: reads aggregate reports; never content, case references or entities
 * - admin: manages the agency's people and keys; never content
 * - data-protection-officer: reads the audit trail (who consulted or disclosed what); changes nothing, never content
 */
export const ROLES = ['officer', 'supervisor', 'programme-lead', 'admin', 'data-protection-officer'] as const;
export type Role = (typeof ROLES)[number];
