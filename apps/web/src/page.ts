import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import type { AuthActor } from '@iap/auth';
import { OperationFailed, type OperationResult, type PageGraphQL } from './graphql.js';
import {
  type Flash,
  type FormState,
  type SessionUser,
  actorOf,
  keepFormState,
  seeOther,
  sessionOf,
  takeFlash,
  takeFormState,
  userOf,
} from './session.js';
import { markActive, navigationFor } from './navigation.js';
import { todayInEngland } from '../../../src/shared/periods.js';

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

/**
 * What differs between two responses of the same page to the same person: the CSP nonce, the CSRF token and the
 * correlation id. A page kept for later responses (see Page.cachedPerPerson) is drawn with marks in their place,
 * and every response fills in its own.
 */
export interface ResponseValues {
  readonly nonce: string;
  readonly csrfToken?: string;
  readonly correlationId: string;
}

/** Marks of this process (random, never sent: every response replaces them), one per ResponseValues field. */
const MARK = randomBytes(16).toString('hex');
const MARKS = new RegExp(`app-(nonce|csrf|id)-${MARK}`, 'g');

/** The marks a kept page is drawn with, in place of `values`. */
export function marksFor(values: ResponseValues): ResponseValues {
  return {
    nonce: `app-nonce-${MARK}`,
    ...(values.csrfToken === undefined ? {} : { csrfToken: `app-csrf-${MARK}` }),
    correlationId: `app-id-${MARK}`,
  };
}

/**
 * Kept pages split at their marks and encoded once: UTF-8 text, mark name, UTF-8 text, … Each response to a
 * kept page then joins a few buffers. (Filling the marks in with a regular expression, then encoding the 70 KB
 * result and measuring its length for each response, took a third of the server's time under load.) Bounded:
 * the oldest is dropped first.
 */
const splitPages = new Map<string, readonly (Buffer | string)[]>();
const SPLIT_PAGES_MAX = 100;

function partsOf(html: string): readonly (Buffer | string)[] {
  let parts = splitPages.get(html);
  if (parts === undefined) {
    parts = html.split(MARKS).map((part, i) => (i % 2 === 0 ? Buffer.from(part, 'utf8') : part));
    if (splitPages.size >= SPLIT_PAGES_MAX) splitPages.delete(splitPages.keys().next().value as string);
    splitPages.set(html, parts);
  }
  return parts;
}

/** A kept page's HTML, as UTF-8, with this response's own values in place of the marks. */
export function withValues(html: string, values: ResponseValues): Buffer {
  const chunks = partsOf(html).map((part) =>
    typeof part !== 'string'
      ? part
      : Buffer.from(
          part === 'nonce' ? values.nonce : part === 'csrf' ? (values.csrfToken ?? '') : values.correlationId,
          'utf8',
        ),
  );
  return Buffer.concat(chunks);
}

function responseValues(request: FastifyRequest, reply: FastifyReply): ResponseValues {
  const hasSession = (request as unknown as { session?: unknown }).session !== undefined;
  const csrf = (reply as unknown as { generateCsrf?: () => string }).generateCsrf;
  return {
    nonce: randomBytes(16).toString('base64'),
    ...(hasSession && csrf ? { csrfToken: csrf.call(reply) } : {}),
    correlationId: String(request.id),
  };
}

function sendPage(
  reply: FastifyReply,
  html: string | Buffer,
  values: ResponseValues,
  statusCode: number,
): FastifyReply {
  return reply
    .code(statusCode)
    .header('content-security-policy', pageContentSecurityPolicy(values.nonce))
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(html);
}

/**
 * Renders a template as a full page: CSP nonce, the person, navigation, one-off messages. With `keep`, the page
 * is drawn with marks for the values of one response (see marksFor), given to `keep`, then sent with this
 * response's own; a page with a one-off message is never kept.
 */
export async function renderPage(
  request: FastifyRequest,
  reply: FastifyReply,
  template: string,
  data: Record<string, unknown> = {},
  statusCode = 200,
  keep?: (html: string) => void,
): Promise<FastifyReply> {
  const hasSession = (request as unknown as { session?: unknown }).session !== undefined;
  const user = hasSession ? userOf(request) : undefined;
  const values = responseValues(request, reply);
  const flash = hasSession ? takeFlash(request) : undefined;
  const kept = keep && !flash ? keep : undefined;
  const drawn = kept ? marksFor(values) : values;
  const locals: PageLocals = {
    user,
    navigation: markActive(navigationFor(user), request.url.split('?')[0] ?? '/'),
    currentPath: request.url.split('?')[0] ?? '/',
    cspNonce: drawn.nonce,
    csrfToken: drawn.csrfToken,
    flash,
    correlationId: drawn.correlationId,
  };
  const html = await (reply as unknown as { viewAsync(t: string, d: object): Promise<string> }).viewAsync(
    template,
    { ...locals, ...data },
  );
  if (!kept) return sendPage(reply, html, values, statusCode);
  kept(html);
  return sendPage(reply, withValues(html, values), values, statusCode);
}

