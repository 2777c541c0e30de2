import { consolePathOrNull, SessionCookies } from './session-cookie';

describe('SessionCookies', () => {
  it('are __Host- and Secure, except for plain HTTP on a loopback address', () => {
    expect(new SessionCookies({ HOST: '0.0.0.0', PUBLIC_ORIGIN: '' })).toMatchObject({
      secure: true,
      session: '__Host-liaison-session',
    });
    expect(new SessionCookies({ HOST: '127.0.0.1', PUBLIC_ORIGIN: '', TLS_CERT_FILE: 'cert.pem' })).toMatchObject({
      secure: true,
    });
    expect(new SessionCookies({ HOST: '127.0.0.1', PUBLIC_ORIGIN: 'https://liaison.example.org' }).secure).toBe(true);
    expect(new SessionCookies({ HOST: '127.0.0.1', PUBLIC_ORIGIN: '' })).toMatchObject({
      secure: false,
      session: 'liaison-session',
      pending: 'liaison-sign-in',
    });
    expect(new SessionCookies({ HOST: '::1', PUBLIC_ORIGIN: 'http://localhost:3000' }).secure).toBe(false);
  });

  it('go on after sign-in only to a console path, never to another site', () => {
    expect(consolePathOrNull('/console/cases/LIA-2026-7K3M9Q2XH')).toBe('/console/cases/LIA-2026-7K3M9Q2XH');
    expect(consolePathOrNull('/console?sort=deadline')).toBe('/console?sort=deadline');
    expect(consolePathOrNull('/console')).toBe('/console');
    for (const elsewhere of [
      '//evil.example/console',
      'https://evil.example/console',
      '/consoled',
      '/console\\evil',
      '/auth/sign-in',
      null,
    ])
      expect(consolePathOrNull(elsewhere)).toBeNull();
  });
});
