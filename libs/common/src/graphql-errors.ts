import { GraphQLError } from 'graphql';
import { AppError, type ErrorCode } from './errors.js';

export interface FormattedError {
  message: string;
  locations?: readonly { line: number; column: number }[];
  path?: readonly (string | number)[];
  extensions: { code: string; [key: string]: unknown };
}

const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'BAD_USER_INPUT',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  429: 'RATE_LIMITED',
};

function base(error: GraphQLError): Pick<FormattedError, 'locations' | 'path'> {
  return { locations: error.locations, path: error.path };
}

/**
 * Turns any error into what a client may see: our AppErrors keep their message and code; GraphQL's own
 * parse/validation errors keep theirs; anything else becomes a generic INTERNAL_SERVER_ERROR, so that stack
 * traces and SQL never leave the server (they are passed to `log` instead).
 */
export function formatGraphQLError(error: GraphQLError, log: (err: unknown) => void): FormattedError[] {
  const original = error.originalError as
    (Error & { errors?: unknown; getStatus?: () => number }) | undefined;
  if (original instanceof AppError) {
    return [
      { message: original.message, ...base(error), extensions: { code: original.code, ...original.details } },
    ];
  }
  if (original && Array.isArray(original.errors)) {
    // mercurius wraps a document's validation errors in one
    return (original.errors as GraphQLError[]).flatMap((e) =>
      formatGraphQLError(e instanceof GraphQLError ? e : new GraphQLError(String(e)), log),
    );
  }
  if (original && typeof original.getStatus === 'function') {
    const code = STATUS_CODES[original.getStatus()];
    if (code) return [{ message: original.message, ...base(error), extensions: { code } }];
  }
  if (!original || original instanceof GraphQLError) {
    const existing = error.extensions?.code;
    let code = typeof existing === 'string' ? existing : 'GRAPHQL_VALIDATION_FAILED';
    if (error.message.startsWith('Syntax Error')) code = 'GRAPHQL_PARSE_FAILED';
    else if (/^Variable "\$|^Argument "|got invalid value|cannot represent/i.test(error.message))
      code = 'BAD_USER_INPUT';
    return [{ message: error.message, ...base(error), extensions: { code } }];
  }
  log(original);
  return [
    { message: 'Internal server error', ...base(error), extensions: { code: 'INTERNAL_SERVER_ERROR' } },
  ];
}
