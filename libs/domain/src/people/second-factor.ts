/**
 * `amr` values (RFC 8176) that say a second factor was given: a one-time password, a hardware or software key,
 * a smart card, or multiple factors. A password (`pwd`) or knowledge-based answer alone is not enough.
 */
export const SECOND_FACTOR_AMR = ['otp', 'mfa', 'hwk', 'swk', 'sc', 'totp', 'fido', 'webauthn'] as const;

export interface AuthenticationClaims {
  amr?: unknown;
  acr?: unknown;
}

/**
 * Whether an identity provider's token shows a second factor: an `amr` naming one, or an `acr` the agency's
 * provider is configured to use for multi-factor sign-in (some providers say it only through `acr`).
 */
export function showsSecondFactor(claims: AuthenticationClaims, secondFactorAcr: readonly string[]): boolean {
  const amr = Array.isArray(claims.amr) ? claims.amr.filter((v): v is string => typeof v === 'string') : [];
  if (amr.some((method) => (SECOND_FACTOR_AMR as readonly string[]).includes(method.toLowerCase()))) return true;
  return typeof claims.acr === 'string' && secondFactorAcr.includes(claims.acr);
}
