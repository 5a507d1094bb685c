import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import { visit } from 'graphql';
import { type ArgumentIndex, argumentIndex, parsedDocument } from '@iap/common/graphql';
import { HttpAppError, RateLimitedError } from './errors.js';
import { actorOfRequest } from './request-auth.js';

type ContentSecurityPolicy = Exclude<HelmetOptions['contentSecurityPolicy'], boolean | undefined>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route's own Content-Security-Policy, in place of the strict one (GraphiQL's page: see registerHttpSecurity). */
    contentSecurityPolicy?: ContentSecurityPolicy;
  }
}

export interface RateLimitSettings {
  /** Requests allowed per window for one subject (or, without a token, one address). */
  readonly max: number;
  readonly windowMs: number;
}

export interface HttpSecuritySettings {
  /** Origins allowed to call the API from a browser; empty: none (same-origin only); ['*']: any. */
  readonly corsOrigins: readonly string[];
  readonly rateLimit: RateLimitSettings;
}

/**
 * The Content-Security-Policy of every response: nothing may load, nothing may frame it. GraphiQL's page has
 * its own (below).
 */
export const STRICT_CONTENT_SECURITY_POLICY = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'none'"],
    frameAncestors: ["'none'"],
  },
};

/**
 * The Content-Security-Policy of GraphiQL's page (only that page: its route's `config.contentSecurityPolicy`): scripts,
 * styles and connections from this origin only (its assets are served from the installed packages, never a
 * CDN), inline styles (GraphiQL's editors set them), fonts and images as data: URLs (its style sheet embeds its
 * fonts). No inline script, no eval.
 */
export const GRAPHIQL_CONTENT_SECURITY_POLICY = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:'],
    fontSrc: ["'self'", 'data:'],
    // 'self' covers the same origin's ws:/wss: (CSP Level 3): subscriptions on /graphql.
    connectSrc: ["'self'"],
    workerSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
};

/**
 * Security headers (helmet, with a strict Content-Security-Policy that a route may relax for itself, as GraphiQL's
 * page does), CORS from an allow-list, and rate limiting per signed-in subject or per address. Register before the
 * routes are (i.e. before the Nest application initialises) so the limits apply to every route.
 */
export async function registerHttpSecurity(
  fastify: FastifyInstance,
  settings: HttpSecuritySettings,
): Promise<void> {
  // helmet's headers, its middleware built once per policy (@fastify/helmet built it again for every request).
  const headersFor = (contentSecurityPolicy: ContentSecurityPolicy) =>
    helmet({
      contentSecurityPolicy,
      crossOriginResourcePolicy: { policy: 'same-origin' },
      referrerPolicy: { policy: 'no-referrer' },
    });
  const strict = headersFor(STRICT_CONTENT_SECURITY_POLICY);
  const relaxed = new Map<ContentSecurityPolicy, ReturnType<typeof helmet>>();
  fastify.addHook('onRequest', (request, reply, done) => {
    const own = request.routeOptions.config?.contentSecurityPolicy;
    let setHeaders = own ? relaxed.get(own) : strict;
    if (!setHeaders) relaxed.set(own!, (setHeaders = headersFor(own!)));
    setHeaders(request.raw, reply.raw, (err) => done(err as Error | undefined));
  });

  const origins = settings.corsOrigins;
  await fastify.register(cors, {
    origin: origins.includes('*') ? '*' : origins.length > 0 ? [...origins] : false,
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ['authorization', 'content-type', 'x-correlation-id'],
    exposedHeaders: ['x-correlation-id', 'retry-after', 'x-ratelimit-limit', 'x-ratelimit-remaining'],
    maxAge: 600,
  });

  await fastify.register(rateLimit, {
    global: true,
    max: settings.rateLimit.max,
    timeWindow: settings.rateLimit.windowMs,
    // After authentication (an onRequest hook of the root instance): count per subject when signed in.
    keyGenerator: (request) => {
      const actor = actorOfRequest(request);
      return actor ? `subject:${actor.role}:${actor.subject}` : `address:${request.ip}`;
    },
    errorResponseBuilder: (_request, context) =>
      new RateLimitedError(Math.max(1, Math.ceil(context.ttl / 1000)), context.max),
  });
}

/** The path of the first string (or key) in a parsed JSON value that holds a NUL character, if any. */
function nulAt(value: unknown, path: (string | number)[] = [], depth = 0): (string | number)[] | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (depth > 64 || value === null || typeof value !== 'object') return undefined;
  for (const [k, v] of Object.entries(value)) {
    const key = Array.isArray(value) ? Number(k) : k;
    if (k.includes('\u0000')) return [...path, key];
    const found = nulAt(v, [...path, key], depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** The argument path (as BAD_USER_INPUT's `field`) of a NUL found at `path` in the request's parameters. */
function fieldOfNul(params: Record<string, unknown>, path: (string | number)[]): string {
  let index: ArgumentIndex | undefined;
  try {
    if (typeof params.query === 'string') index = argumentIndex(parsedDocument(params.query));
  } catch {
    index = undefined;
  }
  if (path[0] === 'variables' && path.length > 1) {
    const variable = String(path[1]);
    return [index?.variables.get(variable) ?? variable, ...path.slice(2)].join('.');
  }
  if (path[0] === 'query' && typeof params.query === 'string') {
    // a string literal holding an escaped NUL
    try {
      let found: string | undefined;
      visit(parsedDocument(params.query), {
        StringValue(node) {
          if (!found && node.value.includes('\u0000') && node.loc) found = index?.at.get(node.loc.start);
        },
      });
      if (found) return found;
    } catch {
      // not a document: the NUL is in the text itself
    }
  }
  return path.join('.');
}

/**
 * Refuses text holding NUL characters before anything reads it: PostgreSQL cannot store them in text, so they
 * would otherwise surface as a database error deep inside a command. The refusal is BAD_USER_INPUT naming the
 * argument (or input field) that holds it, answered like GraphQL's own refusals of a value.
 */
export function rejectNulCharacters(fastify: FastifyInstance): void {
  fastify.addHook('preValidation', (request, _reply, done) => {
    for (const params of [request.body, request.query]) {
      const path = nulAt(params);
      if (!path) continue;
      const field = fieldOfNul(params as Record<string, unknown>, path);
      return done(
        new HttpAppError(
          400,
          'BAD_USER_INPUT',
          `Invalid ${field}: text must not contain NUL (\\u0000) characters`,
          {
            field,
          },
        ),
      );
    }
    done();
  });
}
