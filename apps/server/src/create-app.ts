import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { LogController } from 'fastify';
import type { DestinationStream } from 'pino';
import { inputValidationPipe } from '@iap/common/graphql';
import {
  type AuthActor,
  PinoNestLogger,
  TokenVerifier,
  authenticateRequests,
  createLogger,
  registerHttpSecurity,
  rejectNulCharacters,
} from '@iap/auth';
import { AppModule, type AppOptions } from './app.module.js';
import {
  type SecurityOptions,
  databasePools,
  databaseTimeouts,
  loadConfig,
  securityOptions,
  webSettings,
} from './config.js';
import { type WebSettings, registerWeb, webNotFound } from '../../web/src/web.js';
import { migrate } from './migrations.js';
import { registerGraphQLMediaType } from './graphql-http.js';
import { endReadScope, enterReadScope } from '../../../src/shared/read-db.js';
import { ReadSource } from '../../../src/shared/read-source.js';
import { cacheGraphQLResponses, operationCache } from './response-cache.js';
import { ProjectionRunner, ReadModelCache } from '@iap/projections';
import { EventStore, PG_POOL } from '@iap/event-store';
import { DataSource } from 'typeorm';
import { serveGraphiql } from './graphiql.js';
import { DatabaseCircuit, markDatabaseUnavailable, registerAvailability } from './availability.js';
import {
  type MetricsSettings,
  metricsSettings,
  registerMetrics,
  setMetricsAuthorizationAside,
} from './metrics.js';
import { type ReadinessSettings, readinessSettings, registerHealthRoutes, serverProbe } from './health.js';
import { enterTracedRequest, flushTraces, tracingStarted, tracingWanted } from '@iap/tracing';

type ScopeHolder = Parameters<typeof endReadScope>[0];

const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,100}$/;

export interface CreateAppOptions extends Omit<AppOptions, 'security' | 'verifier' | 'unauthenticatedActor'> {
  /** Security settings; unset: from the environment (see config.ts). */
  readonly security?: SecurityOptions;
  /** false: no log output at all (tests), unless `logDestination` is given. */
  readonly logger?: false;
  /** Where the JSON log lines go (default stdout). */
  readonly logDestination?: DestinationStream;
  /**
   * TEST HARNESS ONLY, never from configuration: what a request without a token acts as (the existing end-to-end
   * tests predate authentication and act as the central team). Refused when NODE_ENV=production.
   */
  readonly unauthenticatedActor?: AuthActor;
  /** When /health/ready answers 200; unset: from the environment (READY_MAX_LAG_EVENTS, READY_MAX_LAG_SECONDS). */
  readonly readiness?: ReadinessSettings;
  /** Who may read /metrics; unset: from the environment (METRICS_TOKEN). */
  readonly metrics?: MetricsSettings;
  /** The web pages' settings; unset: from the environment (see config.ts). */
  readonly web?: WebSettings;
}

/** Nest's adapter, but an unknown address asked for by a browser gets the service's GOV.UK 404 page. */
class AppFastifyAdapter extends FastifyAdapter {
  override setNotFoundHandler(handler: Parameters<FastifyAdapter['setNotFoundHandler']>[0]) {
    return super.setNotFoundHandler(
      ((request: never, reply: never) =>
        webNotFound(request, reply) ??
        (handler as (q: never, r: never) => unknown)(request, reply)) as typeof handler,
    );
  }
}

