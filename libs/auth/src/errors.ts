// @iap/common (not @iap/common/graphql) loads no framework: the CLI's token:issue loads this file through
// tokens.ts and starts in well under a second without GraphQL, class-validator or NestJS.
import { AppError, ForbiddenError, UnauthenticatedError } from '@iap/common';

/**
 * Errors raised before a request reaches a resolver (token checks, rate limits, oversized bodies): they carry the
 * HTTP status to answer with, and are shown to the client as they are (code and message, never a stack).
 */
export class HttpAppError extends AppError {
  constructor(
    readonly statusCode: number,
    code: ConstructorParameters<typeof AppError>[0],
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super(code, message, details);
  }
}

export class InvalidTokenError extends HttpAppError {
  constructor(reason: string) {
    super(401, 'UNAUTHENTICATED', `Your token was refused: ${reason}`);
  }
}

export class RateLimitedError extends HttpAppError {
  constructor(retryAfterSeconds: number, limit: number) {
    super(
      429,
      'RATE_LIMITED',
      `Too many requests: at most ${limit} per window for one token (or address); retry in ${retryAfterSeconds} s`,
      { retryAfterSeconds },
    );
  }
}

/**
 * The policy guard's refusals. They carry `extensions.code` themselves, so that the code survives paths that do
 * not run the GraphQL error formatter (a refused subscription over WebSocket).
 */
export class PolicyForbiddenError extends ForbiddenError {
  readonly extensions = { code: 'FORBIDDEN' };
}

export class SignInRequiredError extends UnauthenticatedError {
  readonly extensions = { code: 'UNAUTHENTICATED' };
}

/**
 * The answer to an operation run as a check only (`validateOnly` in its context): its policy allowed it and its
 * input is valid, and nothing was run. Its code says the request was not carried out.
 */
export class CheckedOnlyError extends HttpAppError {
  readonly extensions = { code: 'BAD_REQUEST', checkedOnly: true };
  constructor() {
    super(400, 'BAD_REQUEST', 'Checked only: the input is valid, and nothing was run');
  }
}
