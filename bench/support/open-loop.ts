/**
 * An open-loop load generator: requests are sent at random (Poisson) times at a set mean rate, whatever the server
 * does, and each one's latency is measured from the moment it was due to be sent, so a stalled server (or a queue
 * for a connection) counts in full against the figures, as a user would feel it.
 *
 * Why not autocannon's rate mode, which the load bench used first: each autocannon connection sends its share of a
 * second back to back as the second starts, then waits (every operation's connections together: a burst of the
 * whole second's requests at each second), and it corrects for coordinated omission with an expected interval of
 * `ceil(1 / rate)` = 1 ms, adding a synthetic sample for each millisecond a response took beyond 1 ms: a 100 ms
 * answer counted 100 times. Both inflate p50 and p99 far beyond what requests arriving steadily meet.
 */
import http from 'node:http';

/** One request to send. */
export interface OpenLoopRequest {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export interface OpenLoopOptions {
  /** Mean requests per second. */
  readonly rate: number;
  readonly seconds: number;
  /** The n-th request (n from 0). */
  readonly request: (n: number) => OpenLoopRequest;
  /** Called with each 200 answer's body: returns an error's text when the answer is a failure, else undefined. */
  readonly failure?: (body: string) => string | undefined;
  /** A request not answered within this long counts as an error (default 30 s). */
  readonly timeoutMs?: number;
  /** Sockets kept open per origin (default 64): more requests than that at once wait for one. */
  readonly maxSockets?: number;
  /** The random numbers the arrival times are drawn from (default Math.random). */
  readonly random?: () => number;
}

export interface OpenLoopResult {
  /** Requests sent. */
  readonly requests: number;
  readonly non2xx: number;
  /** Connections refused or reset. */
  readonly connectionErrors: number;
  readonly timeouts: number;
  /** 200 answers `failure` named. */
  readonly failures: number;
  /** The first few failures' texts. */
  readonly firstFailures: readonly string[];
  /** Latency of each answered request, from when it was due, in milliseconds, sorted. */
  readonly latenciesMs: readonly number[];
}

/** The q-quantile (0..1) of sorted values (nearest rank), or 0 when there are none. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** Runs one open-loop load and resolves once every request sent has been answered or has timed out. */
export async function openLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const random = options.random ?? Math.random;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 64 });
  const latencies: number[] = [];
  const firstFailures: string[] = [];
  let requests = 0;
  let non2xx = 0;
  let connectionErrors = 0;
  let timeouts = 0;
  let failures = 0;
  const inFlight = new Set<Promise<void>>();

  const send = (due: number, n: number): Promise<void> =>
    new Promise<void>((resolve) => {
      const r = options.request(n);
      const req = http.request(
        r.url,
        {
          method: 'POST',
          agent,
          headers: { ...r.headers, 'content-length': Buffer.byteLength(r.body) },
          timeout: timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            latencies.push(performance.now() - due);
            if (res.statusCode !== 200) non2xx++;
            else {
              const failed = options.failure?.(Buffer.concat(chunks).toString('utf8'));
              if (failed !== undefined) {
                failures++;
                if (firstFailures.length < 3) firstFailures.push(failed);
              }
            }
            resolve();
          });
          res.on('error', () => {
            connectionErrors++;
            resolve();
          });
        },
      );
      req.on('timeout', () => {
        timeouts++;
        req.destroy(new Error('timed out'));
      });
      req.on('error', (err) => {
        if (err.message !== 'timed out') connectionErrors++;
        resolve();
      });
      req.end(r.body);
    });

  const start = performance.now();
  const end = start + options.seconds * 1000;
  let due = start;
  try {
    for (;;) {
      due += (-Math.log(1 - random()) / options.rate) * 1000; // exponential gaps: Poisson arrivals
      if (due >= end) break;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      const p = send(due, requests++);
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
    }
    await Promise.all(inFlight);
  } finally {
    agent.destroy();
  }
  latencies.sort((a, b) => a - b);
  return {
    requests,
    non2xx,
    connectionErrors,
    timeouts,
    failures,
    firstFailures,
    latenciesMs: latencies,
  };
}
