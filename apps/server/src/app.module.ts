import { type DynamicModule, Logger, Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR, DiscoveryModule } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { markCacheable } from '../../../src/shared/read-db.js';
import { holdsOnlyQueries } from './response-cache.js';
import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type DocumentNode, GraphQLError, type GraphQLSchema, validate } from 'graphql';
import { JsonScalar, PenceScalar, formatGraphQLError } from '@iap/common';
import {
  type AuthActor,
  HttpAppError,
  PolicyAudit,
  PolicyGuard,
  PolicyResultInterceptor,
  type TokenVerifier,
  actorOfRequest,
  authErrorOfRequest,
  httpClientError,
  queryLimitRules,
} from '@iap/auth';
import type { GraphQLContext } from '../../../src/shared/graphql-context.js';
import { readModelsExtension } from '../../../src/shared/read-your-writes.js';
import type { SecurityOptions } from './config.js';
import { CoreModule, type CoreOptions } from './core.module.js';

export interface AppOptions extends Omit<CoreOptions, 'runProjections'> {
  readonly graphiql: boolean;
  readonly security: SecurityOptions;
  /** Checks bearer tokens (shared with the HTTP hooks that authenticate each request). */
  readonly verifier: TokenVerifier;
  /** Test harness only: what a request or subscription without a token acts as (see createApp). */
  readonly unauthenticatedActor?: AuthActor;
}

/** Error messages may echo what the client sent (GraphQL quotes invalid values): never more than this. */
const MAX_MESSAGE = 1000;

interface RequestLike {
  id?: string;
  log?: { error(obj: object, msg: string): void };
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
          path: '/graphql',
          // Mercurius's GraphiQL loads its scripts from a CDN: ours is served from the installed packages
          // (see graphiql.ts, registered in createApp).
          graphiql: false,
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
                if (holdsOnlyQueries(document)) markCacheable();
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
          errorFormatter: (execution, context) => {
            const request = (context as { reply?: { request?: RequestLike } } | undefined)?.reply?.request;
            const log = (err: unknown) => {
              if (request?.log) request.log.error({ err }, 'GraphQL request failed');
              else fallbackLogger.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
            };
            const raw = execution.errors ?? [];
            // Errors of the HTTP layer (token, rate limit, body): their own status and a clean message.
            if (!execution.data && raw.length === 1) {
              const original = (raw[0] as GraphQLError).originalError ?? raw[0];
              if (original instanceof HttpAppError) {
                return {
                  statusCode: original.statusCode,
                  response: {
                    data: null,
                    errors: [
                      { message: original.message, extensions: { code: original.code, ...original.details } },
                    ],
                  },
                };
              }
              const client = httpClientError(original, options.security.bodyLimitBytes);
              if (client) {
                return {
                  statusCode: client.statusCode,
                  response: {
                    data: null,
                    errors: [{ message: client.message, extensions: { code: client.code } }],
                  },
                };
              }
            }
            const errors = raw
              .flatMap((e) =>
                formatGraphQLError(e instanceof GraphQLError ? e : new GraphQLError(String(e)), log),
              )
              .map((e) =>
                e.message.length > MAX_MESSAGE ? { ...e, message: `${e.message.slice(0, MAX_MESSAGE)}…` } : e,
              );
            const statusCode = execution.data
              ? 200
              : ((execution as { statusCode?: number }).statusCode ?? 200);
            return { statusCode, response: { data: execution.data ?? null, errors } };
          },
        }),
      ],
      providers: [
        PenceScalar,
        JsonScalar,
        // Authorisation: one guard for every root operation and route, reading the @Policy beside it.
        { provide: APP_GUARD, useClass: PolicyGuard },
        { provide: APP_INTERCEPTOR, useClass: PolicyResultInterceptor },
        PolicyAudit,
      ],
    };
  }
}
