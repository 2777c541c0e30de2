/**
 * A person's side of the HTTP conversation: cookies kept between requests as a browser keeps them (by name,
 * replaced when set again, dropped when cleared), JSON in and out, and the console's Origin on every request.
 */
export class PersonAgent {
  readonly cookies = new Map<string, string>();
  csrfToken = '';

  constructor(
    readonly baseUrl: string,
    readonly origin = new URL(baseUrl).origin,
  ) {}

  async request<T = Record<string, unknown>>(
    method: string,
    path: string,
    json?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: T; headers: Headers }> {
    const sent: Record<string, string> = { origin: this.origin, ...headers };
    if (this.cookies.size > 0) sent.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    if (json !== undefined) sent['content-type'] = 'application/json';
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: sent,
      body: json === undefined ? undefined : JSON.stringify(json),
      redirect: 'manual',
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, value] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await response.text();
    const body = (text && /json/.test(response.headers.get('content-type') ?? '') ? JSON.parse(text) : text) as T;
    return { status: response.status, body, headers: response.headers };
  }

  /** A state-changing request as the console sends it: with the session's CSRF token. */
  send<T = Record<string, unknown>>(path: string, json: unknown = {}) {
    return this.request<T>('POST', path, json, { 'x-csrf-token': this.csrfToken });
  }
}
