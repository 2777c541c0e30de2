/**
 * E-mail addresses as people are told apart by: trimmed and lower-cased. (The local part may be case-sensitive in
 * principle; no mail service an agency uses treats it so, and two people differing only by case would be a mistake.)
 */
export function accountEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The domain of an address (`nca.gov.uk` of `a.b@nca.gov.uk`), lower-cased; null when it has none. */
export function emailDomain(email: string): string | null {
  const at = email.lastIndexOf('@');
  if (at < 1 || at === email.length - 1) return null;
  return email
    .slice(at + 1)
    .trim()
    .toLowerCase();
}

/** Whether an address's domain is one of the domains allowed (or a subdomain of one). */
export function isEmailInDomains(email: string, domains: readonly string[]): boolean {
  const domain = emailDomain(email);
  if (!domain) return false;
  return domains.some((allowed) => {
    const wanted = allowed.toLowerCase();
    return domain === wanted || domain.endsWith(`.${wanted}`);
  });
}
