import { GraphQLError } from 'graphql';
import {
  AppError,
  HTTP_STATUS_CODES,
  ScalarInputError,
  UNAVAILABLE_MESSAGE,
  isUnavailableError,
} from '../errors.js';

export interface FormattedError {
  message: string;
  locations?: readonly { line: number; column: number }[];
  path?: readonly (string | number)[];
  extensions: { code: string; [key: string]: unknown };
}

function base(error: GraphQLError): Pick<FormattedError, 'locations' | 'path'> {
  return { locations: error.locations, path: error.path };
}

/**
 * Turns any error into what a client may see: our AppErrors keep their message and code; GraphQL's own
 * parse/validation errors keep theirs; anything else becomes a generic INTERNAL_SERVER_ERROR, so that stack
 * traces and SQL never leave the server (they are passed to `log` instead).
 */
/** GraphQL's own refusals of a value (not of the document's shape): BAD_USER_INPUT. */
const VALUE_ERROR =
  /^Variable "\$|^Argument "|^Expected value of type|^Expected type|got invalid value|cannot represent|^Field "[^"]*" of required type "[^"]*" was not provided|^Field "[^"]*" argument "[^"]*" of type "[^"]*" is required/i;

export function formatGraphQLError(
  error: GraphQLError,
  log: (err: unknown) => void,
  /** The argument path a request error is about (see request-fields.ts), for `extensions.field`. */
  fieldOf: (error: GraphQLError) => string | undefined = () => undefined,
): FormattedError[] {
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
      formatGraphQLError(e instanceof GraphQLError ? e : new GraphQLError(String(e)), log, fieldOf),
    );
  }
  if (original && typeof original.getStatus === 'function') {
    const code = HTTP_STATUS_CODES[original.getStatus()];
    if (code) return [{ message: original.message, ...base(error), extensions: { code } }];
  }
  if (!original || original instanceof GraphQLError || original instanceof ScalarInputError) {
    const existing = error.extensions?.code;
    let code = typeof existing === 'string' ? existing : 'GRAPHQL_VALIDATION_FAILED';
    if (error.message.startsWith('Syntax Error')) code = 'GRAPHQL_PARSE_FAILED';
    else if (original instanceof ScalarInputError || VALUE_ERROR.test(error.message)) code = 'BAD_USER_INPUT';
    const field = code === 'BAD_USER_INPUT' ? fieldOf(error) : undefined;
    return [
      {
        message: error.message,
        ...base(error),
        extensions: field === undefined ? { code } : { code, field },
      },
    ];
  }
  if (isUnavailableError(original)) {
    return [{ message: UNAVAILABLE_MESSAGE, ...base(error), extensions: { code: 'UNAVAILABLE' } }];
  }
  log(original);
  return [
    { message: 'Internal server error', ...base(error), extensions: { code: 'INTERNAL_SERVER_ERROR' } },
  ];
}
