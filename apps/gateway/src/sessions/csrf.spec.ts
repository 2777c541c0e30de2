import { isOwnRequest } from './csrf';

describe('isOwnRequest', () => {
  const token = 'a'.repeat(43);
  const origin = 'https://liaison.example.org';

  it('needs the token (header or form field) and the origin (Origin, or Referer without one)', () => {
    expect(isOwnRequest({ headers: { 'x-csrf-token': token, origin } }, token, origin)).toBe(true);
    expect(isOwnRequest({ headers: { origin }, body: { _csrf: token } }, token, origin)).toBe(true);
    expect(
      isOwnRequest({ headers: { 'x-csrf-token': token, referer: `${origin}/console/inbox` } }, token, origin),
    ).toBe(true);
  });

  it('refuses a missing or other token, another origin, or no origin at all', () => {
    expect(isOwnRequest({ headers: { origin } }, token, origin)).toBe(false);
    expect(isOwnRequest({ headers: { 'x-csrf-token': 'b'.repeat(43), origin } }, token, origin)).toBe(false);
    expect(isOwnRequest({ headers: { 'x-csrf-token': token.slice(1), origin } }, token, origin)).toBe(false);
    expect(isOwnRequest({ headers: { 'x-csrf-token': token, origin: 'https://evil.example' } }, token, origin)).toBe(
      false,
    );
    expect(isOwnRequest({ headers: { 'x-csrf-token': token, referer: 'https://evil.example/x' } }, token, origin)).toBe(
      false,
    );
    expect(isOwnRequest({ headers: { 'x-csrf-token': token } }, token, origin)).toBe(false);
    expect(isOwnRequest({ headers: { 'x-csrf-token': token, referer: 'not a url' } }, token, origin)).toBe(false);
    expect(
      isOwnRequest(
        { headers: { origin: 'null', 'sec-fetch-site': 'cross-site' }, body: { _csrf: token } },
        token,
        origin,
      ),
    ).toBe(false);
    expect(isOwnRequest({ headers: { origin: 'null' }, body: { _csrf: token } }, token, origin)).toBe(false);
  });

  it('leaves the token of the multipart upload form to its reader, but still checks where it came from', () => {
    const upload = { method: 'POST', url: '/console/drafts/0b9e7c7a-3f1e-4c55-9a1d-2f4b8d6e1a01/upload' };
    expect(isOwnRequest({ ...upload, headers: { origin } }, token, origin)).toBe(true);
    expect(isOwnRequest({ ...upload, headers: { origin: 'https://evil.example' } }, token, origin)).toBe(false);
    expect(isOwnRequest({ ...upload, headers: {} }, token, origin)).toBe(false);
    // Any other route still needs the token.
    expect(isOwnRequest({ method: 'POST', url: '/console/drafts/x', headers: { origin } }, token, origin)).toBe(false);
  });
});
