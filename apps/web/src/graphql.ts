import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type GraphQLError, Kind } from 'graphql';
import { type FormattedError, formatGraphQLError, parsedDocument } from '@iap/common/graphql';
import type { AuthActor } from '@iap/auth';
import type { GraphQLContext } from '../../../src/shared/graphql-context.js';

/** A refusal or failure of an operation, as the API would answer it (code, message, and `field` for input). */
export interface OperationError {
  readonly code: string;
  readonly message: string;
  /** The argument path of a BAD_USER_INPUT (e.g. `input.amountPence`). */
  readonly field?: string;
  readonly extensions: Readonly<Record<string, unknown>>;
}

export interface OperationResult<T> {
  readonly data?: T;
  readonly errors: readonly OperationError[];
  /** `extensions.readModels` of a mutation that answered from its events (see ReadYourWrites). */
  readonly readModelsBehind: readonly string[];
}

/** An operation the page could not complete and cannot explain to its user (not input they can fix). */
export class OperationFailed extends Error {
  constructor(readonly errors: readonly OperationError[]) {
    super(errors.map((e) => `${e.code}: ${e.message}`).join('; '));
  }
  /** The first error's code (the page shows the GOV.UK page for FORBIDDEN, NOT_FOUND, UNAUTHENTICATED). */
  get code(): string {
    return this.errors[0]?.code ?? 'INTERNAL_SERVER_ERROR';
  }
}

/**
 * The errors a page may explain to its user (a form's error summary): all of them, unless the database was away
 * or too slow, which no page can explain. Then OperationFailed is thrown, and every page, a form's too, answers
 * GOV.UK's "service unavailable" page (errorPage: 503).
 */
function explainable(errors: OperationError[]): OperationError[] {
  const away = errors.filter((e) => e.code === 'UNAVAILABLE');
  if (away.length > 0) throw new OperationFailed(away);
  return errors;
}

type Executor = (
  source: string,
  context: object,
  variables?: Record<string, unknown>,
) => Promise<{ data?: unknown; errors?: readonly GraphQLError[] }>;

/** A cache of read-only operations' results by person, document and variables (see operationCache). */
export interface PageOperationCache {
  get(request: object, key: string): Promise<{ value?: unknown; keep(value: unknown): void }>;
  /** The same for a whole page's HTML (see page.ts: pages drawn per person at a read-model version). */
  getText(request: object, key: string): Promise<{ value?: string; keep(value: string): void }>;
}

/**
 * The one gate between pages and the product: every page reads and writes by running a GraphQL operation on the
 * server's own schema, in process, as the signed-in person. Policies, validation, limits and audit fields then
 * apply to pages exactly as to the API, and page code holds no SQL and no rule of its own.
 */
export class PageGraphQL {
  constructor(
    private readonly server: FastifyInstance,
    readonly cache?: PageOperationCache,
  ) {}

  /**
   * Runs an operation; refusals come back as `errors` (with codes and fields), never thrown, except the database
   * away (OperationFailed with UNAVAILABLE is thrown: see explainable).
   */
  async run<T>(
    request: FastifyRequest,
    actor: AuthActor | undefined,
    source: string,
    variables: Record<string, unknown> = {},
    { validateOnly = false }: { readonly validateOnly?: boolean } = {},
  ): Promise<OperationResult<T>> {
    const context: GraphQLContext = {
      correlationId: String(request.id),
      actor,
      loaders: new Map(),
      readModelsBehind: new Set(),
      ...(validateOnly ? { validateOnly } : {}),
    };
    const execute = (this.server as unknown as { graphql: Executor }).graphql;
    // A query asked again by the same person at the same read-model version is answered from memory, as the
    // API's own response cache does (the day is in the key: a few answers depend on it).
    const cached =
      !validateOnly && this.isReadOnly(source)
        ? await this.cache?.get(
            request,
            JSON.stringify([actor ?? null, new Date().toISOString().slice(0, 10), source, variables]),
          )
        : undefined;
    if (cached?.value !== undefined) return { data: cached.value as T, errors: [], readModelsBehind: [] };
    let result: { data?: unknown; errors?: readonly GraphQLError[] };
    try {
      result = await execute.call(this.server, source, context, variables);
      if (cached && result.data && !result.errors?.length) cached.keep(result.data);
    } catch (err) {
      // Mercurius throws for a document that does not validate: a defect in the page, not the user's input.
      const errors = ((err as { errors?: GraphQLError[] }).errors ?? [err]) as GraphQLError[];
      return { errors: explainable(errors.flatMap((e) => this.format(request, e))), readModelsBehind: [] };
    }
    return {
      data: (result.data ?? undefined) as T | undefined,
      errors: explainable((result.errors ?? []).flatMap((e) => this.format(request, e))),
      readModelsBehind: [...(context.readModelsBehind ?? [])],
    };
  }

  /** Runs an operation whose refusal the page cannot explain: its data, or an OperationFailed thrown. */
  async query<T>(
    request: FastifyRequest,
    actor: AuthActor | undefined,
    source: string,
    variables: Record<string, unknown> = {},
  ): Promise<T> {
    const result = await this.run<T>(request, actor, source, variables);
    if (result.errors.length > 0 || result.data === undefined) throw new OperationFailed(result.errors);
    return result.data;
  }

  private isReadOnly(source: string): boolean {
    try {
      // parsed once per distinct text (shared with the API's metrics, response cache and error paths)
      return parsedDocument(source).definitions.every(
        (d) => d.kind !== Kind.OPERATION_DEFINITION || d.operation === 'query',
      );
    } catch {
      return false; // the operation itself reports the syntax error
    }
  }

  private format(request: FastifyRequest, error: GraphQLError): OperationError[] {
    const log = (err: unknown) => request.log.error({ err }, 'Page operation failed');
    // Mercurius's in-process graphql() has already run the server's errorFormatter: an error that is not an Error
    // is formatted (its code, field and problems in extensions), and formatting it again would lose them.
    const formatted =
      error instanceof Error ? formatGraphQLError(error, log) : [error as unknown as FormattedError];
    return formatted.map((e: FormattedError) => {
      const { code, field, ...rest } = e.extensions;
      return {
        code,
        message: e.message,
        ...(typeof field === 'string' ? { field } : {}),
        extensions: rest,
      };
    });
  }
}
