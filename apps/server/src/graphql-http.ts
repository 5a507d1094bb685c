import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GraphQLError, type GraphQLSchema, type DocumentNode } from 'graphql';
import {
  type FormattedError,
  argumentIndex,
  fieldOfRequestError,
  formatGraphQLError,
  parsedDocument,
} from '@iap/common/graphql';
import { HttpAppError, httpClientError, refusalLevel } from '@iap/auth';
import { isUnavailableError } from '@iap/common';
import { markDatabaseUnavailable } from './availability.js';

/**
 * GraphQL over HTTP (https://graphql.github.io/graphql-over-http/), SHOULDs included:
 *
 * - The response media type follows the request's Accept header: `application/graphql-response+json` when the
 *   client prefers it, else `application/json` (also for a missing Accept or `*\/*`).
 * - Errors of the HTTP layer, before GraphQL reads the request (a token that cannot be verified, rate limit, body
 *   too large, unreadable JSON, malformed request parameters, no content type): their own 4xx status, with both
 *   media types, and no `data` entry.
 * - Request errors (the document does not parse or validate, a variable or argument value is refused, a document
 *   limit is passed): no `data` entry; status 200 with `application/json` (a well-formed request), 400 with
 *   `application/graphql-response+json`.
 * - Once execution starts (`data` present, perhaps null): 200 with both, field errors in `errors`. Refusals by
 *   the access policies (FORBIDDEN, and UNAUTHENTICATED for an operation that needs a token when none was sent)
 *   are field errors like any other.
 */
export const GRAPHQL_RESPONSE_JSON = 'application/graphql-response+json';

/** Whether the Accept header prefers application/graphql-response+json to application/json (q values honoured). */
export function prefersGraphQLResponse(accept: string | undefined): boolean {
  if (!accept) return false;
  let best: { type: string; q: number } | undefined;
  for (const part of accept.split(',')) {
    const [range, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0) continue;
    const type =
      range === GRAPHQL_RESPONSE_JSON
        ? GRAPHQL_RESPONSE_JSON
        : range === 'application/json' || range === 'application/*' || range === '*/*'
          ? 'application/json'
          : undefined;
    if (type && (!best || q > best.q)) best = { type, q };
  }
  return best?.type === GRAPHQL_RESPONSE_JSON;
}

