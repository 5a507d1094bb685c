import type { FastifyReply, FastifyRequest } from 'fastify';
import { OperationFailed } from './graphql.js';
import { renderPage } from './page.js';

const CSRF_CODES = new Set(['FST_CSRF_INVALID_TOKEN', 'FST_CSRF_MISSING_SECRET']);

/** Where a visitor goes to sign in, coming back to `returnTo` (a path of this service only). */
export function signInPath(returnTo: string): string {
  return `/sign-in?returnTo=${encodeURIComponent(safeReturnTo(returnTo))}`;
}

/** A path on this service to return to after sign-in; anything else (another site, a protocol) is the start page. */
export function safeReturnTo(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])[^\s]*$/.test(value) ? value : '/';
}

export function notFoundPage(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  return renderPage(request, reply, 'errors/not-found', {}, 404);
}

/**
 * Every error of a page as a GOV.UK page: refusals of access (403), records that do not exist (404), a visitor
 * asked to sign in first, an expired form (403), anything else a 500 page giving the correlation id to quote.
 */
export async function errorPage(
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
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
