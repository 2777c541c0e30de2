/** Crime areas a case is filed under (the exploitation types tracked, plus related crime). */
export const CRIME_AREAS = [
  'sexual-exploitation',
  'labour-exploitation',
  'criminal-exploitation',
  'domestic-servitude',
  'organ-harvesting',
  'other-trafficking',
  'organised-immigration-crime',
] as const;
export type CrimeArea = (typeof CRIME_AREAS)[number];

/** A crime area as received: one of ours, or none (an empty or unknown one, from a newer producer, is none). */
export function crimeAreaOrNone(value: string): CrimeArea | null {
  return (CRIME_AREAS as readonly string[]).includes(value) ? (value as CrimeArea) : null;
}

export const CASE_STATUSES = ['open', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** Only the owning agency closes its case; a closed case takes no new messages. */
export function closeProblem(caseRow: { ownerAgency: string; status: CaseStatus }, agency: string): string | null {
  if (caseRow.ownerAgency !== agency) return `only the owning agency ${caseRow.ownerAgency} can close this case`;
  if (caseRow.status === 'closed') return 'the case is already closed';
  return null;
}
