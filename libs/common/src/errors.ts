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
