/** Why a list of recipients cannot be used; each names the offending codes. */
export type RecipientProblem =
  | { kind: 'empty' }
  | { kind: 'too-many'; limit: number }
  | { kind: 'duplicate'; codes: string[] }
  | { kind: 'includes-sender'; code: string }
  | { kind: 'unknown'; codes: string[] };

/**
 * Checks a message's recipients against the sender and the agency register. Returns the first problem a
 * caller should fix, or null when the list is usable.
 */
export function recipientProblem(
  recipients: readonly string[],
  sender: string,
  isKnownAgency: (code: string) => boolean,
  limit: number,
): RecipientProblem | null {
  if (recipients.length === 0) return { kind: 'empty' };
  if (recipients.length > limit) return { kind: 'too-many', limit };
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const code of recipients) (seen.has(code) ? duplicates : seen).add(code);
  if (duplicates.size > 0) return { kind: 'duplicate', codes: [...duplicates] };
  if (seen.has(sender)) return { kind: 'includes-sender', code: sender };
  const unknown = recipients.filter((code) => !isKnownAgency(code));
  if (unknown.length > 0) return { kind: 'unknown', codes: unknown };
  return null;
}

export function describeRecipientProblem(problem: RecipientProblem): string {
  switch (problem.kind) {
    case 'empty':
      return 'at least one recipient agency is required';
    case 'too-many':
      return `at most ${problem.limit} recipient agencies are allowed`;
    case 'duplicate':
      return `recipient agencies must be distinct; repeated: ${problem.codes.join(', ')}`;
    case 'includes-sender':
      return `the sending agency ${problem.code} cannot be a recipient of its own message`;
    case 'unknown':
      return `unknown recipient agenc${problem.codes.length === 1 ? 'y' : 'ies'}: ${problem.codes.join(', ')}`;
  }
}
