import { generateSecret, generateURI, verify } from 'otplib';
import { toString as qrCode } from 'qrcode';

/** What an authenticator app is shown at enrolment: the key as text, the otpauth URI, and the URI as a QR code. */
export interface TotpEnrolment {
  secret: string;
  uri: string;
  qrSvg: string;
}

/**
 * TOTP (RFC 6238: SHA-1, 6 digits, 30 s, what every authenticator app reads) through otplib. A code is accepted
 * from the step before to the step after the current one (clocks drift), and only for a step later than the
 * last one accepted, so a code seen over a shoulder cannot be used again.
 */
export class TotpAuthenticator {
  constructor(private readonly issuer = 'Liaison') {}

  enrolment(accountName: string): Promise<TotpEnrolment> {
    return this.describe(generateSecret({ length: 20 }), accountName);
  }

  /** How a secret is shown to an authenticator app (again, when the page asking for its first code is shown again). */
  async describe(secret: string, accountName: string): Promise<TotpEnrolment> {
    const uri = generateURI({ issuer: this.issuer, label: accountName, secret });
    const qrSvg = await qrCode(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    return { secret, uri, qrSvg };
  }

  /** The time step a code belongs to when it is valid and newer than `afterStep`; null otherwise. */
  async acceptedStep(secret: string, code: string, afterStep: number | null, now = Date.now()): Promise<number | null> {
    if (!/^\d{6}$/.test(code)) return null;
    const result = await verify({
      secret,
      token: code,
      epoch: Math.floor(now / 1000),
      epochTolerance: 30,
      ...(afterStep !== null ? { afterTimeStep: afterStep } : {}),
    }).catch(() => ({ valid: false as const }));
    return result.valid && 'timeStep' in result ? result.timeStep : null;
  }
}
