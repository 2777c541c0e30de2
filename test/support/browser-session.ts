/**
 * A person's side of the HTTP conversation, as a browser holds it: cookies kept per host (replaced when set
 * again, dropped when cleared), redirects followed on request across hosts (the gateway and an identity
 * provider), JSON in and out, and the console's Origin on every request to the gateway.
 */
export class PersonAgent {
  private readonly jars = new Map<string, Map<string, string>>();
  csrfToken = '';

  constructor(
    readonly baseUrl: string,
    readonly origin = new URL(baseUrl).origin,
  ) {}

  /** The gateway's cookies. */
  get cookies(): Map<string, string> {
    return this.jar(new URL(this.baseUrl).host);
  }

  private jar(host: string): Map<string, string> {
    let jar = this.jars.get(host);
    if (!jar) this.jars.set(host, (jar = new Map<string, string>()));
    return jar;
  }

  async request<T = Record<string, unknown>>(
    method: string,
    pathOrUrl: string,
    json?: unknown,
    headers: Record<string, string> = {},
    form?: Record<string, string> | FormData,
  ): Promise<{ status: number; body: T; headers: Headers; url: string }> {
    const url = new URL(pathOrUrl, this.baseUrl);
    const jar = this.jar(url.host);
    const sent: Record<string, string> =
      url.origin === this.origin ? { origin: this.origin, ...headers } : { ...headers };
    if (jar.size > 0) sent.cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
    if (json !== undefined) sent['content-type'] = 'application/json';
    // A multipart form's type (with its boundary) is set by fetch.
    if (form !== undefined && !(form instanceof FormData)) sent['content-type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(url, {
      method,
      headers: sent,
      body:
        form instanceof FormData
          ? form
          : form !== undefined
            ? new URLSearchParams(form).toString()
            : json === undefined
              ? undefined
              : JSON.stringify(json),
      redirect: 'manual',
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, value] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) jar.delete(name);
      else jar.set(name, value);
    }
    const text = await response.text();
    const body = (text && /json/.test(response.headers.get('content-type') ?? '') ? JSON.parse(text) : text) as T;
    return { status: response.status, body, headers: response.headers, url: url.href };
  }

  /** A state-changing request as the console sends it: with the session's CSRF token. */
  send<T = Record<string, unknown>>(path: string, json: unknown = {}) {
    return this.request<T>('POST', path, json, { 'x-csrf-token': this.csrfToken });
  }

  /**
   * GETs a URL and follows its redirects (at most 20) wherever they lead, letting `rewrite` change a URL before
   * it is visited (to answer an identity provider's interaction). Answers with the last response.
   */
  async follow(
    start: string,
    rewrite: (url: URL) => URL = (url) => url,
    form?: Record<string, string>,
  ): Promise<{ status: number; body: string; headers: Headers; url: string; visited: string[] }> {
    const visited: string[] = [];
    let next: URL = new URL(start, this.baseUrl);
    for (let hop = 0; hop < 20; hop += 1) {
      next = rewrite(next);
      visited.push(next.href);
      // A form is posted first; the redirects after it are followed with GET, as a browser does after a 302/303.
      const response = await this.request<string>(
        hop === 0 && form ? 'POST' : 'GET',
        next.href,
        undefined,
        {},
        hop === 0 ? form : undefined,
      );
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) return { ...response, visited };
      next = new URL(location, next);
    }
    throw new Error(`more than 20 redirects from ${start}`);
  }

  /** Submits the form of a page (found by its id) with these fields added to its hidden ones, following redirects. */
  submit(page: { body: string; url: string }, formId: string, fields: Record<string, string>) {
    const form = new RegExp(`<form[^>]*id="${formId}"[^>]*>[\\s\\S]*?</form>`).exec(page.body)?.[0];
    if (!form) throw new Error(`no form ${formId} on ${page.url}`);
    const action = /action="([^"]*)"/.exec(form)![1].replace(/&amp;/g, '&');
    const hidden = Object.fromEntries(
      [...form.matchAll(/<input[^>]*type="hidden"[^>]*>/g)].map(([input]) => [
        /name="([^"]*)"/.exec(input)?.[1] ?? '',
        (/value="([^"]*)"/.exec(input)?.[1] ?? '').replace(/&amp;/g, '&'),
      ]),
    );
    return this.follow(new URL(action, page.url).href, (url) => url, { ...hidden, ...fields });
  }
}
