import { SessionCookies } from './session-cookie';

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
});