/** Answers /graphql in the media type the client prefers, and refuses a POST without a content type (415). */
export function registerGraphQLMediaType(fastify: FastifyInstance, path = '/graphql'): void {
  const isGraphQL = (request: FastifyRequest) => request.url === path || request.url.startsWith(`${path}?`);
  fastify.addHook('preValidation', (request, _reply, done) => {
    try {
      refuseMalformed(request);
      done();
    } catch (err) {
      done(err as Error);
    }
  });
  const refuseMalformed = (request: FastifyRequest): void => {
    if (!isGraphQL(request) || request.method !== 'POST') return;
    if (!request.headers['content-type'])
      throw Object.assign(new Error('no content type'), { code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' });
    // Parameters of the wrong JSON type make the request malformed (400), before any coercion of them.
    const body = request.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return;
    const params = body as Record<string, unknown>;
    // A null parameter is one not sent (the specification's MUST); Mercurius's schema refuses a null extensions.
    if (params.extensions === null) delete params.extensions;
    const wrong = (name: string, ok: (v: unknown) => boolean) =>
      params[name] !== undefined && params[name] !== null && !ok(params[name]);
    const isObject = (v: unknown) => typeof v === 'object' && !Array.isArray(v);
    const problem = wrong('query', (v) => typeof v === 'string')
      ? 'query must be a string'
      : wrong('operationName', (v) => typeof v === 'string')
        ? 'operationName must be a string'
        : wrong('variables', isObject)
          ? 'variables must be an object'
          : wrong('extensions', isObject)
            ? 'extensions must be an object'
            : undefined;
    if (problem) throw new HttpAppError(400, 'BAD_REQUEST', `The request is malformed: ${problem}`);
  };
  fastify.addHook('onSend', (request, reply, payload, done) => {
    if (isGraphQL(request) && prefersGraphQLResponse(request.headers.accept)) {
      const type = reply.getHeader('content-type');
      if (typeof type === 'string' && type.startsWith('application/json'))
        reply.header('content-type', `${GRAPHQL_RESPONSE_JSON}; charset=utf-8`);
    }
    done(null, payload);
  });
}

/** Error messages may echo what the client sent (GraphQL quotes invalid values): never more than this. */
const MAX_MESSAGE = 1000;

interface RequestLike {
  id?: string;
  method?: string;
  headers?: Record<string, string | string[] | undefined>;
  body?: unknown;
  query?: unknown;
  log?: {
    error(obj: object, msg: string): void;
    warn(obj: object, msg: string): void;
    info(obj: object, msg: string): void;
  };
}

interface MercuriusContext {
  reply?: { request?: RequestLike };
  app?: { graphql?: { schema?: GraphQLSchema } };
  __currentQuery?: unknown;
}

interface Execution {
  data?: unknown;
  errors?: readonly unknown[];
}

/** The request's document and variables, to place request errors on their argument (best effort). */
function requestInput(context: MercuriusContext): {
  document?: DocumentNode;
  variables?: Record<string, unknown> | null;
} {
  const request = context.reply?.request;
  const params = (request?.method === 'GET' ? request?.query : request?.body) as
    { query?: unknown; variables?: unknown } | undefined;
  const source = typeof context.__currentQuery === 'string' ? context.__currentQuery : params?.query;
  let document: DocumentNode | undefined;
  try {
    if (typeof source === 'string') document = parsedDocument(source);
  } catch {
    document = undefined;
  }
  let variables = params?.variables;
  if (typeof variables === 'string') {
    try {
      variables = JSON.parse(variables);
    } catch {
      variables = undefined;
    }
  }
  return {
    document,
    variables: typeof variables === 'object' ? (variables as Record<string, unknown> | null) : undefined,
  };
}

const clip = (e: FormattedError): FormattedError =>
  e.message.length > MAX_MESSAGE ? { ...e, message: `${e.message.slice(0, MAX_MESSAGE)}…` } : e;

type Formatted = { statusCode: number; response: { data?: unknown; errors: FormattedError[] } };

/**
 * Request errors never reach a resolver (nor so the ErrorLoggingFilter): each is logged here on the request's
 * logger (with its correlation id), at `warn` for refused identities, rate limits and failures, else `info`.
 */
function logged(request: RequestLike | undefined, result: Formatted): Formatted {
  const log = request?.log;
  if (!log) return result;
  for (const e of result.response.errors) {
    const code = e.extensions.code;
    if (code === 'INTERNAL_SERVER_ERROR') continue; // logged with its stack where it was caught
    const level = refusalLevel(code);
    log[level](
      { code, statusCode: result.statusCode, ...(e.extensions.field ? { field: e.extensions.field } : {}) },
      `Refused: ${e.message.slice(0, 300)}`,
    );
  }
  return result;
}

/** Mercurius's errorFormatter: codes, fields, statuses and `data` as described above. */
export function graphqlErrorFormatter(options: {
  bodyLimitBytes: number;
  fallbackLog: (err: unknown) => void;
}): (
  execution: Execution,
  context: unknown,
) => { statusCode: number; response: { data?: unknown; errors: FormattedError[] } } {
  return (execution, rawContext) => {
    const request = ((rawContext ?? {}) as MercuriusContext).reply?.request;
    const result = format(execution, rawContext);
    return execution.data === undefined ? logged(request, result) : result;
  };

  function format(execution: Execution, rawContext: unknown): Formatted {
    const context = (rawContext ?? {}) as MercuriusContext;
    const request = context.reply?.request;
    const graphqlResponse = prefersGraphQLResponse(
      typeof request?.headers?.accept === 'string' ? request.headers.accept : undefined,
    );
    const log = (err: unknown) => {
      if (request?.log) request.log.error({ err }, 'GraphQL request failed');
      else options.fallbackLog(err);
    };
    const raw = (execution.errors ?? []) as GraphQLError[];
    const requestError = execution.data === undefined;
    if (raw.some((e) => isUnavailableError(e.originalError)))
      markDatabaseUnavailable(request as unknown as FastifyRequest);

    if (requestError && raw.length === 1) {
      const original = (raw[0] as GraphQLError).originalError ?? raw[0];
      // Errors of the HTTP layer: their own status and a clean message.
      if (original instanceof HttpAppError && original.code !== 'BAD_USER_INPUT') {
        return {
          statusCode: original.statusCode,
          response: {
            errors: [{ message: original.message, extensions: { code: original.code, ...original.details } }],
          },
        };
      }
      const client = httpClientError(original, options.bodyLimitBytes);
      if (client) {
        return {
          statusCode: client.statusCode,
          response: { errors: [{ message: client.message, extensions: { code: client.code } }] },
        };
      }
      const inner = (original as { errors?: unknown[] }).errors?.[0] as
        { validation?: unknown; validationContext?: string; message?: string } | undefined;
      if (inner?.validation) {
        // the request's parameters do not have their types (e.g. a query that is not a string)
        return {
          statusCode: 400,
          response: {
            errors: [
              {
                message:
                  `The request's parameters are malformed: ${inner.validationContext ?? 'body'} ${inner.message ?? ''}`.trim(),
                extensions: { code: 'BAD_REQUEST' },
              },
            ],
          },
        };
      }
      if ((original as { code?: unknown }).code === 'MER_ERR_METHOD_NOT_ALLOWED') {
        return {
          statusCode: 405,
          response: {
            errors: [
              { message: 'Mutations must be sent with POST', extensions: { code: 'METHOD_NOT_ALLOWED' } },
            ],
          },
        };
      }
    }

    let fieldOf: (error: GraphQLError) => string | undefined = () => undefined;
    if (requestError) {
      const input = requestInput(context);
      if (input.document) {
        const index = argumentIndex(input.document);
        const seen = new Map<string, number>();
        fieldOf = (error) =>
          fieldOfRequestError(error, index, {
            schema: context.app?.graphql?.schema,
            variables: input.variables,
            seen,
          });
      }
    }
    const errors = raw
      .flatMap((e) =>
        formatGraphQLError(e instanceof GraphQLError ? e : new GraphQLError(String(e)), log, fieldOf),
      )
      .map(clip);
    if (!requestError) {
      // The database away or too slow (or the read models catching up for an asOf): 503, to try again shortly.
      const unavailable = errors.some((e) => e.extensions.code === 'UNAVAILABLE');
      return { statusCode: unavailable ? 503 : 200, response: { data: execution.data, errors } };
    }
    const codes = new Set(errors.map((e) => e.extensions.code));
    // The database away is 503 with either media type: the request was fine, the service could not answer it.
    let statusCode = codes.has('UNAVAILABLE') ? 503 : 200;
    if (graphqlResponse)
      statusCode = codes.has('INTERNAL_SERVER_ERROR') ? 500 : codes.has('UNAVAILABLE') ? 503 : 400;
    return { statusCode, response: { errors } };
  }
}
