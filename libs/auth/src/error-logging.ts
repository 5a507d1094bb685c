import { type ArgumentsHost, Catch, HttpException, Injectable } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { GqlArgumentsHost, type GqlContextType } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { AppError, HTTP_STATUS_CODES } from '@iap/common';
import { withArgumentPathsOf } from '@iap/common/graphql';

/** The level a refusal is logged at: a person's mistake is `info`, a refused identity or access `warn`. */
export type RefusalLevel = 'info' | 'warn';

const WARN_CODES = new Set(['FORBIDDEN', 'UNAUTHENTICATED', 'RATE_LIMITED', 'UNAVAILABLE']);

/** The code of an error that refuses a request (a client error), or undefined for an unexpected one. */
export function refusalCode(err: unknown): string | undefined {
  if (err instanceof AppError) return err.code === 'INTERNAL_SERVER_ERROR' ? undefined : err.code;
  if (err instanceof HttpException) return HTTP_STATUS_CODES[err.getStatus()];
  return undefined;
}

export function refusalLevel(code: string): RefusalLevel {
  return WARN_CODES.has(code) ? 'warn' : 'info';
}

interface RequestLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/**
 * Every exception of a GraphQL resolver passes here (in place of Nest's own handler, which logged each one at
 * `error` with no correlation id). A root field's error first names its fields as paths from the arguments
 * (withArgumentPathsOf: here, where only errors pass, rather than in an interceptor around every root field,
 * which cost each request an rxjs pipeline whether or not anything was refused). A refusal (BAD_USER_INPUT,
 * NOT_FOUND, CONFLICT: `info`; FORBIDDEN, UNAUTHENTICATED: `warn`) is logged on the request's logger, so with its correlation id, subject and role, and
 * the code, field and operation. Anything else is left to the GraphQL error formatter, which logs it at `error`
 * with its stack and answers INTERNAL_SERVER_ERROR. HTTP routes keep Nest's own handling.
 */
@Catch()
@Injectable()
export class ErrorLoggingFilter extends BaseExceptionFilter {
  override catch(thrown: unknown, host: ArgumentsHost): unknown {
    if (host.getType<GqlContextType>() !== 'graphql') return super.catch(thrown, host);
    const gql = GqlArgumentsHost.create(host);
    const info = gql.getInfo<GraphQLResolveInfo | undefined>();
    const exception = withArgumentPathsOf(thrown, info);
    const code = refusalCode(exception);
    if (code) {
      const context = gql.getContext<{ reply?: { request?: { log?: RequestLog } } } | undefined>();
      const log = context?.reply?.request?.log;
      const details = exception instanceof AppError ? exception.details : {};
      log?.[refusalLevel(code)](
        {
          code,
          ...(typeof details.field === 'string' ? { field: details.field } : {}),
          operation: info ? `${info.parentType.name}.${info.fieldName}` : undefined,
        },
        `Refused: ${(exception as Error).message}`,
      );
    }
    // A subscription's source must throw (graphql-js would try to iterate a returned error); any other field
    // reports a returned error as its error (and the formatter logs unexpected ones).
    if (info?.operation?.operation === 'subscription') throw exception;
    return exception;
  }
}
