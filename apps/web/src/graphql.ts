import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { GraphQLError } from 'graphql';
import { type FormattedError, formatGraphQLError } from '@iap/common';
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

type Executor = (
  source: string,
  context: object,
  variables?: Record<string, unknown>,
) => Promise<{ data?: unknown; errors?: readonly GraphQLError[] }>;

/**
 * The one gate between pages and the product: every page reads and writes by running a GraphQL operation on the
 * server's own schema, in process, as the signed-in person. Policies, validation, limits and audit fields then
 * apply to pages exactly as to the API, and page code holds no SQL and no rule of its own.
 */
export class PageGraphQL {
  constructor(private readonly server: FastifyInstance) {}

  /** Runs an operation; refusals come back as `errors` (with codes and fields), never thrown. */
  async run<T>(
    request: FastifyRequest,
    actor: AuthActor | undefined,
    source: string,
    variables: Record<string, unknown> = {},
  ): Promise<OperationResult<T>> {
    const context: GraphQLContext = {
      correlationId: String(request.id),
      actor,
      loaders: new Map(),
      readModelsBehind: new Set(),
    };
    const execute = (this.server as unknown as { graphql: Executor }).graphql;
    let result: { data?: unknown; errors?: readonly GraphQLError[] };
    try {
      result = await execute.call(this.server, source, context, variables);
    } catch (err) {
      // Mercurius throws for a document that does not validate: a defect in the page, not the user's input.
      const errors = ((err as { errors?: GraphQLError[] }).errors ?? [err]) as GraphQLError[];
      return { errors: errors.flatMap((e) => this.format(request, e)), readModelsBehind: [] };
    }
    return {
      data: (result.data ?? undefined) as T | undefined,
      errors: (result.errors ?? []).flatMap((e) => this.format(request, e)),
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
