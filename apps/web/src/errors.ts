import type { FastifyReply, FastifyRequest } from 'fastify';
import { UNAVAILABLE_MESSAGE, isUnavailableError } from '@iap/common';
import { OperationFailed } from './graphql.js';
import { renderPage } from './page.js';

/** The server's circuit on its database, as pages use it (see apps/server/src/availability.ts). */
export interface WebAvailability {
  /** The database is known to be away: pages are answered 503 at once, without trying it. */
  databaseAway(): boolean;
  /** A page found the database away or too slow: the server answers at once until a probe finds it back. */
  foundDatabaseAway(request: FastifyRequest): void;
}

const CSRF_CODES = new Set(['FST_CSRF_INVALID_TOKEN', 'FST_CSRF_MISSING_SECRET']);

/** Where a visitor goes to sign in, coming back to `returnTo` (a path of this service only). */
export function signInPath(returnTo: string): string {
  return `/sign-in?returnTo=${encodeURIComponent(safeReturnTo(returnTo))}`;
}

/** A path on this service to return to after sign-in; anything else (another site, a protocol) is the start page. */
export function safeReturnTo(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])[^\s]*$/.test(value) ? value : '/';
}

/**
 * GOV.UK's "Sorry, the service is unavailable" page, HTTP 503: the database is away or too slow just now. The
 * server adds Retry-After to every 503, as it does to the API's.
 */
export function unavailablePage(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  return renderPage(request, reply, 'errors/unavailable', {}, 503);
}

/** The same for the script endpoints under /api/, which answer JSON like the API: 503 UNAVAILABLE. */
export function unavailableJson(reply: FastifyReply): FastifyReply {
  return reply.code(503).send({ code: 'UNAVAILABLE', message: UNAVAILABLE_MESSAGE });
}

/** Whether a page's error means the database is away or too slow now (not a fault of the page or its input). */
export function isDatabaseAway(error: unknown): boolean {
  const code = error instanceof OperationFailed ? error.code : (error as { code?: string } | null)?.code;
  return code === 'UNAVAILABLE' || isUnavailableError(error);
}

export function notFoundPage(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  return renderPage(request, reply, 'errors/not-found', {}, 404);
}

/**
 * Every error of a page as a GOV.UK page: refusals of access (403), records that do not exist (404), a visitor
 * asked to sign in first, an expired form (403), the database away (503, and the server's circuit opens),
 * anything else a 500 page giving the correlation id to quote.
 */
export async function errorPage(
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
  availability?: WebAvailability,
): Promise<FastifyReply> {
  if (isDatabaseAway(error)) {
    request.log.warn({ err: error }, 'Page answered 503: the database is away or too slow');
    availability?.foundDatabaseAway(request);
    return unavailablePage(request, reply);
  }
  const code = error instanceof OperationFailed ? error.code : (error as { code?: string }).code;
  if (code === 'UNAUTHENTICATED') {
    const back = request.method === 'GET' ? request.url : '/';
    return reply.code(303).header('location', signInPath(back)).send();
  }
  if (code === 'FORBIDDEN') {
    const reason = error instanceof OperationFailed ? error.errors[0]?.message : undefined;
    return renderPage(request, reply, 'errors/forbidden', { reason }, 403);
  }
  if (code === 'NOT_FOUND') return notFoundPage(request, reply);
  if (code && CSRF_CODES.has(code)) return renderPage(request, reply, 'errors/form-expired', {}, 403);
  const status = (error as { statusCode?: number }).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return renderPage(request, reply, 'errors/bad-request', { message: (error as Error).message }, status);
  }
  request.log.error({ err: error }, 'Page failed');
  return renderPage(request, reply, 'errors/problem', {}, 500);
}
