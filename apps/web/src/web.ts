import { existsSync, readFileSync } from 'node:fs';
import { hkdfSync } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import csrfProtection from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import secureSession from '@fastify/secure-session';
import fastifyStatic from '@fastify/static';
import fastifyView from '@fastify/view';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import nunjucks from 'nunjucks';
import { FILTERS } from './format.js';
import { PageGraphQL, type PageOperationCache } from './graphql.js';
import { renderPage } from './page.js';
import { enforceIdleTimeout } from './session.js';
import { type WebAvailability, errorPage, notFoundPage, unavailableJson, unavailablePage } from './errors.js';
import { WEB_ROUTES, type WebRouteDeps } from './routes.js';
import type { OidcSettings } from './oidc.js';
import type { OpenDataSettings } from './open-data/three-sixty-giving.js';

const require = createRequire(import.meta.url);

/** The project's root: the nearest folder above this file with the project's package.json (source or dist). */
function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && existsSync(path.join(dir, 'apps', 'web', 'views'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir)
      throw new Error('The web views (apps/web/views) were not found above ' + import.meta.url);
    dir = parent;
  }
}

const GOVUK = path.join(path.dirname(require.resolve('govuk-frontend/package.json')), 'dist');
const GOVUK_VERSION = (
  JSON.parse(readFileSync(path.join(GOVUK, '..', 'package.json'), 'utf8')) as { version: string }
).version;
const ROOT = projectRoot();
export const VIEWS = path.join(ROOT, 'apps', 'web', 'views');
const PUBLIC = path.join(ROOT, 'apps', 'web', 'public');

export interface WebSettings {
  /** NODE_ENV=production: Secure cookies, no demo sign-in, templates cached. */
  readonly production: boolean;
  /** At least 32 characters: the session cookie's encryption key is derived from it. */
  readonly sessionSecret: string;
  /** Signed out after this long without a request (SESSION_IDLE_MINUTES, default 30). */
  readonly sessionIdleMinutes: number;
  /** Offer "Sign in as a demo user" (outside production, with no identity provider). */
  readonly demoSignIn: boolean;
  /** Sign-in through an OpenID Connect provider, when configured. */
  readonly oidc?: OidcSettings;
  /** Days after a quarter ends that its return is due (RETURN_DUE_DAYS, default 30). */
  readonly returnDueDays: number;
  /** The grants' 360Giving identifiers (unset: from OPEN_DATA_* in the environment, see open-data/). */
  readonly openData?: OpenDataSettings;
  /** The largest spreadsheet return accepted, in bytes (UPLOAD_MAX_BYTES, default 5 MB). */
  readonly uploadMaxBytes?: number;
}

/** A 32-byte key for the session cookie from the configured secret (HKDF, so the secret itself is never the key). */
function sessionKey(secret: string): Buffer {
  if (secret.length < 32) throw new Error('The session secret must be at least 32 characters');
  return Buffer.from(hkdfSync('sha256', secret, 'iap-web-session', 'session cookie key', 32));
}

const ASSET_CACHE = 'public, max-age=86400';

/** How long after the idle timeout the session cookie still exists to say "you were signed out" (12 hours). */
const SESSION_GRACE_SECONDS = 12 * 3600;

/**
 * The web service (GOV.UK Design System pages) on the same server as the API. Pages run GraphQL operations on
 * the server's own schema as the signed-in person (see graphql.ts); everything else here is the plumbing of a
 * GOV.UK service: assets from the installed govuk-frontend (no CDN), Nunjucks views, an encrypted session
 * cookie, CSRF tokens on every form, and GOV.UK error pages.
 */
export async function registerWeb(
  fastify: FastifyInstance,
  settings: WebSettings,
  cache?: PageOperationCache,
  availability?: WebAvailability,
): Promise<void> {
  // Views at the root (reply.viewAsync everywhere, for the 404 page too), GOV.UK's templates beside ours.
  await fastify.register(fastifyView, {
    engine: { nunjucks },
    templates: [VIEWS, GOVUK],
    production: settings.production,
    defaultContext: { serviceName: 'Integration Area Programme', govukVersion: GOVUK_VERSION },
    options: {
      autoescape: true,
      throwOnUndefined: false,
      onConfigure: (env: nunjucks.Environment) => {
        for (const [name, filter] of Object.entries(FILTERS))
          env.addFilter(name, filter as (...a: unknown[]) => unknown);
      },
    },
  });

  // GOV.UK Frontend's fonts and images at /assets (where its style sheet expects them), its CSS and JS beside.
  await fastify.register(fastifyStatic, {
    root: path.join(GOVUK, 'govuk', 'assets'),
    prefix: '/assets/',
    maxAge: '1d',
    index: false,
  });
  for (const file of ['govuk-frontend.min.css', 'govuk-frontend.min.js']) {
    fastify.get(`/assets/${file}`, (_request, reply) =>
      reply.header('cache-control', ASSET_CACHE).sendFile(file, path.join(GOVUK, 'govuk')),
    );
  }
  await fastify.register(fastifyStatic, {
    root: PUBLIC,
    prefix: '/public/',
    maxAge: '1d',
    index: false,
    decorateReply: false,
  });

  // The session at the root, so that every page (the 404 page too) knows who is signed in. Only pages read it:
  // the API authenticates by bearer token alone, so a session cookie never authorises a GraphQL request.
  await fastify.register(secureSession, {
    key: sessionKey(settings.sessionSecret),
    cookieName: 'iap_session',
    // Longer than the idle timeout, so that enforceIdleTimeout (not the cookie's own expiry) ends an idle
    // session and the next page says why.
    expiry: settings.sessionIdleMinutes * 60 + SESSION_GRACE_SECONDS,
    cookie: { path: '/', httpOnly: true, sameSite: 'lax', secure: settings.production },
  });

  const graphql = new PageGraphQL(fastify, cache);
  const deps: WebRouteDeps = { graphql, settings, availability };

  // The pages, in their own context: forms, sessions and CSRF apply to them only (never to /graphql). The
  // context's content-type parsers are fixed when it is made, before Nest adds its own: forms get @fastify/formbody.
  await fastify.register(async (web) => {
    await web.register(formbody, { bodyLimit: 256 * 1024 });
    await web.register(csrfProtection, { sessionPlugin: '@fastify/secure-session' });
    web.addHook('onRequest', async (request) => {
      enforceIdleTimeout(request, settings.sessionIdleMinutes * 60_000);
    });
    // While the server knows the database is away, every page is answered 503 at once, as the API is.
    web.addHook('onRequest', async (request, reply) => {
      if (!availability?.databaseAway()) return;
      return request.url.startsWith('/api/') ? unavailableJson(reply) : unavailablePage(request, reply);
    });
    // Every form is checked: a POST without this session's token is refused before its handler runs.
    web.addHook('preHandler', (request, reply, done) => {
      if (
        request.method !== 'POST' ||
        (request.routeOptions.config as { csrf?: boolean } | undefined)?.csrf === false
      )
        return done();
      web.csrfProtection(request, reply, done);
    });
    web.setErrorHandler((error, request, reply) => errorPage(error, request, reply, availability));
    for (const routes of WEB_ROUTES) await web.register(routes, deps);
  });
}

/** The GOV.UK 404 page for a browser, else undefined (the API's JSON 404 stays as it is). */
export function webNotFound(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> | undefined {
  const accept = request.headers.accept ?? '';
  if (request.method !== 'GET' || !accept.includes('text/html')) return undefined;
  return notFoundPage(request, reply);
}

export { renderPage, type WebAvailability };
