/**
 * Phase (c), the parent's side: `area(code, asOf)` at random instants of an area's events, sequential requests,
 * one that outlives --asof-timeout cancelled and counted at the limit; then where each request's time went.
 */
import { performance } from 'node:perf_hooks';
import { percentile, r1 } from '../../support/figures.js';
import { log } from '../../support/output.js';
import { postJson, withWatchdog } from '../load.js';
import type { Options } from '../options.js';
import { prng } from '../prng.js';
import { asOfQuery } from '../queries.js';
import type { GeneratedFigures } from './generate.js';
import type { AsOfTiming, ServeReady } from './serve.js';

/** The largest pilot over its events' span, and a council with a handful of events over the whole timeline. */
export async function asOfPhase(
  r: ServeReady,
  opt: Options,
  url: string,
  gen: GeneratedFigures,
  biggest: GeneratedFigures['pilots'][number],
): Promise<Record<string, unknown>> {
  const asOf: Record<string, unknown> = {};
  const councilCode = gen.councilSample.code;
  for (const [label, code, first, last] of [
    ['pilot', biggest.code, biggest.firstAt, biggest.lastAt],
    ['council', councilCode, `${gen.timelineFrom}T00:00:00Z`, `${gen.timelineTo}T23:59:59Z`],
  ] as const) {
    try {
      asOf[label] = await measureAsOf(label, code, first, last);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      log(`(c) asOf ${label}: FAILED: ${message}`);
      asOf[label] = { error: message };
    }
  }
  return asOf;

  async function measureAsOf(label: 'pilot' | 'council', code: string, first: string, last: string) {
    const from = Date.parse(first);
    const to = Date.parse(last);
    const rnd = prng(opt.seed + 7);
    const budget = label === 'pilot' ? opt.asOfBudgetSec : Math.min(60, opt.asOfBudgetSec);
    const ms: number[] = [];
    let cancelled = 0;
    // Warm-up at the start of the window (the cheapest instant), not measured.
    await postJson(r.gqlUrl, asOfQuery(code, new Date(from).toISOString()));
    log(
      `(c) asOf ${label} ${code}: up to ${opt.asOfRequests} sequential requests (budget ${budget} s, ` +
        `${opt.asOfTimeoutSec} s per request)`,
    );
    const t0 = performance.now();
    while (ms.length < opt.asOfRequests && (performance.now() - t0) / 1000 < budget && cancelled < 2) {
      const at = new Date(from + rnd() * (to - from)).toISOString();
      const answer = await withWatchdog(url, opt.asOfTimeoutSec, () =>
        postJson(r.gqlUrl, asOfQuery(code, at)),
      );
      if (answer === 'cancelled') {
        // Counted at the time limit: the true time is longer (a censored sample).
        cancelled++;
        ms.push(opt.asOfTimeoutSec * 1000);
        log(`(c) asOf ${label}: a request at ${at} was cancelled after ${opt.asOfTimeoutSec} s`);
      } else ms.push(answer.ms);
    }
    const sorted = [...ms].sort((a, b) => a - b);
    const figures = {
      areaCode: code,
      areaEvents: label === 'pilot' ? biggest.events : gen.councilSample.events,
      requests: ms.length,
      cancelledAtTimeLimit: cancelled,
      timeLimitSec: opt.asOfTimeoutSec,
      p50Ms: r1(percentile(sorted, 50)),
      p99Ms: r1(percentile(sorted, 99)),
      maxMs: r1(sorted[sorted.length - 1]),
      meanMs: r1(ms.reduce((a, b) => a + b, 0) / ms.length),
      window: { from: new Date(from).toISOString(), to: new Date(to).toISOString() },
    };
    log(
      `(c) asOf ${label}: ${ms.length} requests, p50 ${r1(percentile(sorted, 50))} ms, p99 ${r1(percentile(sorted, 99))} ms`,
    );
    return figures;
  }
}

/** Adds to each area's figures the breakdown of its asOf requests (warm-up excluded): medians and the slowest. */
export function addAsOfBreakdown(asOf: Record<string, unknown>, timings: readonly AsOfTiming[]): void {
  for (const [label, v] of Object.entries(asOf) as [string, { areaCode?: string }][]) {
    const mine = timings.filter((t) => t.areaCode === v.areaCode).slice(1);
    if (mine.length === 0) continue;
    const med = (f: (t: AsOfTiming) => number) =>
      r1(
        percentile(
          [...mine.map(f)].sort((a, b) => a - b),
          50,
        ),
      );
    const slowest = mine.reduce((a, b) => (b.totalEnterMs > a.totalEnterMs ? b : a));
    const sqls = [...new Set(mine.flatMap((t) => t.statements.map((x) => x.sql)))];
    const byStatement = Object.fromEntries(
      sqls.map((sql) => [
        sql,
        med((t) => t.statements.filter((x) => x.sql === sql).reduce((n, x) => n + x.ms, 0)),
      ]),
    );
    const slowestRequest = mine.reduce((a, b) =>
      b.statements.reduce((n, x) => n + x.ms, 0) > a.statements.reduce((n, x) => n + x.ms, 0) ? b : a,
    );
    (asOf[label] as Record<string, unknown>).breakdown = {
      medianMs: { openSnapshot: med((t) => t.totalEnterMs), byStatement },
      slowestOpenMs: slowest.totalEnterMs,
      slowestRequestStatements: slowestRequest.statements,
    };
  }
}
