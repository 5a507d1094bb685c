/**
 * `npm run bench:load`: a mixed workload at a target rate against two server instances on one database.
 *
 * Two server processes (dist/apps/server, as `npm start` runs them) on a fresh database with the demo programme
 * loaded (`cli seed:demo`); each operation (reads of the comparison, the pilots' dashboards and the library;
 * the pilots' writes: actions planned, spend reported, measurements recorded) is sent at its share of the rate,
 * at random (Poisson) times, alternately to each instance, its latency measured from when it was due (see
 * support/open-loop.ts). It prints, per rate: requests, errors (non-2xx, failed connections, timeouts, and GraphQL
 * errors in 200 answers), p50 and p99 per operation; the projections' lag and each
 * instance's resident memory, longest event-loop delay and garbage-collection time over time (from /metrics); and the
 * highest rate held with p99 under 100 ms.
 *
 * BENCH_RATES (default 500; a comma-separated list runs each in turn), BENCH_SECONDS (default 600 per rate).
 * DATABASE_URL: the PostgreSQL server to use (else an embedded one is started).
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createBenchDatabase, withBenchServer } from '../support/database.js';
import { seedDemo } from '../support/demo.js';
import { mib } from '../support/figures.js';
import { openLoop, quantile } from '../support/open-loop.js';
import { log, runMain, table } from '../support/output.js';
import { benchServerEnv, startServer } from '../support/server.js';
import { financialQuarterOf, todayInEngland } from '../../src/shared/periods.js';
import {
  CENTRAL,
  FACTS_QUERY,
  type GraphQLBody,
  type Operation,
  PILOTS,
  PLAN_ACTION,
  type PilotFacts,
  REPORT_SPEND,
  measurementBody,
  tokenFor,
  workload,
} from './workload.js';

const RATES = (process.env.BENCH_RATES ?? '500').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 600);
const SECRET = randomBytes(32).toString('base64url');
const P99_TARGET_MS = 100;

interface Instance {
  readonly url: string;
  readonly child: ChildProcess;
}

async function graphql(url: string, token: string, body: GraphQLBody) {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return (await res.json()) as { data?: Record<string, unknown>; errors?: { message: string }[] };
}

const ALLOCATE = `mutation Allocate($i: AllocateGrantInput!) { allocateGrant(input: $i) { year } }`;
const COMMIT = `mutation Commit($i: CommitFundsInput!) { commitFunds(input: $i) { year } }`;

/** The answer's data, or an error naming the step and what the server said. */
async function succeeded(step: string, url: string, token: string, body: GraphQLBody) {
  const r = await graphql(url, token, body);
  if (r.errors) throw new Error(`${step}: ${r.errors[0].message}`);
  return r.data!;
}

/**
 * Spend as a pilot reports it today: this quarter's, on an action planned for the bench, with funds the central team
 * allocates for this financial year (on top of the demo's grant for it, so that the bench's commitments never run
 * past the grant however long it runs) and the pilot commits to it.
 */
async function openSpend(
  url: string,
  person: (typeof PILOTS)[number],
  token: string,
  partnerId: string,
  theme: string,
): Promise<PilotFacts['spend']> {
  const quarter = financialQuarterOf(todayInEngland(new Date()));
  const year = quarter.year.name;
  const areaCode = person.area!;
  await succeeded(`allocating ${year} to ${areaCode}`, url, tokenFor(SECRET, CENTRAL), {
    query: ALLOCATE,
    variables: {
      i: {
        commandId: randomUUID(),
        areaCode,
        year,
        fundingStream: 'Integration Area Programme',
        amountPence: 100_000_000,
        note: 'bench:load',
      },
    },
  });
  const planned = await succeeded(`planning an action for spend in ${areaCode}`, url, token, {
    query: PLAN_ACTION,
    variables: {
      i: {
        commandId: randomUUID(),
        areaCode,
        title: 'Load test: action with spend',
        themes: [theme],
        leadPartnerId: partnerId,
        plannedStart: quarter.year.start,
        plannedEnd: quarter.year.end,
      },
    },
  });
  const actionId = (planned.planAction as { id: string }).id;
  await succeeded(`committing ${year} funds in ${areaCode}`, url, token, {
    query: COMMIT,
    variables: { i: { commandId: randomUUID(), areaCode, actionId, year, amountPence: 50_000_000 } },
  });
  const spend = { actionId, quarter: quarter.name };
  await succeeded(`reporting spend in ${areaCode}`, url, token, {
    query: REPORT_SPEND,
    variables: { i: { commandId: randomUUID(), areaCode, ...spend, amountPence: 1 } },
  });
  return spend;
}

