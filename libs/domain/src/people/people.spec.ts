import { emailDomain, isEmailInDomains, accountEmail } from './email';
import { afterFailedSignIn, isLocked, LOCKOUT_MS, MAX_FAILED_SIGN_INS } from './lockout';
import { passwordProblem } from './password-policy';
import { generateRecoveryCodes, hashRecoveryCode, isRecoveryCodeShaped, RECOVERY_CODE_COUNT } from './recovery-codes';
import { showsSecondFactor } from './second-factor';
import { generateSecretToken, hashSecretToken, isSecretTokenShaped } from './secret-token';
import {
  DEFAULT_SESSION_LIMITS,
  hasFreshSecondFactor,
  sessionEnded,
  sessionRemainingMs,
  STEP_UP_WINDOW_MS,
} from './session-lifetime';

const person = { email: 'claire.hughes@wmp.police.uk', name: 'Claire Hughes' };

describe('passwordProblem', () => {
  it('asks for at least 12 characters, counting characters rather than bytes', () => {
    expect(passwordProblem('short-pass1', person)).toBe('must be at least 12 characters');
    expect(passwordProblem('ŵŵŵ-ŷŷŷ-ẁẁẁ-q', person)).toBeNull();
    expect(passwordProblem('x'.repeat(257), person)).toBe('must be at most 256 characters');
  });

  it('refuses common passwords whatever their case, and sets no composition rule', () => {
    expect(passwordProblem('1q2w3e4r5t6y', person)).toMatch(/most commonly used/);
    expect(passwordProblem('QWERTY123456', person)).toMatch(/most commonly used/);
    expect(passwordProblem('correct horse battery staple', person)).toBeNull();
    expect(passwordProblem('alllowercaseandlong', person)).toBeNull();
  });

  it("refuses the person's own address or name, and one or two characters repeated", () => {
    expect(passwordProblem('claire.hughes@wmp.police.uk', person)).toMatch(/e-mail address or name/);
    expect(passwordProblem('Claire Hughes', person)).toMatch(/e-mail address or name/);
    expect(passwordProblem('ClaireHughes', person)).toMatch(/e-mail address or name/);
    expect(passwordProblem('abababababab', person)).toMatch(/repeat/);
  });
});

describe('lockout', () => {
  const now = new Date('2026-12-05T10:00:00Z');

  it(`locks on the ${MAX_FAILED_SIGN_INS}th failure in a row, for 15 minutes`, () => {
    let state = { failures: 0, lockedUntil: null as Date | null };
    for (let i = 1; i < MAX_FAILED_SIGN_INS; i += 1) {
      const next = afterFailedSignIn(state, now);
      expect(next.lockedNow).toBe(false);
      state = next;
    }
    const locked = afterFailedSignIn(state, now);
    expect(locked.lockedNow).toBe(true);
    expect(locked.lockedUntil?.getTime()).toBe(now.getTime() + LOCKOUT_MS);
    expect(isLocked(locked, new Date(now.getTime() + LOCKOUT_MS - 1))).toBe(true);
    expect(isLocked(locked, new Date(now.getTime() + LOCKOUT_MS))).toBe(false);
  });

  it('counts again from one after a lock has run out', () => {
    const expired = { failures: 5, lockedUntil: new Date(now.getTime() - 1) };
    expect(afterFailedSignIn(expired, now)).toEqual({ failures: 1, lockedUntil: null, lockedNow: false });
  });
});

describe('recovery codes', () => {
  it('are ten, distinct, readable and about 59 bits each', () => {
    const codes = generateRecoveryCodes();
    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(codes).size).toBe(RECOVERY_CODE_COUNT);
    for (const code of codes) {
      expect(code).toMatch(/^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/);
      expect(isRecoveryCodeShaped(code)).toBe(true);
    }
  });

  it('hash alike however they are typed, and unlike each other', () => {
    const [code, other] = generateRecoveryCodes(2);
    expect(hashRecoveryCode(code.toLowerCase().replace(/-/g, ' '))).toBe(hashRecoveryCode(code));
    expect(hashRecoveryCode(code)).not.toBe(hashRecoveryCode(other));
    expect(isRecoveryCodeShaped('0000-1111-IIII')).toBe(false);
    expect(isRecoveryCodeShaped('ABCD-EFGH')).toBe(false);
  });
});

describe('secret tokens', () => {
  it('are 256 bits, stored only as a digest', () => {
    const token = generateSecretToken();
    expect(isSecretTokenShaped(token)).toBe(true);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(hashSecretToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashSecretToken(token)).not.toContain(token);
    expect(isSecretTokenShaped(`${token}x`)).toBe(false);
    expect(isSecretTokenShaped('not a token')).toBe(false);
  });
});

describe('e-mail addresses', () => {
  it('compare trimmed and lower-cased, and match their domain or its subdomains', () => {
    expect(accountEmail('  Claire.Hughes@WMP.police.uk ')).toBe('claire.hughes@wmp.police.uk');
    expect(emailDomain('a@NCA.gov.uk')).toBe('nca.gov.uk');
    expect(emailDomain('no-domain@')).toBeNull();
    expect(isEmailInDomains('a@nca.gov.uk', ['nca.gov.uk'])).toBe(true);
    expect(isEmailInDomains('a@uklb.nca.gov.uk', ['nca.gov.uk'])).toBe(true);
    expect(isEmailInDomains('a@evilnca.gov.uk', ['nca.gov.uk'])).toBe(false);
    expect(isEmailInDomains('a@nca.gov.uk.evil.test', ['nca.gov.uk'])).toBe(false);
  });
});

describe('session lifetime', () => {
  const limits = DEFAULT_SESSION_LIMITS;
  const start = 1_000_000;

  it('ends after 15 minutes idle or 12 hours in all', () => {
    const session = { createdAt: start, lastSeenAt: start };
    expect(sessionEnded(session, start + limits.idleMs - 1, limits)).toBeNull();
    expect(sessionEnded(session, start + limits.idleMs, limits)).toBe('idle');
    const busy = { createdAt: start, lastSeenAt: start + limits.absoluteMs - 1_000 };
    expect(sessionEnded(busy, start + limits.absoluteMs, limits)).toBe('absolute');
    expect(sessionRemainingMs(busy, start + limits.absoluteMs - 2_000, limits)).toBe(2_000);
    expect(sessionRemainingMs(session, start, limits)).toBe(limits.idleMs);
  });

  it('takes a second factor as fresh for 15 minutes', () => {
    expect(hasFreshSecondFactor(null, start)).toBe(false);
    expect(hasFreshSecondFactor(start, start + STEP_UP_WINDOW_MS - 1)).toBe(true);
    expect(hasFreshSecondFactor(start, start + STEP_UP_WINDOW_MS)).toBe(false);
  });
});

describe('showsSecondFactor', () => {
  it('accepts an amr naming a second factor or an acr the provider is configured for', () => {
    expect(showsSecondFactor({ amr: ['pwd', 'otp'] }, [])).toBe(true);
    expect(showsSecondFactor({ amr: ['MFA'] }, [])).toBe(true);
    expect(showsSecondFactor({ amr: ['pwd'] }, [])).toBe(false);
    expect(showsSecondFactor({ amr: 'otp' }, [])).toBe(false);
    expect(showsSecondFactor({}, [])).toBe(false);
    expect(showsSecondFactor({ acr: 'gold' }, ['gold'])).toBe(true);
    expect(showsSecondFactor({ acr: '1' }, ['gold'])).toBe(false);
  });
});
