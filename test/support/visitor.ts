/** A page as a visitor's browser got it: status, HTML, this response's nonce and CSRF token, Retry-After. */
export interface Opened {
  readonly status: number;
  readonly html: string;
  readonly nonce: string;
  readonly csrf: string | undefined;
  readonly retryAfter: string | null;
}

/** The value of a form's hidden field `name` in a page. */
export const hidden = (html: string, name: string): string | undefined =>
  new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];

/** A browser's cookie jar of one, over fetch: the session cookie, renewed as the server sends it. */
export class Visitor {
  private cookie = '';
  constructor(
    private readonly baseUrl: string,
    readonly subject: string,
  ) {}

  /** Signs in as the demo person `subject` (demo sign-in, as outside production). */
  async signIn(): Promise<this> {
    const form = await this.open('/sign-in');
    await this.post('/sign-in/demo', { _csrf: form.csrf ?? '', person: this.subject, returnTo: '/' });
    return this;
  }

  async open(path: string): Promise<Opened> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      headers: { cookie: this.cookie },
      redirect: 'manual',
    });
    this.keepCookie(res);
    const html = await res.text();
    const nonce = /'nonce-([^']+)'/.exec(res.headers.get('content-security-policy') ?? '')?.[1] ?? '';
    return {
      status: res.status,
      html,
      nonce,
      csrf: hidden(html, '_csrf'),
      retryAfter: res.headers.get('retry-after'),
    };
  }

  async post(path: string, form: Record<string, string>): Promise<Response> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: this.cookie },
      body: new URLSearchParams(form).toString(),
    });
    this.keepCookie(res);
    return res;
  }

  private keepCookie(res: Response): void {
    const set = (res.headers.get('set-cookie') ?? '').split(';')[0];
    if (set?.startsWith('iap_session=')) this.cookie = set;
  }
}