/** What each pilot's writes need, from the demo programme and what `openSpend` sets up; measurements found by trying. */
async function pilotFacts(url: string): Promise<PilotFacts[]> {
  const facts: PilotFacts[] = [];
  for (const person of PILOTS) {
    const token = tokenFor(SECRET, person);
    const data = await succeeded(`facts of ${person.area}`, url, token, {
      query: FACTS_QUERY,
      variables: { code: person.area },
    });
    const area = data.area as { partners: { id: string }[]; indicators: { indicatorCode: string }[] };
    const themes = data.themes as { code: string }[];
    const spend = await openSpend(url, person, token, area.partners[0].id, themes[0].code);
    let measurement: PilotFacts['measurement'] = null;
    const candidate = {
      indicatorCodes: area.indicators.map((i) => i.indicatorCode),
      year: 2022, // after the demo's returns, which lock their quarters
    };
    if (candidate.indicatorCodes.length > 0) {
      const base = { person, token, partnerId: '', theme: '', spend, measurement: candidate };
      const tried = await graphql(url, token, measurementBody(base, 0));
      if (!tried.errors) measurement = candidate;
      else log(`${person.area}: no measurements (${tried.errors[0].message})`);
    }
    facts.push({ person, token, partnerId: area.partners[0].id, theme: themes[0].code, spend, measurement });
  }
  return facts;
}

interface OperationResult {
  readonly name: string;
  readonly requests: number;
  readonly errors: number;
  /** What the errors were: non-2xx answers, failed connections, timeouts, GraphQL errors in 200 answers. */
  readonly errorKinds: string;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/** Each operation's next request number, across rates (a write's period or title is never sent twice). */
const counters = new Map<string, number>();

/** One operation at its share of `rate` for SECONDS, over both instances, requests arriving at random times. */
async function drive(op: Operation, rate: number, instances: readonly Instance[]): Promise<OperationResult> {
  let n = counters.get(op.name) ?? 0; // after the warm-up's
  const r = await openLoop({
    rate: rate * op.share,
    seconds: SECONDS,
    timeoutMs: 30_000, // a request slower than this counts as an error
    request: (k) => {
      const at = n++;
      counters.set(op.name, n);
      return {
        url: `${instances[k % instances.length].url}/graphql`,
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${op.tokens[at % op.tokens.length]}`,
        },
        body: JSON.stringify(op.body(at)),
      };
    },
    failure: (body) => (body.includes('"errors"') ? body.slice(0, 300) : undefined),
  });
  for (const e of r.firstFailures) log(`${op.name}: ${e}`);
  return {
    name: op.name,
    requests: r.requests,
    errors: r.non2xx + r.connectionErrors + r.timeouts + r.failures,
    errorKinds: `${r.non2xx}/${r.connectionErrors}/${r.timeouts}/${r.failures}`,
    p50Ms: Math.round(quantile(r.latenciesMs, 0.5)),
    p99Ms: Math.round(quantile(r.latenciesMs, 0.99)),
  };
}

/** A sample's value of a Prometheus metric (summed over its series), or 0. */
function metric(text: string, name: string): number {
  let sum = 0;
  for (const m of text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)`, 'gm')))
    sum += Number(m[1]);
  return sum;
}

/**
 * Every `ms`, from /metrics: the projections' largest lag; each instance's resident memory, longest event-loop
 * delay since the last sample, and time spent collecting garbage since the last sample (what stalls a request).
 */
function sampler(instances: readonly Instance[], ms: number) {
  const samples: {
    at: number;
    lagEvents: number;
    lagSeconds: number;
    rssMiB: number[];
    loopMaxMs: number[];
    gcMs: number[];
  }[] = [];
  const gcBefore = instances.map(() => -1);
  const started = Date.now();
  const timer = setInterval(async () => {
    let lagEvents = 0;
    let lagSeconds = 0;
    const rssMiB: number[] = [];
    const loopMaxMs: number[] = [];
    const gcMs: number[] = [];
    for (const [k, i] of instances.entries()) {
      try {
        const text = await (await fetch(`${i.url}/metrics`)).text();
        for (const m of text.matchAll(/^iap_projection_lag_events\{[^}]*\} (\d+)/gm))
          lagEvents = Math.max(lagEvents, Number(m[1]));
        for (const m of text.matchAll(/^iap_projection_lag_seconds\{[^}]*\} (\d+)/gm))
          lagSeconds = Math.max(lagSeconds, Number(m[1]));
        rssMiB.push(mib(metric(text, 'process_resident_memory_bytes')));
        loopMaxMs.push(Math.round(metric(text, 'nodejs_eventloop_lag_max_seconds') * 1000));
        const gc = metric(text, 'nodejs_gc_duration_seconds_sum') * 1000;
        gcMs.push(gcBefore[k] < 0 ? 0 : Math.round(gc - gcBefore[k]));
        gcBefore[k] = gc;
      } catch {
        rssMiB.push(0);
        loopMaxMs.push(0);
        gcMs.push(0);
      }
    }
    samples.push({
      at: Math.round((Date.now() - started) / 1000),
      lagEvents,
      lagSeconds,
      rssMiB,
      loopMaxMs,
      gcMs,
    });
  }, ms);
  return {
    stop() {
      clearInterval(timer);
      return samples;
    },
  };
}

