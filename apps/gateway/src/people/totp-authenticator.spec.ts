import { generate } from 'otplib';
import { TotpAuthenticator } from './totp-authenticator';

describe('TotpAuthenticator', () => {
  const totp = new TotpAuthenticator();
  const now = Date.UTC(2026, 11, 5, 10, 0, 15);
  const at = (ms: number) => Math.floor(ms / 1000);

  it('offers a 160-bit key, an otpauth URI naming Liaison and the account, and the URI as a QR code', async () => {
    const enrolment = await totp.enrolment('claire@wmp.example');
    expect(enrolment.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(enrolment.uri).toMatch(/^otpauth:\/\/totp\/Liaison:claire%40wmp\.example\?/);
    expect(enrolment.uri).toContain('issuer=Liaison');
    expect(enrolment.qrSvg).toMatch(/^<svg/);
  });

  it('accepts the current code and its neighbours, only after the last step used', async () => {
    const { secret } = await totp.enrolment('a@b.example');
    const step = Math.floor(at(now) / 30);
    expect(await totp.acceptedStep(secret, await generate({ secret, epoch: at(now) }), null, now)).toBe(step);
    expect(await totp.acceptedStep(secret, await generate({ secret, epoch: at(now) - 30 }), null, now)).toBe(step - 1);
    expect(await totp.acceptedStep(secret, await generate({ secret, epoch: at(now) + 30 }), null, now)).toBe(step + 1);
    expect(await totp.acceptedStep(secret, await generate({ secret, epoch: at(now) - 90 }), null, now)).toBeNull();
    // The step already used, or an earlier one, is refused: a code works once.
    expect(await totp.acceptedStep(secret, await generate({ secret, epoch: at(now) }), step, now)).toBeNull();
    expect(await totp.acceptedStep(secret, await generate({ secret, epoch: at(now) + 30 }), step, now)).toBe(step + 1);
  });

  it('refuses anything that is not six digits', async () => {
    const { secret } = await totp.enrolment('a@b.example');
    for (const code of ['', '12345', '1234567', 'abcdef', '12 345'])
      expect(await totp.acceptedStep(secret, code, null, now)).toBeNull();
  });
});
