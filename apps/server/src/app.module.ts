import { type DynamicModule, Logger, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { markCacheable } from '../../../src/shared/read-db.js';
import { holdsOnlyQueries } from './response-cache.js';
import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type DocumentNode, type GraphQLSchema, Kind, validate } from 'graphql';
import { DateTimeScalar, JsonScalar, PenceScalar, withPlainFieldReads } from '@iap/common/graphql';
import {
  type AuthActor,
  ErrorLoggingFilter,
  PolicyAudit,
  PolicyGuard,
  type TokenVerifier,
  actorOfRequest,
  authErrorOfRequest,
  queryLimitRules,
  ViewerResolver,
} from '@iap/auth';
import type { GraphQLContext } from '../../../src/shared/graphql-context.js';
import { readModelsExtension } from '../../../src/shared/read-your-writes.js';
import type { SecurityOptions } from './config.js';
import { CoreModule, type CoreOptions } from './core.module.js';
import { graphqlErrorFormatter } from './graphql-http.js';

export interface AppOptions extends Omit<CoreOptions, 'runProjections'> {
  readonly graphiql: boolean;
  readonly security: SecurityOptions;
  /** Checks bearer tokens (shared with the HTTP hooks that authenticate each request). */
  readonly verifier: TokenVerifier;
  /** Test harness only: what a request or subscription without a token acts as (see createApp). */
  readonly unauthenticatedActor?: AuthActor;
}

/**
 * Whether Mercurius may run a document compiled by graphql-jit: queries only (see the preExecution hook) that
 * declare no variables. graphql-jit coerces variables by rules of its own (an input field's default value,
 * the messages and paths of refused values), where graphql-js's are the API's; literal arguments are checked by
 * the validation both share.
 */
function jitCompatible(document: DocumentNode): boolean {
  return document.definitions.every(
    (d) => d.kind !== Kind.OPERATION_DEFINITION || (d.variableDefinitions?.length ?? 0) === 0,
  );
}

/** The token in a graphql-ws connection_init payload: `{ authorization: 'Bearer …' }` (or under `headers`). */
function connectionToken(payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const p = payload as Record<string, unknown>;
  const headers = (typeof p.headers === 'object' && p.headers !== null ? p.headers : p) as Record<
    string,
    unknown
  >;
  const value = headers.authorization ?? headers.Authorization;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

@Module({})
export class AppModule {
  static forRoot(options: AppOptions): DynamicModule {
    const fallbackLogger = new Logger('GraphQL');
    const rules = queryLimitRules(options.security.queryLimits);
    const contextOf = (request: FastifyRequest): GraphQLContext => ({
      correlationId: String(request.id),
      actor: actorOfRequest(request) ?? options.unauthenticatedActor,
      loaders: new Map(),
      readModelsBehind: new Set(),
    });
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot({ ...options, runProjections: true }),
        DiscoveryModule,
        GraphQLModule.forRoot<MercuriusDriverConfig>({
          driver: MercuriusDriver,
          autoSchemaFile: true,
          sortSchema: true,
          // A field or argument typed Date (without an explicit type) is our strict DateTime too.
          buildSchemaOptions: { scalarsMap: [{ type: Date, scalar: DateTimeScalar }] },
          // Fields that only read a property are read by GraphQL itself, not through a resolver each.
          transformSchema: withPlainFieldReads,
          path: '/graphql',
          // Mercurius's GraphiQL loads its scripts from a CDN: ours is served from the installed packages
          // (see graphiql.ts, registered in createApp).
          graphiql: false,
          // A query document asked for a second time runs compiled (graphql-jit, on Mercurius's cache of parsed
          // and validated documents): the same resolvers, without graphql-js interpreting the document each time.
          // Only queries without variables (see jitCompatible): graphql-jit coerces variables its own way.
          jit: 1,
          // Depth, complexity and (when off) introspection are refused before anything runs.
          validationRules: rules,
          // graphql-ws (the graphql-transport-ws protocol) over WebSocket at the same /graphql path. The token
          // comes in the upgrade request's Authorization header or in connection_init's payload.
          subscription: {
            context: (_socket: unknown, request: FastifyRequest) => {
              const refused = authErrorOfRequest(request);
              if (refused) throw refused;
              return contextOf(request);
            },
            onConnect: async ({ payload }: { payload?: unknown }) => {
              const header = connectionToken(payload);
              if (!header) return true;
              try {
                return { actor: await options.verifier.verifyHeader(header) };
              } catch {
                return false; // graphql-ws: connection refused ("Forbidden")
              }
            },
          },
          hooks: {
            // Subscriptions skip mercurius's validation rules: apply the same limits to them.
            // A query's live reads may come from the read-model cache; a mutation's never do.
            preExecution: [
              async (_schema: GraphQLSchema, document: DocumentNode) => {
                const onlyQueries = holdsOnlyQueries(document);
                if (onlyQueries) markCacheable();
                // The document given back "as modified" keeps Mercurius from compiling it: graphql-js runs it.
                if (!onlyQueries || !jitCompatible(document)) return { document };
                return undefined;
              },
            ],
            // A mutation that answered from its events says so (see ReadYourWrites).
            onResolution: [
              async (execution: { extensions?: Record<string, unknown> }, context: object) => {
                const readModels = readModelsExtension(context as GraphQLContext);
                if (readModels) execution.extensions = { ...execution.extensions, readModels };
              },
            ],
            preSubscriptionExecution: [
              async (schema: GraphQLSchema, document: DocumentNode) => {
                const errors = validate(schema, document, rules);
                if (errors.length > 0) throw errors[0];
              },
            ],
          },
          context: (request: FastifyRequest, _reply: FastifyReply): GraphQLContext => contextOf(request),
          errorFormatter: graphqlErrorFormatter({
            bodyLimitBytes: options.security.bodyLimitBytes,
            fallbackLog: (err) =>
              fallbackLogger.error(err instanceof Error ? (err.stack ?? err.message) : String(err)),
          }) as MercuriusDriverConfig['errorFormatter'],
        }),
      ],
      providers: [
        PenceScalar,
        JsonScalar,
        // Authorisation: one guard for every root operation and route, reading the @Policy beside it.
        { provide: APP_GUARD, useClass: PolicyGuard },
        // No global interceptor: each would cost every root field an rxjs pipeline. A policy's `visible` filter
        // is put on its own operations by @Policy; the errors' argument paths are named by the filter below.
        // extensions.field as a path from the field's arguments (`input.amountPence`), whoever raised it; refusals
        // logged at info/warn with the correlation id; unexpected errors at error (by the formatter).
        { provide: APP_FILTER, useClass: ErrorLoggingFilter },
        PolicyAudit,
        // `viewer`: who is asking and what the policies let them do (the web pages ask it).
        ViewerResolver,
      ],
    };
  }
}