/** Runs the workload at each rate against two instances; returns the figures (also printed). */
export async function benchLoad(): Promise<{ rate: number; held: boolean; errors: number }[]> {
  return withBenchServer('iap-bench-load-', async (server) => {
    const databaseUrl = await createBenchDatabase(server, `iap_bench_load_${Date.now()}`);
    const env = benchServerEnv(databaseUrl, SECRET);
    log('Loading the demo programme ...');
    await seedDemo(env);
    const instances: Instance[] = [];
    server.onCleanup(async () => {
      for (const i of instances) {
        i.child.kill('SIGTERM');
        await new Promise((r) => (i.child.exitCode !== null ? r(null) : i.child.once('exit', r)));
      }
    });
    for (let k = 0; k < 2; k++) instances.push(await startServer(env, 120));
    const facts = await pilotFacts(instances[0].url);
    const ops = workload(SECRET, facts);
    // Warm-up: each operation a few times on each instance before anything is measured.
    for (const op of ops)
      for (const i of instances)
        for (let k = 0; k < 3; k++) {
          const n = counters.get(op.name) ?? 0;
          counters.set(op.name, n + 1);
          const r = await graphql(i.url, op.tokens[n % op.tokens.length], op.body(n));
          if (r.errors) throw new Error(`${op.name} is refused: ${r.errors[0].message}`);
        }
    log(`Operations: ${ops.map((o) => `${o.name} ${Math.round(o.share * 100)}%`).join(', ')}`);

    const summary: { rate: number; held: boolean; errors: number }[] = [];
    for (const rate of RATES) {
      log(`${rate} requests/s for ${SECONDS} s over two instances ...`);
      const sampling = sampler(instances, Math.max(1000, Math.min(10_000, (SECONDS * 1000) / 20)));
      const results = await Promise.all(ops.map((op) => drive(op, rate, instances)));
      const samples = sampling.stop();
      const achieved = results.reduce((a, r) => a + r.requests, 0) / SECONDS;
      const errors = results.reduce((a, r) => a + r.errors, 0);
      const worstP99 = Math.max(...results.map((r) => r.p99Ms));
      const held = errors === 0 && worstP99 < P99_TARGET_MS && achieved >= rate * 0.95;
      process.stdout.write(
        `\nTarget ${rate} requests/s, ${SECONDS} s: ${achieved.toFixed(1)} sent per second, ${errors} errors; ` +
          `${held ? 'held' : 'not held'} (p99 < ${P99_TARGET_MS} ms, no errors)\n` +
          table([
            ['operation', 'requests', 'errors', 'non-2xx/conn/timeout/GraphQL', 'p50 ms', 'p99 ms'],
            ...results.map((r) => [
              r.name,
              String(r.requests),
              String(r.errors),
              r.errorKinds,
              String(r.p50Ms),
              String(r.p99Ms),
            ]),
          ]) +
          '\n' +
          table([
            ['s', 'lag events', 'lag s', 'RSS MiB', 'loop delay max ms', 'GC ms'],
            ...samples.map((s) => [
              String(s.at),
              String(s.lagEvents),
              String(s.lagSeconds),
              s.rssMiB.join(' / '),
              s.loopMaxMs.join(' / '),
              s.gcMs.join(' / '),
            ]),
          ]) +
          '\n',
      );
      summary.push({ rate, held, errors });
    }
    const best = summary.filter((s) => s.held).map((s) => s.rate);
    process.stdout.write(
      `\nHighest rate held with p99 under ${P99_TARGET_MS} ms and no errors: ` +
        `${best.length > 0 ? `${Math.max(...best)} requests/s` : 'none of those tried'} ` +
        `(${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)})\n` +
        `${JSON.stringify({ bench: 'load', seconds: SECONDS, summary })}\n`,
    );
    return summary;
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1]))
  runMain(async () => {
    const summary = await benchLoad();
    if (summary.some((s) => s.errors > 0)) process.exitCode = 1;
  });
