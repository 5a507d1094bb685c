import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { HttpAppError, RateLimitedError } from './errors.js';
import { actorOfRequest } from './request-auth.js';

export interface RateLimitSettings {
  /** Requests allowed per window for one subject (or, without a token, one address). */
  readonly max: number;
  readonly windowMs: number;
}

export interface HttpSecuritySettings {
  /** Origins allowed to call the API from a browser; empty: none (same-origin only); ['*']: any. */
  readonly corsOrigins: readonly string[];
  readonly rateLimit: RateLimitSettings;
  /** GraphiQL is served: its page needs scripts and styles from unpkg.com. */
  readonly graphiql: boolean;
}

const CDN = 'https://unpkg.com';

/**
 * Security headers (helmet, with a Content-Security-Policy that lets GraphiQL load only when it is on), CORS from
 * an allow-list, and rate limiting per signed-in subject or per address. Register before the routes are (i.e.
 * before the Nest application initialises) so the limits apply to every route.
 */
export async function registerHttpSecurity(
  fastify: FastifyInstance,
  settings: HttpSecuritySettings,
): Promise<void> {
  await fastify.register(helmet, {
    global: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: settings.graphiql
        ? {
            defaultSrc: ["'self'"],
            scriptSrc: ["'self'", CDN],
            styleSrc: ["'self'", "'unsafe-inline'", CDN],
            imgSrc: ["'self'", 'data:', CDN],
            fontSrc: ["'self'", 'data:', CDN],
            connectSrc: ["'self'", CDN, 'ws:', 'wss:'],
            workerSrc: ["'self'"],
            objectSrc: ["'none'"],
            baseUri: ["'self'"],
            formAction: ["'self'"],
            frameAncestors: ["'none'"],
          }
        : {
            defaultSrc: ["'none'"],
            baseUri: ["'none'"],
            formAction: ["'none'"],
            frameAncestors: ["'none'"],
          },
    },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    referrerPolicy: { policy: 'no-referrer' },
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

/** True when any string (or key) in a parsed JSON value holds a NUL character. */
function hasNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (depth > 64 || value === null || typeof value !== 'object') return false;
  for (const [k, v] of Object.entries(value)) if (k.includes('\u0000') || hasNul(v, depth + 1)) return true;
  return false;
}

/**
 * Refuses text holding NUL characters before anything reads it: PostgreSQL cannot store them in text, so they
 * would otherwise surface as a database error deep inside a command.
 */
export function rejectNulCharacters(fastify: FastifyInstance): void {
  fastify.addHook('preValidation', async (request) => {
    if (hasNul(request.body) || hasNul(request.query))
      throw new HttpAppError(400, 'BAD_USER_INPUT', 'Text must not contain NUL (\\u0000) characters');
  });
}
