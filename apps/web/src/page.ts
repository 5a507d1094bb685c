import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import type { AuthActor } from '@iap/auth';
import { OperationFailed, type OperationResult, type PageGraphQL } from './graphql.js';
import {
  type Flash,
  type FormState,
  type SessionUser,
  actorOf,
  seeOther,
  sessionOf,
  takeFlash,
  userOf,
} from './session.js';
import { markActive, navigationFor } from './navigation.js';

/**
 * The Content-Security-Policy of every page: everything from this origin, no inline script but the GOV.UK
 * template's one line (by nonce), no inline style, no framing, forms posting only here.
 */
export function pageContentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** What every template gets besides its own data. */
export interface PageLocals {
  readonly user?: SessionUser;
  readonly navigation: ReturnType<typeof navigationFor>;
  readonly currentPath: string;
  readonly cspNonce: string;
  readonly csrfToken?: string;
  readonly flash?: Flash;
  readonly correlationId: string;
}

/** Renders a template as a full page: CSP nonce, the person, navigation, one-off messages. */
export async function renderPage(
  request: FastifyRequest,
  reply: FastifyReply,
  template: string,
  data: Record<string, unknown> = {},
  statusCode = 200,
): Promise<FastifyReply> {
  const nonce = randomBytes(16).toString('base64');
  const hasSession = (request as unknown as { session?: unknown }).session !== undefined;
  const user = hasSession ? userOf(request) : undefined;
  const csrf = (reply as unknown as { generateCsrf?: () => string }).generateCsrf;
  const locals: PageLocals = {
    user,
    navigation: markActive(navigationFor(user), request.url.split('?')[0] ?? '/'),
    currentPath: request.url.split('?')[0] ?? '/',
    cspNonce: nonce,
    csrfToken: hasSession && csrf ? csrf.call(reply) : undefined,
    flash: hasSession ? takeFlash(request) : undefined,
    correlationId: String(request.id),
  };
  const html = await (reply as unknown as { viewAsync(t: string, d: object): Promise<string> }).viewAsync(
    template,
    { ...locals, ...data },
  );
  return reply
    .code(statusCode)
    .header('content-security-policy', pageContentSecurityPolicy(nonce))
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(html);
}

/** A page's request, with the person signed in and the one gate to the product. */
export class Page {
  readonly user: SessionUser | undefined;
  readonly actor: AuthActor | undefined;

  constructor(
    readonly request: FastifyRequest,
    readonly reply: FastifyReply,
    private readonly graphql: PageGraphQL,
  ) {
    this.user = userOf(request);
    this.actor = actorOf(this.user);
  }

  /** Route parameters. */
  get params(): Record<string, string> {
    return (this.request.params ?? {}) as Record<string, string>;
  }

  /** Query string values (the first of each). */
  get search(): Record<string, string> {
    const q = (this.request.query ?? {}) as Record<string, string | string[]>;
    return Object.fromEntries(Object.entries(q).map(([k, v]) => [k, Array.isArray(v) ? (v[0] ?? '') : v]));
  }

  /** A form's fields as strings (a field given twice keeps its first value; see `values` for lists). */
  get body(): Record<string, string> {
    const b = (this.request.body ?? {}) as Record<string, string | string[]>;
    return Object.fromEntries(Object.entries(b).map(([k, v]) => [k, Array.isArray(v) ? (v[0] ?? '') : v]));
  }

  /** Every value of a repeated form field (checkboxes). */
  values(name: string): string[] {
    const v = ((this.request.body ?? {}) as Record<string, string | string[] | undefined>)[name];
    return v === undefined ? [] : Array.isArray(v) ? v : [v];
  }

  /** Runs an operation whose refusals the page shows (a form's BAD_USER_INPUT, a CONFLICT). */
  run<T>(source: string, variables?: Record<string, unknown>): Promise<OperationResult<T>> {
    return this.graphql.run<T>(this.request, this.actor, source, variables);
  }

  /** Runs an operation whose refusal ends the page (403, 404 or 500 page). */
  query<T>(source: string, variables?: Record<string, unknown>): Promise<T> {
    return this.graphql.query<T>(this.request, this.actor, source, variables);
  }

  /**
   * Ends the page with the GOV.UK 403 page unless the access policy lets this person run `operation` with
   * `args` (asked of the API's `viewer.may`: the page holds no rule of its own).
   */
  async requireMay(operation: string, args: Record<string, unknown>): Promise<void> {
    if (!this.user)
      throw new OperationFailed([{ code: 'UNAUTHENTICATED', message: 'Sign in first', extensions: {} }]);
    const data = await this.query<{ viewer: { may: boolean } }>(
      'query May($operation: String!, $args: JSON) { viewer { may(operation: $operation, args: $args) } }',
      { operation, args },
    );
    if (!data.viewer.may)
      throw new OperationFailed([
        {
          code: 'FORBIDDEN',
          message: this.user.area
            ? `Your account can change only ${this.user.areaName ?? 'your own council'}'s records`
            : 'Your account cannot make this change',
          extensions: {},
        },
      ]);
  }

  /** Ends the page with a sign-in redirect for a visitor. */
  requireSignedIn(): SessionUser {
    if (!this.user)
      throw new OperationFailed([{ code: 'UNAUTHENTICATED', message: 'Sign in first', extensions: {} }]);
    return this.user;
  }

  render(template: string, data: Record<string, unknown> = {}, statusCode = 200): Promise<FastifyReply> {
    return renderPage(this.request, this.reply, template, data, statusCode);
  }

  /** Post/redirect/get. */
  redirect(location: string, flash?: Flash): FastifyReply {
    if (flash) sessionOf(this.request).set('flash', flash);
    return seeOther(this.reply, location);
  }

  /** Keeps a refused form's answers and errors for the page it redirects to, which shows them again. */
  keepForm(state: FormState): void {
    sessionOf(this.request).set('form', state);
  }

  /** Takes (and clears) the kept state of `form`, if it is the one kept. */
  takeForm(form: string): FormState | undefined {
    const session = sessionOf(this.request);
    const state = session.get('form');
    if (!state) return undefined;
    session.set('form', undefined);
    return state.form === form ? state : undefined;
  }
}

/** A route handler that gets a Page (the person, the gate, rendering); errors become GOV.UK error pages. */
export function pageHandler(
  graphql: PageGraphQL,
  handle: (page: Page) => Promise<unknown>,
): RouteHandlerMethod {
  return async function (request, reply) {
    await handle(new Page(request, reply, graphql));
    return reply;
  };
}