/** Migrates the database, then builds the server (not yet listening). Used by main.ts and the e2e tests. */
export async function createApp(options: CreateAppOptions): Promise<NestFastifyApplication> {
  if (options.unauthenticatedActor && process.env.NODE_ENV === 'production')
    throw new Error('unauthenticatedActor is for the test harness only');
  const security = options.security ?? securityOptions(loadConfig());
  const readiness = options.readiness ?? readinessSettings();
  const verifier = new TokenVerifier(security.tokens);
  const quiet = options.logger === false && !options.logDestination;
  const logger = createLogger({
    level: quiet ? 'silent' : security.logLevel,
    destination: options.logDestination,
    pretty: security.logFormat === 'pretty',
  });

  if (tracingWanted(process.env) && !tracingStarted())
    logger.warn(
      'OTEL_EXPORTER_OTLP_ENDPOINT is set, but tracing did not start: start the server with ' +
        '`node --import ./dist/apps/server/src/tracing.js dist/apps/server/src/main.js`, as `npm start` does',
    );

  await migrate(options.databaseUrl);
  const adapter = new AppFastifyAdapter({
    bodyLimit: security.bodyLimitBytes,
    trustProxy: security.trustProxy ?? false,
    loggerInstance: logger,
    // The correlation id of a request: the caller's x-correlation-id when well-formed, else a new UUID. It is the
    // request id of every log line of the request and is written into the metadata of the events it causes.
    genReqId: (req: IncomingMessage) => {
      const given = req.headers['x-correlation-id'];
      return typeof given === 'string' && CORRELATION_ID.test(given) ? given : randomUUID();
    },
    logController: new LogController({ requestIdLogLabel: 'correlationId' }),
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot({
      ...options,
      databaseTimeouts: options.databaseTimeouts ?? databaseTimeouts(),
      databasePools: options.databasePools ?? databasePools(),
      security,
      verifier,
      unauthenticatedActor: options.unauthenticatedActor,
    }),
    adapter,
    quiet ? { logger: false, abortOnError: false } : { bufferLogs: true, abortOnError: false },
  );
  if (!quiet) app.useLogger(new PinoNestLogger(logger));
  app.useGlobalPipes(inputValidationPipe());

  const fastify = app.getHttpAdapter().getInstance();
  // The hooks every request passes through take `done` rather than being async where their work is synchronous:
  // an async hook costs each request a promise and a turn of the microtask queue.
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header('x-correlation-id', request.id);
    done();
  });
  if (tracingStarted()) {
    // With tracing on (see tracing.ts), the rest of the request runs in a context carrying its correlation id,
    // which every span of the request then carries (`iap.correlation_id`). Off, no hook at all.
    fastify.addHook('onRequest', (request, _reply, done) =>
      enterTracedRequest(
        { correlationId: String(request.id), method: request.method, route: request.routeOptions.url },
        done,
      ),
    );
    fastify.addHook('onClose', async () => flushTraces());
  }
  setMetricsAuthorizationAside(fastify);
  // Who is asking: verified once per request, before the rate limiter counts it.
  authenticateRequests(fastify, { verifier, unauthenticatedActor: options.unauthenticatedActor });
  // Helmet, CORS and rate limits: registered before Nest initialises, so they cover every route.
  await registerHttpSecurity(fastify, {
    corsOrigins: security.corsOrigins,
    rateLimit: security.rateLimit,
  });
  rejectNulCharacters(fastify);
  // Each request reads through its own scope (live tables, or an asOf snapshot released when it ends): before
  // the web service registers, so that its pages (which run GraphQL in process) read through one too.
  fastify.addHook('onRequest', (request, _reply, done) => enterReadScope(request as ScopeHolder, done));
  fastify.addHook('onResponse', (request, _reply, done) => endReadScope(request as ScopeHolder, done));
  fastify.addHook('onRequestAbort', (request, done) => endReadScope(request as ScopeHolder, done));
  // The circuit on the database (see availability.ts), which the pages use too.
  const circuit = new DatabaseCircuit({
    probe: async () => void (await app.get(DataSource).query('SELECT 1')),
    log: (message) => logger.warn(message),
  });
  // The web service: GOV.UK pages for people, on the same server (see apps/web).
  const config = options.web ? undefined : loadConfig();
  await registerWeb(
    fastify,
    options.web ?? webSettings(config!, security),
    operationCache(app.get(ReadModelCache), app.get(ReadSource)),
    { databaseAway: () => circuit.isOpen, foundDatabaseAway: markDatabaseUnavailable },
  );
  // GraphiQL's page, its scripts and styles from the installed packages (Mercurius's own page uses a CDN).
  if (options.graphiql) serveGraphiql(fastify);
  // /health/live and /health/ready: after the rate limiter, which leaves them out.
  registerHealthRoutes(
    fastify,
    () =>
      serverProbe(
        app.get(DataSource),
        app.get(EventStore),
        app.get(ProjectionRunner).projections.map((p) => p.name),
      ),
    readiness,
  );
  // A database away or too slow: 503 UNAVAILABLE with Retry-After, at once while the circuit is open (pages too).
  registerAvailability(fastify, circuit);
  // Prometheus metrics at /metrics (METRICS_TOKEN, else this machine only).
  registerMetrics(
    fastify,
    {
      dataSource: app.get(DataSource),
      store: app.get(EventStore),
      eventStorePool: app.get(PG_POOL),
      runner: app.get(ProjectionRunner),
      circuit,
    },
    options.metrics ?? metricsSettings(),
  );
  // GraphQL over HTTP: the media type the client prefers; a POST without a content type is refused.
  registerGraphQLMediaType(fastify);
  // A query asked again at the same read-model version is answered from memory (when the cache is on).
  cacheGraphQLResponses(fastify, app.get(ReadModelCache), app.get(ReadSource));
  return app;
}
