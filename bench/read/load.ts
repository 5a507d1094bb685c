/** The parent's HTTP clients: autocannon for load, single POSTs, and a watchdog for slow asOf requests. */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { autocannon } from '../support/autocannon.js';
import { r1 } from '../support/figures.js';
import { log } from '../support/output.js';

export interface LoadFigures {
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  p97_5Ms: number;
  maxMs: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  bytesPerResponse: number;
}

/** Headers of every request the parent sends (the server's bearer token once it is up). */
let requestHeaders: Record<string, string> = { 'content-type': 'application/json' };

/** Sends these headers with every request from now on. */
export function useRequestHeaders(headers: Record<string, string>): void {
  requestHeaders = headers;
}

export async function load(
  url: string,
  body: string,
  seconds: number,
  connections: number,
): Promise<LoadFigures> {
  const r = await autocannon({
    url,
    method: 'POST',
    headers: requestHeaders,
    body,
    connections,
    duration: seconds,
  });
  return {
    requestsPerSec: r1(r.requests.total / r.duration),
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    p97_5Ms: r.latency.p97_5,
    maxMs: r.latency.max,
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    bytesPerResponse: r.requests.total > 0 ? Math.round(r.throughput.total / r.requests.total) : 0,
  };
}

/**
 * Runs `work` (one asOf request); if it has not answered after `seconds`, cancels the statement of every
 * transaction of the bench database older than that (in the serve phase only an asOf snapshot runs that long),
 * so that the request fails and the run goes on. Resolves 'cancelled' then.
 */
export async function withWatchdog<T>(
  dbUrl: string,
  seconds: number,
  work: () => Promise<T>,
): Promise<T | 'cancelled'> {
  let fired = false;
  const timer = setTimeout(() => {
    fired = true;
    const c = new pg.Client({ connectionString: dbUrl });
    void c
      .connect()
      .then(() =>
        c.query(
          `SELECT pg_cancel_backend(pid) FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'
              AND now() - xact_start > make_interval(secs => $1)`,
          [seconds - 1],
        ),
      )
      .catch((err: unknown) => log(`watchdog: ${String(err)}`))
      .finally(() => void c.end());
  }, seconds * 1000);
  try {
    return await work();
  } catch (err) {
    if (fired) return 'cancelled';
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/** One POST over node:http (no client-side timeout: a slow asOf answer is measured, not cut off). */
export async function postJson(url: string, query: string): Promise<{ ms: number; bytes: number }> {
  const t0 = performance.now();
  const payload = JSON.stringify({ query });
  const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', headers: { ...requestHeaders, 'content-length': Buffer.byteLength(payload) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
  const ms = performance.now() - t0;
  const body = JSON.parse(text) as { data?: unknown; errors?: unknown[] };
  if (status !== 200 || body.errors || body.data == null)
    throw new Error(`${url} ${status}: ${text.slice(0, 500)}`);
  return { ms, bytes: text.length };
}
