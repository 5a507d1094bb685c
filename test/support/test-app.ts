import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ProjectionRunner } from '@iap/projections';
import { sqlRows } from './sql.js';
import type { DestinationStream } from 'pino';
import { createTestDatabase, type TestDatabase } from '@iap/database';
import { type AuthActor, type Role, issueToken } from '@iap/auth';
import { createApp } from '../../apps/server/src/create-app.js';
import type { SecurityOptions } from '../../apps/server/src/config.js';
import type { ReadinessSettings } from '../../apps/server/src/health.js';
import type { WebSettings } from '../../apps/web/src/web.js';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data: T | null;
  extensions?: Record<string, unknown>;
  errors?: {
    message: string;
    path?: string[];
    extensions: { code: string; field?: string; [k: string]: unknown };
  }[];
}

/** The HS256 secret the test server accepts (test apps only). */
export const TEST_JWT_SECRET = 'test-secret-for-end-to-end-tests-only-0123456789';

export interface TokenRequest {
  role: Role;
  /** ONS code of the actor's council (required for PILOT and COUNCIL). */
  area?: string;
  /** Default: `<role>-<area>` in lower case. */
  subject?: string;
  name?: string;
  /** Seconds; default one hour. */
  expiresIn?: number;
}

export interface TestAppOptions {
  /**
   * What a request WITHOUT a token is. 'central' (the default): the central team acting as subject "anonymous",
   * for the tests written before authentication (their requests and subscriptions send no token). 'anonymous':
   * an anonymous visitor, as on the real server: security tests use this and send tokens from `t.token()`.
   */
  tokenless?: 'central' | 'anonymous';
  /** Overrides of the test server's security settings (rate limits are high unless a test lowers them). */
  security?: Partial<SecurityOptions>;
  /** Receives the server's JSON log lines (otherwise there are none). */
  logDestination?: DestinationStream;
  graphiql?: boolean;
  /** When /health/ready answers 200 (default: the server's defaults). */
  readiness?: ReadinessSettings;
  /** Read-model cache size (default 1000, the server's default); 0 turns it off. */
  readCacheEntries?: number;
  /** How long mutations wait for their read models before answering from their events (default 5000). */
  readYourWritesWaitMs?: number;
  /** The web pages' settings (sessions, sign-in); default: from the environment, as the server reads them. */
  web?: WebSettings;
  /** Serve this database (dropped on close) instead of a fresh one. */
  database?: TestDatabase;
  /** A streaming replica of that database for query operations (DATABASE_READ_URL). */
  databaseReadUrl?: string;
}

export interface TestApp {
  readonly app: NestFastifyApplication;
  readonly db: TestDatabase;
  readonly url: string;
  /**
   * Waits (up to 10 s) until every projection has applied the whole log: for reading a read model that the last
   * mutation did not wait for (a mutation waits only for the projections it answers from, e.g. not the activity
   * feed). True once caught up, with every stored checkpoint saved (so the read-model version stands still).
   */
  settle(): Promise<boolean>;
  /** A bearer token the test server accepts, for `Authorization: Bearer …`. */
  token(request: TokenRequest): string;
  /** `{ authorization: 'Bearer …' }` for `gql`'s headers. */
  as(request: TokenRequest): Record<string, string>;
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T>>;
  /** How many events the store holds (in one stream, when given): to check that a refused command wrote nothing. */
  eventCount(stream?: string): Promise<number>;
  close(): Promise<void>;
}

/** The test server's security settings: a known secret, limits far above what any test sends. */
export function testSecurity(overrides: Partial<SecurityOptions> = {}): SecurityOptions {
  return {
    tokens: { secret: TEST_JWT_SECRET },
    corsOrigins: ['https://allowed.example'],
    rateLimit: { max: 1_000_000, windowMs: 60_000 },
    bodyLimitBytes: 1024 * 1024,
    queryLimits: { maxDepth: 15, maxComplexity: 20_000, introspection: true },
    logLevel: 'info',
    ...overrides,
  };
}

export function testToken(request: TokenRequest): string {
  return issueToken(
    TEST_JWT_SECRET,
    {
      sub: request.subject ?? `${request.role}-${request.area ?? 'programme'}`.toLowerCase(),
      role: request.role,
      area: request.area,
      name: request.name,
    },
    { expiresInSeconds: request.expiresIn ?? 3600 },
  );
}

/** The central team, as requests without a token act in the tests written before authentication. */
const LEGACY_TOKENLESS_ACTOR: AuthActor = { subject: 'anonymous', role: 'CENTRAL' };

/** Boots the real server on a fresh database and drives it over HTTP. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const db = options.database ?? (await createTestDatabase('iap_e2e'));
  const app = await createApp({
    databaseUrl: db.url,
    databaseReadUrl: options.databaseReadUrl,
    graphiql: options.graphiql ?? false,
    // As the server runs by default (READ_CACHE_ENTRIES=1000): every query test also checks the cache.
    readCacheEntries: options.readCacheEntries ?? 1000,
    readYourWritesWaitMs: options.readYourWritesWaitMs,
    logger: false,
    logDestination: options.logDestination,
    security: testSecurity(options.security),
    readiness: options.readiness ?? { maxLagEvents: 1000, maxLagSeconds: 60 },
    web: options.web,
    unauthenticatedActor: (options.tokenless ?? 'central') === 'central' ? LEGACY_TOKENLESS_ACTOR : undefined,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    app,
    db,
    url,
    token: testToken,
    as: (request) => ({ authorization: `Bearer ${testToken(request)}` }),
    async gql(query, variables, headers = {}) {
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as {
        data?: unknown;
        errors?: GraphQLResponse['errors'];
        extensions?: Record<string, unknown>;
      };
      return {
        status: res.status,
        data: (body.data ?? null) as never,
        errors: body.errors,
        ...(body.extensions ? { extensions: body.extensions } : {}),
      };
    },
    async settle() {
      const [head] = await sqlRows<{ c: string; p: string }>(
        db.url,
        `SELECT transaction_id::text AS c, global_position::text AS p FROM es_events
          ORDER BY transaction_id DESC, global_position DESC LIMIT 1`,
      );
      if (!head) return true;
      const at = { commit: BigInt(head.c), prepare: BigInt(head.p) };
      const runner = app.get(ProjectionRunner);
      if (!(await runner.waitFor(at, undefined, 10_000))) return false;
      // The checkpoints moved past events a projection does not project are saved a little later: saved now,
      // the read-model version (the stored checkpoints) stands still from here.
      await runner.saveSkipsNow();
      return true;
    },
    async eventCount(stream) {
      const [{ n }] = stream
        ? await sqlRows<{ n: number }>(
            db.url,
            'SELECT count(*)::int AS n FROM es_events WHERE stream_id = $1',
            [stream],
          )
        : await sqlRows<{ n: number }>(db.url, 'SELECT count(*)::int AS n FROM es_events');
      return n;
    },
    async close() {
      await app.close();
      await db.drop();
    },
  };
}
