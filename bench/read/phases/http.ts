/**
 * Phase (b), the parent's side: `comparePilots` and `area` under load (autocannon), GraphQL with the read-model
 * cache on and off, and the bare Fastify route replaying the same SQL.
 */
import { r3 } from '../../support/figures.js';
import { log } from '../../support/output.js';
import { load, postJson } from '../load.js';
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
    await setCache(false);
    const uncached = await run('GraphQL, read-model cache off', r.gqlUrl);
    const entries = await setCache(true);
    const g = await run(`GraphQL, read-model cache on (${entries} entries, the default)`, r.gqlUrl);
    await setCache(false);
    const b = await run('bare Fastify', s.bare);
    log(
      `(b) ${s.key}: GraphQL ${g.requestsPerSec} req/s p50 ${g.p50Ms} p99 ${g.p99Ms} ms (cache off: ${uncached.requestsPerSec} req/s p50 ${uncached.p50Ms} p99 ${uncached.p99Ms} ms); bare ${b.requestsPerSec} req/s p50 ${b.p50Ms} p99 ${b.p99Ms} ms`,
    );
    return {
      graphql: g,
      graphqlCacheOff: uncached,
      bare: b,
      ratio: r3(g.requestsPerSec / b.requestsPerSec),
      ratioCacheOff: r3(uncached.requestsPerSec / b.requestsPerSec),
      readCacheEntries: entries,
      responseBytes: { graphql: gqlCheck.bytes, bare: bareCheck.bytes },
    };
  }
}
