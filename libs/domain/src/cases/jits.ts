/** Joint investigation teams: who may address one, and what an agreement must say. */

/** Who paid for an operational meeting. */
export const MEETING_FUNDERS = ['eurojust', 'europol', 'national', 'other'] as const;
export type MeetingFunder = (typeof MEETING_FUNDERS)[number];

export type JitStatus = 'planned' | 'active' | 'ended';

export interface JitPeriod {
  /** First and last day of the agreement, ISO dates (YYYY-MM-DD). */
  startsOn: string;
  endsOn: string;
}

/** A team is active from its first to its last day inclusive, on UTC days. */
export function jitStatus(period: JitPeriod, day: string): JitStatus {
  if (day < period.startsOn) return 'planned';
  if (day > period.endsOn) return 'ended';
  return 'active';
}

/** Why an agency cannot address a message to a team on a day; null when it can. */
export function jitSendProblem(
  jit: (JitPeriod & { members: ReadonlySet<string> }) | undefined,
  sender: string,
  day: string,
): string | null {
  if (!jit || !jit.members.has(sender)) return `no joint investigation team of which ${sender} is a member`;
  const status = jitStatus(jit, day);
  if (status === 'ended') return `the joint investigation team ended on ${jit.endsOn} and takes no new messages`;
  if (status === 'planned') return `the joint investigation team starts on ${jit.startsOn}`;
  return null;
}

export interface JitAgreement extends JitPeriod {
  parties: readonly { country: string; agencies: readonly string[] }[];
}

/**
 * What is wrong with a new agreement, field by field: a team has at least two parties, each agency acts
 * for one party only, the creator's agency is a member (it leads), and the period ends on or after it starts.
 */
export function jitAgreementProblems(agreement: JitAgreement, creator: string): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  if (agreement.endsOn < agreement.startsOn)
    problems.push({ field: 'endsOn', message: `must not be before startsOn (${agreement.startsOn})` });
  const countries = agreement.parties.map((p) => p.country);
  if (new Set(countries).size < 2)
    problems.push({ field: 'parties', message: 'a joint investigation team has at least two parties (countries)' });
  if (new Set(countries).size !== countries.length)
    problems.push({ field: 'parties', message: 'each country is one party: list it once' });
  const agencies = agreement.parties.flatMap((p) => p.agencies);
  const repeated = [...new Set(agencies.filter((code, i) => agencies.indexOf(code) !== i))];
  if (repeated.length > 0)
    problems.push({ field: 'parties', message: `agencies listed more than once: ${repeated.join(', ')}` });
  if (!agencies.includes(creator))
    problems.push({ field: 'parties', message: `the creating agency ${creator} must be one of the members` });
  return problems;
}

/** An extension moves the last day later, never earlier. */
export function extensionProblem(currentEndsOn: string, newEndsOn: string): string | null {
  return newEndsOn > currentEndsOn ? null : `must be after the current last day (${currentEndsOn})`;
}
