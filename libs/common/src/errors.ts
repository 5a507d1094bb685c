/** Stable error codes, carried to GraphQL clients in `extensions.code`. */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  /** The HTTP request itself is malformed (unreadable JSON, parameters of the wrong type). */
  | 'BAD_REQUEST'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'FORBIDDEN'
  | 'UNAUTHENTICATED'
  | 'RATE_LIMITED'
  | 'UNAVAILABLE'
  | 'INTERNAL_SERVER_ERROR';

/** The code of an HTTP client error's status (Nest's HttpException, Fastify's errors), where one fits. */
export const HTTP_STATUS_CODES: Readonly<Record<number, ErrorCode>> = {
  400: 'BAD_USER_INPUT',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  429: 'RATE_LIMITED',
};

/** An error meant for the client: its message and code are shown as they are. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export interface FieldProblem {
  /** Path of the offending field within the input, e.g. `code` or `milestones.2.dueDate`. */
  readonly field: string;
  readonly message: string;
}

export class BadUserInputError extends AppError {
  constructor(readonly problems: readonly FieldProblem[]) {
    super(
      'BAD_USER_INPUT',
      problems.length === 1
        ? `Invalid ${problems[0].field}: ${problems[0].message}`
        : `Invalid input: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`,
      { field: problems[0]?.field, problems },
    );
  }

  static field(field: string, message: string): BadUserInputError {
    return new BadUserInputError([{ field, message }]);
  }
}

/**
 * Thrown by a custom scalar's parseValue/parseLiteral for a malformed value. GraphQL wraps it (naming the variable
 * or the literal); the error formatter answers it as BAD_USER_INPUT with the argument's path in `field`.
 */
export class ScalarInputError extends Error {
  override readonly name = 'ScalarInputError';
}

export class NotFoundError extends AppError {
  constructor(message: string) {
    super('NOT_FOUND', message);
  }
}

/** A rule of the current state forbids the command, or a concurrent writer got there first. */
export class ConflictError extends AppError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('CONFLICT', message, details);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'You are not allowed to do this') {
    super('FORBIDDEN', message);
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = 'Authentication required') {
    super('UNAUTHENTICATED', message);
  }
}

/**
 * SQLSTATEs and socket errors that mean the database is away or too slow for now (not that the request is
 * wrong): connection failures (class 08), shutdown and restarts (57P01-57P03), a statement or lock timeout
 * (57014, 55P03), too many connections (53300).
 */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '57014', '55P03', '53300']);
const UNAVAILABLE_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
]);
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is not established|terminating connection|the database system is (starting up|shutting down)/i;

/** Whether an error (or the error it wraps) says the database cannot answer now: worth trying again soon. */
export function isUnavailableError(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 4) return false;
  const e = err as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown };
  if (typeof e.code === 'string') {
    if (e.code.startsWith('08') && e.code.length === 5) return true;
    if (UNAVAILABLE_SQLSTATES.has(e.code) || UNAVAILABLE_SOCKET_CODES.has(e.code)) return true;
  }
  if (typeof e.message === 'string' && UNAVAILABLE_MESSAGES.test(e.message)) return true;
  return isUnavailableError(e.driverError, depth + 1) || isUnavailableError(e.cause, depth + 1);
}

/** What a client is told when the database cannot answer now (with HTTP 503 and Retry-After). */
export const UNAVAILABLE_MESSAGE =
  'The service cannot reach its database just now. Try again in a moment (a mutation sent again with the same commandId is applied once).';
