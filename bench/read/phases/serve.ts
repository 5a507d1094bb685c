/**
 * Phases (b) and (c), the server's side (a child process): the real server, and a bare Fastify replaying the
 * statements its resolvers ran; the parent drives the load (see http.ts, as-of.ts).
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import Fastify from 'fastify';
import { DataSource } from 'typeorm';
import { issueToken } from '@iap/auth';
import { ProjectionRunner, ReadModelCache } from '@iap/projections';
import { loadConfig, securityOptions } from '../../../apps/server/src/config.js';
import { createApp } from '../../../apps/server/src/create-app.js';
import { AsOfService } from '../../../src/comparison/as-of.service.js';
import { r1, r2 } from '../../support/figures.js';
import { type Memory, memorySampler } from '../../support/memory.js';
import { log } from '../../support/output.js';
import { areaQuery, COMPARE_QUERY } from '../queries.js';
import { logHead } from '../read-models.js';

interface Captured {
  sql: string;
  params: unknown[] | undefined;
  wave: number;
}

/**
 * Records the statements one request sends through DataSource.query (where ReadDb sends every read), with the
 * dependency wave of each: a statement depends at most on those that had completed when it was sent.
 */
async function captureStatements(ds: DataSource, run: () => Promise<void>): Promise<Captured[]> {
  const original = ds.query;
  const captured: (Captured & { done: boolean })[] = [];
  ds.query = function (this: DataSource, sql: string, params?: unknown[], qr?: never) {
    const wave = captured.filter((c) => c.done).reduce((w, c) => Math.max(w, c.wave + 1), 0);
    const entry = { sql, params, wave, done: false };
    captured.push(entry);
    return original.call(this, sql, params, qr).finally(() => {
      entry.done = true;
    });
  } as typeof ds.query;
  try {
    await run();
  } finally {
    ds.query = original;
  }
  return captured.map(({ sql, params, wave }) => ({ sql, params, wave }));
}

export interface ServeReady {
  gqlUrl: string;
  bareUrl: string;
  headers: Record<string, string>;
  statements: Record<
    string,
    { count: number; waves: number; statements: { wave: number; executionMs: number; sql: string }[] }
  >;
}