/**
 * The `viewer` selection that asks the API's own policies whether the person may run each operation:
 * `{ alias: [operation, args] }`, `args` a variable of the query (`$may`) or a literal (`{}`).
 */
export function viewerMay(
  asks: Readonly<Record<string, readonly [operation: string, args: string]>>,
): string {
  const fields = Object.entries(asks).map(
    ([alias, [operation, args]]) => `${alias}: may(operation: "${operation}", args: ${args})`,
  );
  return `viewer {\n    ${fields.join('\n    ')}\n  }`;
}

/** A page's request, with the person signed in and the one gate to the product. */
export class Page {
  readonly user: SessionUser | undefined;
  readonly actor: AuthActor | undefined;
  /** Keeps this response's page for the next ones (set by cachedPerPerson when none was kept). */
  private keepPage?: (html: string) => void;

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
    return this.graphql.run<T>(this.request, this.actor, source, variables, {
      validateOnly: this.checkingOnly,
    });
  }

  private checkingOnly = false;

  /**
   * Runs `operations` (which call `run`) as a check only: each operation's policy and input validation answer,
   * and nothing is run or changed (see GraphQLContext.validateOnly). Answers their input problems alone.
   */
  async checkOnly<T>(operations: () => Promise<OperationResult<T>>): Promise<OperationResult<T>> {
    this.checkingOnly = true;
    try {
      const result = await operations();
      // Only problems with a field the person can fix: the check runs on what the page could read, and the page
      // says the rest itself.
      const named = (e: (typeof result.errors)[number]) =>
        e.field !== undefined ||
        (Array.isArray(e.extensions.problems) &&
          (e.extensions.problems as { field?: string }[]).every((p) => p.field !== undefined));
      return {
        errors: result.errors.filter((e) => e.code === 'BAD_USER_INPUT' && named(e)),
        readModelsBehind: [],
      };
    } finally {
      this.checkingOnly = false;
    }
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
    const keep = statusCode === 200 ? this.keepPage : undefined;
    return renderPage(this.request, this.reply, template, data, statusCode, keep);
  }

  /**
   * Sends the page as it was drawn for this same person, at this same address, on this same day, at this
   * read-model version, if it was kept (answering true); otherwise arranges for the page this request draws to
   * be kept. Only for a page drawn from its GraphQL operations, the person, the address and the date alone: it
   * is kept under the rules of the operations' own answers (never one that read the event log itself), and the
   * next read-model version (any change) starts afresh. The key holds the whole session user, so nobody is
   * ever sent a page drawn for someone else; each response gets its own nonce, CSRF token and correlation id. A
   * request with a one-off message or a form's kept answers in its session is drawn afresh.
   */
  async cachedPerPerson(): Promise<boolean> {
    const cache = this.graphql.cache;
    if (!cache || this.request.method !== 'GET') return false;
    const session = sessionOf(this.request);
    if (session.get('flash') !== undefined || session.get('form') !== undefined) return false;
    const now = new Date();
    const key = JSON.stringify([
      this.user ?? null,
      now.toISOString().slice(0, 10),
      todayInEngland(now),
      this.request.url,
    ]);
    const kept = await cache.getText(this.request, key);
    if (kept.value === undefined) {
      this.keepPage = kept.keep;
      return false;
    }
    const values = responseValues(this.request, this.reply);
    sendPage(this.reply, withValues(kept.value, values), values, 200);
    return true;
  }

  /** Post/redirect/get. */
  redirect(location: string, flash?: Flash): FastifyReply {
    if (flash) sessionOf(this.request).set('flash', flash);
    return seeOther(this.reply, location);
  }

  /** Keeps a refused form's answers and errors for the page it redirects to, which shows them again. */
  keepForm(state: FormState): void {
    keepFormState(this.request, state);
  }

  /** Takes (and clears) the kept state of `form`, if it is the one kept. */
  takeForm(form: string): FormState | undefined {
    return takeFormState(this.request, form);
  }
}

/**
 * The route config of a page drawn from its operations' answers, the person, the address and the date alone:
 * kept per person (see Page.cachedPerPerson).
 */
export const CACHED_PER_PERSON = { cachedPerPerson: true } as const;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** See CACHED_PER_PERSON. */
    cachedPerPerson?: boolean;
  }
}

/** A route handler that gets a Page (the person, the gate, rendering); errors become GOV.UK error pages. */
export function pageHandler(
  graphql: PageGraphQL,
  handle: (page: Page) => Promise<unknown>,
): RouteHandlerMethod {
  return async function (request, reply) {
    const page = new Page(request, reply, graphql);
    if (request.routeOptions.config.cachedPerPerson === true && (await page.cachedPerPerson())) return reply;
    await handle(page);
    return reply;
  };
}
