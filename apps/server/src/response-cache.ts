import { authErrorOfRequest, actorOfRequest } from '@iap/auth';
import type { ReadModelCache } from '@iap/projections';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type DocumentNode, Kind } from 'graphql';
import { parsedDocument } from '@iap/common/graphql';
import { readTheLog, versionOfRequest } from '../../../src/shared/read-db.js';
import type { ReadSource } from '../../../src/shared/read-source.js';

/** Responses larger than this are not kept. */
const MAX_RESPONSE_CHARS = 256 * 1024;
/** Query documents longer than this are not considered. */
const MAX_QUERY_CHARS = 20_000;

const PENDING = Symbol('responseCacheKey');
type Pending = { [PENDING]?: { version: Awaited<ReturnType<typeof versionOfRequest>>; key: string } };

/** Whether every operation of a document is a query (a document that also holds a mutation is not). */
export function holdsOnlyQueries(document: DocumentNode): boolean {
  return document.definitions.every((d) => d.kind !== Kind.OPERATION_DEFINITION || d.operation === 'query');
}

interface GraphQLBody {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

/**
 * Whole GraphQL responses to queries, kept in the read-model cache beside the query results: a request that
 * asks exactly what an earlier one asked (same document, variables and operation), as the same person, on the
 * same day, at the same read-model version, gets the earlier answer without running a resolver. The version is
 * read once per request, so the answer is never staler than the read models themselves. Only successful
 * answers to documents holding nothing but queries are kept; a request whose token was refused never is.
 */
export function cacheGraphQLResponses(
  fastify: FastifyInstance,
  cache: ReadModelCache,
  source: ReadSource,
): void {
  // The document parsed once per distinct text, shared with the metrics and the error paths.
  const isReadOnly = (query: string): boolean => {
    try {
      return holdsOnlyQueries(parsedDocument(query));
    } catch {
      return false; // the GraphQL layer reports the syntax error
    }
  };

  fastify.addHook('preHandler', (request, reply, done) => {
    const body = cacheableBody(request);
    if (!body) return done();
    // Answered from the cache: `done` is not called, so the request goes no further.
    answerFromCache(request, reply, body).then((answered) => answered || done(), done);
  });
  /** The body of a request the cache may answer (a read-only GraphQL POST, when the cache is on). */
  const cacheableBody = (request: FastifyRequest): (GraphQLBody & { query: string }) | undefined => {
    if (!cache.enabled || request.method !== 'POST' || request.routeOptions.url !== '/graphql') return;
    if (authErrorOfRequest(request)) return;
    const body = request.body as GraphQLBody | undefined;
    if (!body || typeof body.query !== 'string' || body.query.length > MAX_QUERY_CHARS) return;
    return isReadOnly(body.query) ? (body as GraphQLBody & { query: string }) : undefined;
  };
  /** Sends the kept answer and says so, or marks the request for its answer to be kept. */
  const answerFromCache = async (
    request: FastifyRequest,
    reply: FastifyReply,
    body: GraphQLBody & { query: string },
  ): Promise<boolean> => {
    const actor = actorOfRequest(request) ?? null;
    const version = await versionOfRequest(source);
    const key = `response\u0000${JSON.stringify([
      actor,
      // A few answers depend on the date (the next target when nothing is measured yet).
      new Date().toISOString().slice(0, 10),
      body.operationName ?? null,
      body.query,
      body.variables ?? null,
    ])}`;
    const found = cache.lookup(version, key);
    if (found) {
      reply.header('content-type', 'application/json; charset=utf-8').send(found.value as string);
      return true;
    }
    (request as Pending)[PENDING] = { version, key };
    return false;
  };

  fastify.addHook('onSend', (request, reply, payload, done) => {
    keep(request, reply, payload);
    done(null, payload);
  });
  const keep = (request: FastifyRequest, reply: FastifyReply, payload: unknown): void => {
    const pending = (request as Pending)[PENDING];
    if (!pending || reply.statusCode !== 200 || typeof payload !== 'string') return;
    // An answer read from the event log itself (history, asOf) may change before the version does.
    if (readTheLog(request as Parameters<typeof readTheLog>[0])) return;
    if (payload.length > MAX_RESPONSE_CHARS) return;
    try {
      if ((JSON.parse(payload) as { errors?: unknown }).errors !== undefined) return;
    } catch {
      return;
    }
    cache.keep(pending.version, pending.key, payload);
  };
}

/** What the web pages' in-process operations are cached with (see apps/web's PageGraphQL). */
export interface OperationCache {
  /** The kept result of `key` at this request's read-model version, and how to keep one when there is none. */
  get(request: object, key: string): Promise<{ value?: unknown; keep(value: unknown): void }>;
  /** The same for text kept as it is (a whole page's HTML), under keys of their own. */
  getText(request: object, key: string): Promise<{ value?: string; keep(value: string): void }>;
}

/**
 * The same cache for the web pages' operations (run in process, so the hooks above never see them): a page's
 * query asked again by the same person at the same read-model version is answered from memory, under the same
 * rules (never an answer read from the event log itself, never one too large). Whole pages drawn from those
 * answers are kept as text under keys of their own (apps/web's page.ts says what a page's key holds).
 */
export function operationCache(cache: ReadModelCache, source: ReadSource): OperationCache {
  const none = { keep: () => undefined };
  const kept = async (request: object, key: string) => {
    if (!cache.enabled) return undefined;
    const version = await versionOfRequest(source);
    const found = cache.lookup(version, key);
    return {
      found: found?.value as string | undefined,
      keep: (text: string) => {
        if (readTheLog(request as Parameters<typeof readTheLog>[0])) return;
        if (text.length <= MAX_RESPONSE_CHARS) cache.keep(version, key, text);
      },
    };
  };
  return {
    async get(request, key) {
      const entry = await kept(request, `page\u0000${key}`);
      if (!entry) return none;
      if (entry.found !== undefined)
        return { value: JSON.parse(entry.found) as unknown, keep: () => undefined };
      return { keep: (value: unknown) => entry.keep(JSON.stringify(value)) };
    },
    async getText(request, key) {
      const entry = await kept(request, `html\u0000${key}`);
      if (!entry) return none;
      if (entry.found !== undefined) return { value: entry.found, keep: () => undefined };
      return { keep: entry.keep };
    },
  };
}
