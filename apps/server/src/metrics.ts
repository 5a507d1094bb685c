import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type GraphQLSchema, Kind, type OperationDefinitionNode } from 'graphql';
import { parsedDocument } from '@iap/common/graphql';
import client from 'prom-client';
import type pg from 'pg';
import type { EventStore } from '@iap/event-store';
import type { ProjectionRunner } from '@iap/projections';
import type { DataSource } from 'typeorm';
import { asOfSnapshotsOpen } from '../../../src/shared/read-db.js';
import type { DatabaseCircuit } from './availability.js';
import { checkReadiness, serverProbe } from './health.js';

/** Who may read /metrics: with a token, a request bearing it; without one, only a request from this machine. */
export interface MetricsSettings {
  /** METRICS_TOKEN: `Authorization: Bearer <token>` required. Unset: loopback callers only. */
  readonly token?: string;
}

export function metricsSettings(env: NodeJS.ProcessEnv = process.env): MetricsSettings {
  const token = env.METRICS_TOKEN || undefined;
  if (token && token.length < 16) throw new Error('METRICS_TOKEN must be at least 16 characters');
  return { token };
}

export interface MetricsSources {
  readonly dataSource: DataSource;
  readonly store: EventStore;
  readonly eventStorePool: pg.Pool;
  readonly runner: ProjectionRunner;
  readonly circuit: DatabaseCircuit;
}

/** Lag beyond this many events is reported as this many (counting further costs a longer read of the log). */
const LAG_COUNT_CAP = 10_000;
const LABELS_KEPT = 2000;

/** The operation label of a GraphQL document: its kind and root fields (`query comparePilots`), schema fields only. */
export function operationLabel(query: unknown, schema: GraphQLSchema | undefined, name?: unknown): string {
  if (typeof query !== 'string' || query.length > 100_000) return 'invalid';
  let doc;
  try {
    doc = parsedDocument(query);
  } catch {
    return 'invalid';
  }
  const ops = doc.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const op = ops.length === 1 ? ops[0] : ops.find((o) => o.name?.value === name);
  if (!op) return 'invalid';
  const root =
    op.operation === 'query'
      ? schema?.getQueryType()
      : op.operation === 'mutation'
        ? schema?.getMutationType()
        : schema?.getSubscriptionType();
  const fields = new Set<string>();
  for (const s of op.selectionSet.selections) {
    if (s.kind !== Kind.FIELD) return `${op.operation} (fragments)`;
    if (!root?.getFields()[s.name.value] && !s.name.value.startsWith('__')) return 'invalid';
    fields.add(s.name.value.startsWith('__') ? '__introspection' : s.name.value);
  }
  return `${op.operation} ${[...fields].sort().join(',')}`;
}

const STARTED = Symbol('metricsStarted');
const METRICS_AUTHORIZATION = Symbol('metricsAuthorization');

/**
 * Takes the Authorization header of a `/metrics` request aside (the METRICS_TOKEN is not an access token, and
 * must not be verified as one): register before the hook that authenticates requests.
 */
export function setMetricsAuthorizationAside(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    if (request.url === '/metrics' && request.headers.authorization !== undefined) {
      (request as unknown as Record<symbol, string>)[METRICS_AUTHORIZATION] = request.headers.authorization;
      delete request.headers.authorization;
    }
    done();
  });
}

/**
 * Prometheus metrics at `/metrics` (prom-client): GraphQL request latency per operation, errors by code, events
 * appended, each projection's lag (events, seconds) and whether this instance leads it, the connection pools,
 * asOf snapshots open, the database circuit, and Node's default process metrics.
 */
