/**
 * `npm run bench:web`: the web pages under load against the GraphQL requests that fetch the same data, in the
 * same run, on the demo programme.
 *
 * A server process (dist/apps/server, as `npm start` runs it) on a fresh database with the demo programme loaded
 * (`cli seed:demo`); this process drives it with autocannon, one target at a time: each page as the signed-in
 * person (a session cookie from the demo sign-in), then the GraphQL request(s) the page runs, as the same person
 * (a bearer token). It prints pages/s, p50 and p99 of each, the ratio pages/GraphQL (target at least 0.7), and
 * each page's HTML size (target under 100 KB), then one JSON line with every figure and the machine.
 *
 * BENCH_SECONDS (default 20; 5 with CI set), BENCH_CONNECTIONS (default 20). DATABASE_URL: the PostgreSQL
 * server to use (else an embedded one is started).
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { issueToken } from '@iap/auth';
import { autocannon } from '../support/autocannon.js';
import { createBenchDatabase, withBenchServer } from '../support/database.js';
import { seedDemo } from '../support/demo.js';
import { benchServerEnv, startServer } from '../support/server.js';
import { r1, ratio } from '../support/figures.js';
import { fmtRatio, log, runMain, table } from '../support/output.js';
import { WEB_TARGETS, type WebTarget } from './targets.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? (process.env.CI ? 5 : 20));
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const SECRET = randomBytes(32).toString('base64url');

interface Figures {
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

async function hammer(opts: Record<string, unknown>): Promise<Figures> {
  const r = await autocannon({ connections: CONNECTIONS, duration: SECONDS, ...opts });
  return {
    requestsPerSec: r1(r.requests.total / r.duration),
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
  };
}

/** Signs in on the demo page as `subject`; answers the session cookie. */
async function signIn(url: string, subject: string): Promise<string> {
  const first = await fetch(`${url}/sign-in`);
  const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0]!;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await first.text())?.[1];
  if (!csrf) throw new Error('no CSRF token on the sign-in page');
  const res = await fetch(`${url}/sign-in/demo`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams({ _csrf: csrf, person: subject, returnTo: '/' }).toString(),
  });
  if (res.status !== 303) throw new Error(`demo sign-in answered ${res.status}`);
  return (res.headers.get('set-cookie') ?? cookie).split(';')[0]!;
}

async function measure(url: string, target: WebTarget) {
  let cookie = await signIn(url, target.person.subject);
  const token = issueToken(
    SECRET,
    {
      sub: target.person.subject,
      role: target.person.role,
      ...(target.person.area ? { area: target.person.area } : {}),
      name: target.person.name,
    },
    { expiresInSeconds: 3600 },
  );
  const page = await fetch(`${url}${target.path}`, { headers: { cookie } });
  const html = await page.text();
  if (page.status !== 200) throw new Error(`${target.path} answered ${page.status}`);
  // As a browser does: keep the cookie the first page renews (it adds the session's CSRF secret), else every
  // request of the run would make a new secret and send a new cookie.
  cookie = page.headers.get('set-cookie')?.split(';')[0] ?? cookie;
  for (const request of target.graphql) {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(request),
    });
    const body = (await res.json()) as { errors?: unknown[] };
    if (body.errors)
      throw new Error(`${target.name}'s GraphQL request failed: ${JSON.stringify(body.errors)}`);
  }
  log(`${target.name}: the page, ${SECONDS} s at ${CONNECTIONS} connections ...`);
  const pages = await hammer({ url: `${url}${target.path}`, headers: { cookie } });
  log(`${target.name}: its GraphQL request(s) ...`);
  const graphql = await hammer({
    url: `${url}/graphql`,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    requests: target.graphql.map((r) => ({ body: JSON.stringify(r) })),
  });
  // A page runs all its requests: compare pages/s with the rate of whole sets of GraphQL requests.
  const sets = r1(graphql.requestsPerSec / target.graphql.length);
  return {
    name: target.name,
    path: target.path,
    htmlBytes: Buffer.byteLength(html),
    pages,
    graphql,
    graphqlSetsPerSec: sets,
  };
}

runMain(async () => {
  const loadAtStart = os.loadavg()[0]!;
  await withBenchServer('iap-bench-web-', async (server) => {
    const name = `iap_bench_web_${Date.now()}`;
    const databaseUrl = await createBenchDatabase(server, name);
    const env = benchServerEnv(databaseUrl, SECRET);
    log('Loading the demo programme ...');
    await seedDemo(env);
    const { url, child } = await startServer(env);
    server.onCleanup(async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    });
    const results = [];
    for (const target of WEB_TARGETS) results.push(await measure(url, target));
    const rows = [
      [
        'target',
        'pages/s',
        'p50 ms',
        'p99 ms',
        'GraphQL sets/s',
        'p50 ms',
        'p99 ms',
        'ratio',
        'HTML KB',
        'errors',
      ],
      ...results.map((r) => [
        `${r.name} (${r.path})`,
        String(r.pages.requestsPerSec),
        String(r.pages.p50Ms),
        String(r.pages.p99Ms),
        String(r.graphqlSetsPerSec),
        String(r.graphql.p50Ms),
        String(r.graphql.p99Ms),
        fmtRatio(ratio(r.pages.requestsPerSec, r.graphqlSetsPerSec)),
        String(r1(r.htmlBytes / 1024)),
        String(r.pages.non2xx + r.pages.errors + r.graphql.non2xx + r.graphql.errors),
      ]),
    ];
    process.stdout.write(
      `\nWeb pages against their GraphQL requests: ${SECONDS} s each at ${CONNECTIONS} connections (targets: ratio >= 0.7, page p99 < 100 ms, HTML < 100 KB)\n\n${table(rows)}\n\n`,
    );
    process.stdout.write(
      `${JSON.stringify({
        bench: 'web',
        seconds: SECONDS,
        connections: CONNECTIONS,
        node: process.version,
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model,
        postgresEmbedded: server.embedded,
        loadAvg1mAtStart: loadAtStart,
        loadAvg1mAtEnd: os.loadavg()[0],
        results: results.map((r) => ({
          ...r,
          ratio: ratio(r.pages.requestsPerSec, r.graphqlSetsPerSec),
        })),
      })}\n`,
    );
  });
});