/** The real server, plus a bare Fastify replaying the resolvers' statements over the same DataSource. */
export async function servePhase(
  url: string,
  send: (m: unknown) => void,
  stopped: Promise<void>,
  pilot: string,
): Promise<{ memory: Memory; asOfTimings: AsOfTiming[] }> {
  const mem = memorySampler();
  // The product's security settings from the environment, with a secret of our own and the per-client rate
  // limit raised (a load test is one client); every request carries a central-team bearer token.
  const secret = randomBytes(32).toString('hex');
  const config = loadConfig({ ...process.env, JWT_SECRET: secret, RATE_LIMIT_MAX: '1000000000' });
  const app = await createApp({
    databaseUrl: url,
    graphiql: false,
    logger: false,
    security: securityOptions(config),
  });
  const token = issueToken(
    secret,
    { sub: 'bench-central', role: 'CENTRAL', name: 'Read benchmark' },
    { expiresInSeconds: 6 * 3600 },
  );
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  const gqlUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/graphql`;
  const ds = app.get(DataSource);
  const asOfTimings = instrumentAsOf(app.get(AsOfService));
  // The read-model cache is off while the statements are captured (so the bare route replays every one of
  // them) and while GraphQL is measured without it; the parent turns it on for the default configuration.
  const cache = app.get(ReadModelCache);
  const defaultEntries = config.readCacheEntries;
  cache.resize(0);
  process.on('message', (m: { type?: string; on?: boolean }) => {
    if (m?.type !== 'cache') return;
    cache.resize(m.on ? defaultEntries : 0);
    send({ type: 'cache-set', on: m.on, entries: m.on ? defaultEntries : 0 });
  });
  const gql = async (query: string) => {
    const res = await fetch(gqlUrl, { method: 'POST', headers, body: JSON.stringify({ query }) });
    const body = (await res.json()) as { data?: unknown; errors?: unknown[] };
    if (res.status !== 200 || body.errors)
      throw new Error(`GraphQL ${res.status}: ${JSON.stringify(body.errors)}`);
  };
  // Make sure the runner has nothing left to do (the read models were rebuilt to the head).
  const runner = app.get(ProjectionRunner);
  const head = await logHead(ds);
  if (!(await runner.waitFor(head.position, undefined, 60_000)))
    throw new Error('the server runner is not at the head');

  // A query the server refuses is reported by the parent's check; its bare route then answers 503.
  const capture = (query: string) =>
    captureStatements(ds, () => gql(query)).catch((err: unknown) => {
      log(`serve: capturing the statements failed: ${err instanceof Error ? err.message : String(err)}`);
      return [] as Captured[];
    });
  const compare = await capture(COMPARE_QUERY);
  const area = await capture(areaQuery(pilot));
  const bare = Fastify({ bodyLimit: 1024 * 1024 });
  const replay = async (statements: Captured[]) => {
    const waves = Math.max(...statements.map((s) => s.wave)) + 1;
    const results: unknown[] = new Array(statements.length);
    for (let w = 0; w < waves; w++) {
      await Promise.all(
        statements.map(async (s, i) => {
          if (s.wave === w) results[i] = await ds.query(s.sql, s.params);
        }),
      );
    }
    return results;
  };
  for (const [route, statements] of [
    ['/compare', compare],
    ['/area', area],
  ] as const) {
    bare.post(route, async (_request, reply) =>
      statements.length === 0
        ? reply.code(503).send({ errors: ['no statements were captured'] })
        : { data: await replay(statements) },
    );
  }
  await bare.listen({ port: 0, host: '127.0.0.1' });
  const bareAddress = bare.server.address();
  const bareUrl = `http://127.0.0.1:${typeof bareAddress === 'object' && bareAddress ? bareAddress.port : 0}`;
  // Each statement's own execution time (EXPLAIN ANALYZE, the median of three), to see which one scales.
  const explain = async (statements: Captured[]) => {
    const out: { wave: number; executionMs: number; sql: string }[] = [];
    for (const st of statements) {
      const times: number[] = [];
      for (let i = 0; i < 3; i++) {
        const [row] = await ds.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${st.sql}`, st.params);
        const plan = (
          typeof row['QUERY PLAN'] === 'string' ? JSON.parse(row['QUERY PLAN']) : row['QUERY PLAN']
        ) as {
          'Execution Time': number;
        }[];
        times.push(plan[0]['Execution Time']);
      }
      times.sort((a, b) => a - b);
      out.push({
        wave: st.wave,
        executionMs: r2(times[1]),
        sql: st.sql.replace(/\s+/g, ' ').trim().slice(0, 140),
      });
    }
    return out;
  };
  const summary = async (s: Captured[]) => ({
    count: s.length,
    waves: Math.max(0, ...s.map((c) => c.wave + 1)),
    statements: await explain(s),
  });
  send({
    type: 'ready',
    gqlUrl,
    bareUrl,
    headers,
    statements: { compare: await summary(compare), area: await summary(area) },
  } satisfies ServeReady & { type: string });
  await stopped;
  await bare.close();
  await app.close();
  return { memory: mem.stop(), asOfTimings };
}

/** Where an asOf request's time goes, measured inside the server. */
export interface AsOfTiming {
  /** The area asked for (the query's `code` argument). */
  areaCode: string;
  /** Opening the snapshot: waiting for the projections, a connection of the as-of pool, the instant set. */
  totalEnterMs: number;
  /** Each statement the request ran on its snapshot (its opening words), and how long it ran. */
  statements: { sql: string; ms: number }[];
}

function instrumentAsOf(service: AsOfService): AsOfTiming[] {
  const timings: AsOfTiming[] = [];
  let statements: AsOfTiming['statements'] = [];
  const open = service.views.open.bind(service.views);
  service.views.open = async (instant) => {
    const snapshot = await open(instant);
    const mine: AsOfTiming['statements'] = (statements = []);
    let lastEnd = 0;
    return {
      release: () => snapshot.release(),
      // Statements wait their turn on the snapshot's one connection: each is timed from when it could start.
      query: async <T>(sql: string, params?: unknown[]) => {
        const t0 = performance.now();
        try {
          return await snapshot.query<T>(sql, params);
        } finally {
          const end = performance.now();
          mine.push({
            sql: sql.replace(/\s+/g, ' ').trim().slice(0, 90),
            ms: r1(end - Math.max(t0, lastEnd)),
          });
          lastEnd = end;
        }
      },
    };
  };
  const enter = service.enter.bind(service);
  service.enter = async (asOf, info) => {
    const t0 = performance.now();
    await enter(asOf, info);
    const arg = info.fieldNodes[0]?.arguments?.find((a) => a.name.value === 'code')?.value;
    const areaCode = arg?.kind === 'StringValue' ? arg.value : '';
    timings.push({ areaCode, totalEnterMs: r1(performance.now() - t0), statements });
  };
  return timings;
}

// ---------------------------------------------------------------------------------------------- load drivers