export function registerMetrics(
  fastify: FastifyInstance,
  sources: MetricsSources,
  settings: MetricsSettings,
): client.Registry {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });

  const duration = new client.Histogram({
    name: 'iap_graphql_request_duration_seconds',
    help: 'GraphQL requests over HTTP, by operation (kind and root fields) and HTTP status',
    labelNames: ['operation', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const errors = new client.Counter({
    name: 'iap_graphql_errors_total',
    help: 'Errors in GraphQL responses, by extensions.code',
    labelNames: ['code'],
    registers: [registry],
  });
  const appended = new client.Counter({
    name: 'iap_events_appended_total',
    help: 'Events appended by this instance',
    registers: [registry],
  });
  new client.Gauge({
    name: 'iap_projection_lag_events',
    help: `Events of the log a projection has not applied yet (counted up to ${LAG_COUNT_CAP + 1})`,
    labelNames: ['projection'],
    registers: [registry],
    async collect() {
      for (const p of await lags()) this.set({ projection: p.name }, p.lagEvents);
    },
  });
  new client.Gauge({
    name: 'iap_projection_lag_seconds',
    help: 'Seconds since the oldest event a projection has not applied was recorded (0 when caught up)',
    labelNames: ['projection'],
    registers: [registry],
    async collect() {
      for (const p of await lags()) this.set({ projection: p.name }, p.lagSeconds);
    },
  });
  new client.Gauge({
    name: 'iap_projection_leader',
    help: 'Whether this instance runs the projection now (1) or another does (0)',
    labelNames: ['projection'],
    registers: [registry],
    collect() {
      for (const p of sources.runner.projections)
        this.set({ projection: p.name }, sources.runner.leads(p.name) ? 1 : 0);
    },
  });
  new client.Gauge({
    name: 'iap_db_pool_connections',
    help: 'Connections of the PostgreSQL pools: total, idle, and requests waiting for one',
    labelNames: ['pool', 'state'],
    registers: [registry],
    collect() {
      const poolOf = (ds: DataSource) => (ds.driver as unknown as { master?: pg.Pool }).master;
      const readModels = poolOf(sources.dataSource);
      const projections = poolOf(sources.runner.dataSource);
      for (const [name, pool] of [
        ['read_models', readModels],
        ['projections', projections === readModels ? undefined : projections],
        ['event_store', sources.eventStorePool],
      ] as const) {
        if (!pool) continue;
        this.set({ pool: name, state: 'total' }, pool.totalCount);
        this.set({ pool: name, state: 'idle' }, pool.idleCount);
        this.set({ pool: name, state: 'waiting' }, pool.waitingCount);
      }
    },
  });
  new client.Gauge({
    name: 'iap_as_of_snapshots_open',
    help: 'asOf snapshots (connections held for a past instant) open now',
    registers: [registry],
    collect() {
      this.set(asOfSnapshotsOpen());
    },
  });
  new client.Gauge({
    name: 'iap_database_circuit_open',
    help: 'Whether GraphQL requests are answered 503 at once because the database is not answering',
    registers: [registry],
    collect() {
      this.set(sources.circuit.isOpen ? 1 : 0);
    },
  });

  // One read of the lags per scrape, shared by both gauges.
  let pendingLags: ReturnType<typeof readLags> | null = null;
  const lags = () => (pendingLags ??= readLags().finally(() => setTimeout(() => (pendingLags = null), 100)));
  async function readLags() {
    const names = sources.runner.projections.map((p) => p.name);
    const r = await checkReadiness(serverProbe(sources.dataSource, sources.store, names), {
      maxLagEvents: LAG_COUNT_CAP,
      maxLagSeconds: 86_400,
    });
    return r.projections;
  }

  // Events appended by this instance: counted as each append succeeds.
  const store = sources.store;
  const append = store.appendToStream.bind(store);
  store.appendToStream = async (...args: Parameters<EventStore['appendToStream']>) => {
    const result = await append(...args);
    appended.inc(args[1].length);
    return result;
  };

  const labels = new Map<string, string>();
  fastify.addHook('onRequest', (request, _reply, done) => {
    (request as unknown as Record<symbol, bigint>)[STARTED] = process.hrtime.bigint();
    done();
  });
  fastify.addHook('onSend', (request, reply, payload, done) => {
    observe(request, reply, payload);
    done(null, payload);
  });
  const observe = (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    if (request.routeOptions.url !== '/graphql' || request.method === 'OPTIONS') return;
    const started = (request as unknown as Record<symbol, bigint>)[STARTED];
    const body = (request.method === 'GET' ? request.query : request.body) as
      { query?: unknown; operationName?: unknown } | undefined;
    const key = typeof body?.query === 'string' ? `${body.operationName ?? ''}\u0000${body.query}` : '';
    let operation = labels.get(key);
    if (operation === undefined) {
      const schema = (fastify as unknown as { graphql?: { schema?: GraphQLSchema } }).graphql?.schema;
      operation = operationLabel(body?.query, schema, body?.operationName);
      if (labels.size >= LABELS_KEPT) labels.delete(labels.keys().next().value as string);
      labels.set(key, operation);
    }
    if (started !== undefined)
      duration.observe(
        { operation, status: String(reply.statusCode) },
        Number(process.hrtime.bigint() - started) / 1e9,
      );
    if (typeof payload === 'string' && payload.includes('"errors"')) {
      try {
        const parsed = JSON.parse(payload) as { errors?: { extensions?: { code?: unknown } }[] };
        for (const e of parsed.errors ?? [])
          errors.inc({ code: typeof e.extensions?.code === 'string' ? e.extensions.code : 'UNKNOWN' });
      } catch {
        // not JSON: nothing to count
      }
    }
  };

  fastify.get('/metrics', { config: { rateLimit: false } }, async (request, reply) => {
    if (!allowed(request, settings)) {
      return reply.code(403).headers({ 'cache-control': 'no-store' }).send('Forbidden\n');
    }
    const text = await registry.metrics();
    return reply.headers({ 'cache-control': 'no-store', 'content-type': registry.contentType }).send(text);
  });
  return registry;
}

function allowed(request: FastifyRequest, settings: MetricsSettings): boolean {
  if (settings.token) {
    const given = Buffer.from((request as unknown as Record<symbol, string>)[METRICS_AUTHORIZATION] ?? '');
    const wanted = Buffer.from(`Bearer ${settings.token}`);
    return given.length === wanted.length && timingSafeEqual(given, wanted);
  }
  // Without a token: the socket's own peer (never X-Forwarded-For) must be this machine.
  const peer = request.socket.remoteAddress ?? '';
  return peer === '127.0.0.1' || peer === '::1' || peer === '::ffff:127.0.0.1';
}
