/**
 * Phase (b), the parent's side: `comparePilots` and `area` under load (autocannon), GraphQL with the read-model
 * cache on and off, and the bare Fastify route replaying the same SQL.
 */
import { median, r3 } from '../../support/figures.js';
import { log } from '../../support/output.js';
import { type LoadFigures, load, postJson } from '../load.js';
import type { Options } from '../options.js';
import { areaQuery, COMPARE_QUERY } from '../queries.js';
import type { ServeReady } from './serve.js';

/**
 * Every contender answers correctly first; then warm-up, then the measured runs, GraphQL and bare in turn.
 * `setCache` turns the server's read-model cache on (its default size) or off and resolves with its entries.
 */
export async function httpPhase(
  r: ServeReady,
  opt: Options,
  pilot: string,
  setCache: (on: boolean) => Promise<number>,
): Promise<Record<string, unknown>> {
  const scenarios = [
    { key: 'comparePilots', query: COMPARE_QUERY, bare: `${r.bareUrl}/compare` },
    { key: 'area', query: areaQuery(pilot), bare: `${r.bareUrl}/area` },
  ];
  const http: Record<string, unknown> = { statements: r.statements };
  for (const s of scenarios) {
    try {
      http[s.key] = await measureScenario(s);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      log(`(b) ${s.key}: FAILED: ${message}`);
      http[s.key] = { error: message };
    }
  }
  return http;

  async function measureScenario(s: { key: string; query: string; bare: string }) {
    const gqlCheck = await postJson(r.gqlUrl, s.query);
    const bareCheck = await postJson(s.bare, s.query);
    const body = JSON.stringify({ query: s.query });
    const run = async (label: string, url: string) => {
      if (opt.warmupSec > 0) await load(url, body, opt.warmupSec, opt.connections);
      log(`(b) ${s.key}: ${label} ${opt.durationSec} s x ${opt.connections} connections`);
      const f = await load(url, body, opt.durationSec, opt.connections);
      if (f.non2xx || f.errors || f.timeouts)
        throw new Error(`${s.key} ${label}: ${f.non2xx} non-2xx, ${f.errors} errors, ${f.timeouts} timeouts`);
      return f;
    };
    // GraphQL without the cache and the bare route are compared in alternating rounds (G B, B G, ...), each
    // a slice of the duration: a machine whose load drifts moves both alike, and the ratio is the median of the
    // rounds' ratios (one 20 s run of each, one after the other, gave ratios from 0.43 to 0.96 for one build).
    await setCache(false);
    const slice = Math.max(1, Math.round(opt.durationSec / opt.rounds));
    if (opt.warmupSec > 0) {
      await load(r.gqlUrl, body, opt.warmupSec, opt.connections);
      await load(s.bare, body, opt.warmupSec, opt.connections);
    }
    log(
      `(b) ${s.key}: GraphQL, read-model cache off, and bare Fastify: ${opt.rounds} rounds of ${slice} s each x ${opt.connections} connections`,
    );
    const rounds: { graphql: LoadFigures; bare: LoadFigures }[] = [];
    for (let i = 0; i < opt.rounds; i++) {
      const one = async (label: string, url: string) => {
        const f = await load(url, body, slice, opt.connections);
        if (f.non2xx || f.errors || f.timeouts)
          throw new Error(
            `${s.key} ${label}: ${f.non2xx} non-2xx, ${f.errors} errors, ${f.timeouts} timeouts`,
          );
        return f;
      };
      if (i % 2 === 0) {
        const graphql = await one('GraphQL, cache off', r.gqlUrl);
        rounds.push({ graphql, bare: await one('bare Fastify', s.bare) });
      } else {
        const bare = await one('bare Fastify', s.bare);
        rounds.push({ graphql: await one('GraphQL, cache off', r.gqlUrl), bare });
      }
    }
    const uncached = combined(rounds.map((x) => x.graphql));
    const b = combined(rounds.map((x) => x.bare));
    const ratios = rounds.map((x) => r3(x.graphql.requestsPerSec / x.bare.requestsPerSec));
    const entries = await setCache(true);
    const g = await run(`GraphQL, read-model cache on (${entries} entries, the default)`, r.gqlUrl);
    await setCache(false);
    log(
      `(b) ${s.key}: GraphQL ${g.requestsPerSec} req/s p50 ${g.p50Ms} p99 ${g.p99Ms} ms (cache off: ${uncached.requestsPerSec} req/s p50 ${uncached.p50Ms} p99 ${uncached.p99Ms} ms); bare ${b.requestsPerSec} req/s p50 ${b.p50Ms} p99 ${b.p99Ms} ms; cache off / bare by round ${ratios.join(', ')}`,
    );
    return {
      graphql: g,
      graphqlCacheOff: uncached,
      bare: b,
      ratio: r3(g.requestsPerSec / b.requestsPerSec),
      ratioCacheOff: r3(median(ratios)),
      ratioCacheOffByRound: ratios,
      readCacheEntries: entries,
      responseBytes: { graphql: gqlCheck.bytes, bare: bareCheck.bytes },
    };
  }
}

/** Rounds' figures as one: requests over the rounds' time, the median round's p50, and the worst round's p99. */
function combined(rounds: readonly LoadFigures[]): LoadFigures {
  const sum = (f: (x: LoadFigures) => number) => rounds.reduce((n, x) => n + f(x), 0);
  const seconds = sum((x) => (x.requestsPerSec > 0 ? x.requests / x.requestsPerSec : 0));
  return {
    requestsPerSec: Math.round((10 * sum((x) => x.requests)) / Math.max(seconds, 1e-9)) / 10,
    p50Ms: median(rounds.map((x) => x.p50Ms)),
    p99Ms: Math.max(...rounds.map((x) => x.p99Ms)),
    p97_5Ms: Math.max(...rounds.map((x) => x.p97_5Ms)),
    maxMs: Math.max(...rounds.map((x) => x.maxMs)),
    requests: sum((x) => x.requests),
    non2xx: sum((x) => x.non2xx),
    errors: sum((x) => x.errors),
    timeouts: sum((x) => x.timeouts),
    bytesPerResponse: Math.round(
      sum((x) => x.bytesPerResponse * x.requests) /
        Math.max(
          sum((x) => x.requests),
          1,
        ),
    ),
  };
}
