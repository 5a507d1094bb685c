import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { issueToken } from '@iap/auth';
import { type EmbeddedDatabase, freePort, startEmbeddedPostgres } from '@iap/database';
import { buildServer, startServer, type ServerProcess } from '../support/built-server.js';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A request answered later than this during a fault counts as hanging. */
const ANSWER_BOUND_MS = 5000;
/** Service must resume by itself within this after each fault ends. */
const RESUME_BOUND_MS = 10_000;

interface Outcome {
  readonly at: number;
  readonly ms: number;
  readonly instance: number;
  readonly kind: 'write' | 'read';
  /** HTTP status, or 0 when the connection failed (the instance was killed). */
  readonly status: number;
  readonly codes: string[];
  readonly retryAfter: string | null;
}

/**
 * Faults survived, measured: two server processes on their own embedded PostgreSQL (on loopback), a mixed load
 * of reads and writes from several clients, and while it runs: PostgreSQL restarted (fast shutdown, start),
 * the server's connections terminated mid-batch and mid-append, a statement holding a lock for seconds, and the
 * leading instance killed with SIGKILL. After each: every acknowledged write is in the log exactly once, the
 * read models hold exactly the log, requests during the fault were answered quickly (200, or 503 UNAVAILABLE
 * with Retry-After), and service resumed by itself; at the end every read model equals a rebuild from the log.
 * A failure shows each instance's state and last lines of output (an instance that exits by itself fails).
 */
describe('faults survived: two instances on one PostgreSQL under load', () => {
  let build: Awaited<ReturnType<typeof buildServer>>;
  let dir: string;
  let db: EmbeddedDatabase | undefined;
  let admin: pg.Client | undefined;
  /** The instances the load goes to (null: killed by the suite), and every one started (for diagnostics). */
  const servers: (ServerProcess | null)[] = [];
  const started: ServerProcess[] = [];
  /** Instances that ended without the suite killing them. */
  const unexpectedExits: string[] = [];
  const suiteStarted = Date.now();
  const figures: string[] = [];
  const secret = 'fault-suite-secret-long-enough-for-hs256-012345';
  const authorization = `Bearer ${issueToken(secret, { sub: 'fault-suite', role: 'CENTRAL', name: 'Fault suite' }, { expiresInSeconds: 3600 })}`;
  let env: NodeJS.ProcessEnv;

  async function startDatabase(port?: number): Promise<EmbeddedDatabase> {
    return startEmbeddedPostgres({
      dataDir: path.join(dir, 'pg'),
      port,
      postgresFlags: ['-c', 'fsync=off', '-c', 'max_connections=100'],
    });
  }

  async function connectAdmin(): Promise<void> {
    await admin?.end().catch(() => undefined);
    admin = new pg.Client({ connectionString: db!.url });
    admin.on('error', () => undefined);
    await admin.connect();
  }

  beforeAll(async () => {
    build = await buildServer();
    dir = await mkdtemp(path.join(os.tmpdir(), 'iap-faults-'));
    db = await startDatabase();
    await connectAdmin();
    env = { ...process.env };
    delete env.EVENTSTORE_CONNECTION_STRING;
    Object.assign(env, {
      DATABASE_URL: db.url,
      JWT_SECRET: secret,
      NODE_ENV: 'test',
      // Warnings too: a lost connection is logged as one, and a failure prints an instance's last lines.
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
      RATE_LIMIT_MAX: '1000000',
      READ_YOUR_WRITES_WAIT_MS: '2000',
      DATABASE_CONNECT_TIMEOUT_MS: '1000',
      DATABASE_LOCK_TIMEOUT_MS: '1000',
      DATABASE_STATEMENT_TIMEOUT_MS: '4000',
    });
    // One after the other: the first migrates the empty database.
    for (let i = 0; i < 2; i++) {
      const server = await startServer(build.main, env, await freePort());
      servers.push(server);
      started.push(server);
      server.child.once('exit', (code, signal) => {
        if (servers[i] === server)
          unexpectedExits.push(
            `instance ${i} exited by itself ${Date.now() - suiteStarted} ms into the suite (code ${code}, signal ${signal})`,
          );
      });
    }
  }, 600_000);

  /** Runs a test's body; a failure carries each instance's state and its last lines of output. */
  async function diagnosed(body: () => Promise<void>): Promise<void> {
    try {
      await body();
      // An instance that died by itself fails the test it died in, even when the load did not notice.
      expect(unexpectedExits).toEqual([]);
    } catch (err) {
      const notes = await Promise.all(
        started.map(async (s, i) => {
          const answering = s.exited() === null && (await answers(s));
          const killed = servers[i] === null ? ' (killed by the suite)' : '';
          return `instance ${i}${killed}, ${answering ? 'answering' : 'NOT answering'}: ${s.describe(60)}`;
        }),
      );
      const text = `\n\n${[...unexpectedExits, ...notes].join('\n\n')}`;
      if (err instanceof Error) {
        err.message += text;
        if (err.stack) err.stack += text;
      }
      throw err;
    }
  }

  /** `it`, whose failure message shows each instance's state and last lines of output. */
  function itShowingServers(name: string, body: () => Promise<void>, timeoutMs: number): void {
    it(name, () => diagnosed(body), timeoutMs);
  }

  async function answers(s: ServerProcess): Promise<boolean> {
    try {
      const res = await fetch(`${s.url}/health/live`, { signal: AbortSignal.timeout(2000) });
      return res.status < 500;
    } catch {
      return false;
    }
  }

  afterAll(async () => {
    for (const s of servers) {
      if (s && s.child.exitCode === null) {
        try {
          process.kill(-s.child.pid!, 'SIGKILL');
        } catch {
          // gone
        }
      }
    }
    await admin?.end().catch(() => undefined);
    await db?.stop();
    await build?.remove();
    if (dir) await rm(dir, { recursive: true, force: true });
    if (figures.length > 0)
      process.stdout.write(`\nFault suite figures (this machine):\n${figures.join('\n')}\n`);
  });

  async function post(instance: number, body: unknown): Promise<Outcome & { data?: unknown }> {
    const started = Date.now();
    const kind = JSON.stringify(body).includes('mutation') ? 'write' : 'read';
    try {
      const res = await fetch(`${servers[instance]!.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
      const json = (await res.json().catch(() => ({}))) as {
        data?: unknown;
        errors?: { extensions?: { code?: string } }[];
      };
      return {
        at: started,
        ms: Date.now() - started,
        instance,
        kind,
        status: res.status,
        codes: (json.errors ?? []).map((e) => e.extensions?.code ?? '?'),
        retryAfter: res.headers.get('retry-after'),
        data: json.data,
      };
    } catch {
      return {
        at: started,
        ms: Date.now() - started,
        instance,
        kind,
        status: 0,
        codes: [],
        retryAfter: null,
      };
    }
  }

  let nextCode = 1;
  const acknowledged = new Set<string>();

  function register(instance: number) {
    const code = `E09${String(nextCode++).padStart(6, '0')}`;
    return post(instance, {
      query: 'mutation($i: RegisterAreaInput!) { registerArea(input: $i) { code } }',
      variables: {
        i: { code, name: `Council ${code}`, kind: 'NON_PILOT', region: 'London', commandId: randomUUID() },
      },
    }).then((o) => {
      const data = o.data as { registerArea?: { code: string } } | undefined;
      if (o.status === 200 && data?.registerArea?.code === code) acknowledged.add(code);
      return o;
    });
  }

  const READS = [
    '{ areas { code name } }',
    '{ comparePilots(year: "2019-20") { areaName allocatedPence spentPence } }',
    '{ programmeSummary(year: "2019-20") { allocatedPence } }',
  ];

  /** Several clients, each sending a read or a write to either live instance, one after another. */
  function startLoad(clients = 4): { outcomes: Outcome[]; stop(): Promise<void> } {
    const outcomes: Outcome[] = [];
    let running = true;
    const loops = Array.from({ length: clients }, async (_, c) => {
      let n = c;
      while (running) {
        const live = servers.map((s, i) => (s ? i : -1)).filter((i) => i >= 0);
        const instance = live[n % live.length];
        const o =
          n % 3 === 0 ? await register(instance) : await post(instance, { query: READS[n % READS.length] });
        outcomes.push(o);
        n++;
        if (o.status !== 200) await sleep(50);
      }
    });
    return {
      outcomes,
      async stop() {
        running = false;
        await Promise.all(loops);
      },
    };
  }

  /** Resolves with the instant every live instance answers a read and a write again. */
  async function untilServing(since: number): Promise<number> {
    let last = '';
    for (;;) {
      let ok = true;
      for (let i = 0; i < servers.length && ok; i++) {
        if (!servers[i]) continue;
        const read = await post(i, { query: READS[0] });
        const write = read.status === 200 ? await register(i) : null;
        ok = read.status === 200 && write?.status === 200 && write.codes.length === 0;
        if (!ok)
          last = `instance ${i}: read ${read.status || 'not answered'}${write ? `, write ${write.status} ${write.codes.join(' ')}` : ''}`;
      }
      if (ok) return Date.now();
      if (Date.now() - since > 60_000) throw new Error(`service did not resume within 60 s (last: ${last})`);
      await sleep(100);
    }
  }

  /** Every acknowledged registration in the log exactly once; the areas read model holds exactly the log. */
  async function checkLogAndReadModel(): Promise<void> {
    const logged = (
      await admin!.query<{ code: string }>(
        `SELECT data->>'code' AS code FROM es_events WHERE event_type = 'AreaRegistered'`,
      )
    ).rows.map((r) => r.code);
    const counts = new Map<string, number>();
    for (const code of logged) counts.set(code, (counts.get(code) ?? 0) + 1);
    for (const code of acknowledged) expect(counts.get(code)).toBe(1);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    let projected: string[] = [];
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      projected = (await admin!.query<{ code: string }>('SELECT code FROM areas')).rows.map((r) => r.code);
      if (projected.length === logged.length) break;
      await sleep(100);
    }
    expect(projected.sort()).toEqual([...logged].sort());
  }

  /**
   * Runs `fault` under load; `fault` resolves when the fault is over. Checks the answers given meanwhile and
   * measures how long after the fault service resumed.
   */
  async function underLoad(
    name: string,
    fault: () => Promise<void>,
    allowNetworkErrorsFrom: number[] = [],
  ): Promise<{ resumedMs: number; during: Outcome[] }> {
    const load = startLoad();
    let began: number, ended: number, resumedAt: number;
    try {
      await sleep(800);
      began = Date.now();
      await fault();
      ended = Date.now();
      resumedAt = await untilServing(ended);
      await sleep(300);
    } finally {
      // Stopped whatever happened: a load left running would go on writing through the next tests.
      await load.stop();
    }

    const during = load.outcomes.filter((o) => o.at >= began - 100 && o.at <= resumedAt);
    const refused = during.filter((o) => o.status === 503);
    for (const o of during) {
      if (o.status === 0) {
        expect(allowNetworkErrorsFrom).toContain(o.instance);
        continue;
      }
      // Answered quickly: success, or 503 UNAVAILABLE with Retry-After; never a hang or an internal error.
      expect(o.ms).toBeLessThan(ANSWER_BOUND_MS);
      expect([200, 503]).toContain(o.status);
      if (o.status === 503) {
        expect(o.codes).toContain('UNAVAILABLE');
        expect(o.retryAfter).toBe('1');
      } else {
        expect(o.codes).toEqual([]);
      }
    }
    const resumedMs = resumedAt - ended;
    expect(resumedMs).toBeLessThan(RESUME_BOUND_MS);
    await checkLogAndReadModel();
    const slowest = Math.max(0, ...during.filter((o) => o.status !== 0).map((o) => o.ms));
    figures.push(
      `  ${name}: fault ${ended - began} ms; service resumed ${resumedMs} ms after it; ` +
        `${during.length} requests meanwhile (${refused.length} answered 503 UNAVAILABLE, slowest answer ${slowest} ms)`,
    );
    return { resumedMs, during };
  }

  itShowingServers(
    'restarts of PostgreSQL (fast shutdown, start)',
    async () => {
      await underLoad('PostgreSQL restart', async () => {
        const port = db!.port;
        await db!.stop();
        await sleep(1000);
        db = await startDatabase(port);
        await connectAdmin();
      });
    },
    180_000,
  );

  itShowingServers(
    'terminates the servers’ connections mid-batch and mid-append',
    async () => {
      await underLoad('pg_terminate_backend ×3', async () => {
        for (let i = 0; i < 3; i++) {
          await admin!.query(
            `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
          );
          await sleep(300);
        }
      });
    },
    180_000,
  );

  itShowingServers(
    'terminates the projection-leadership and LISTEN sessions: each instance reconnects and every projection is led again',
    async () => {
      let ledAgainMs = 0;
      await underLoad('leadership and LISTEN sessions terminated', async () => {
        const sessions = `datname = current_database() AND backend_type = 'client backend'
          AND (application_name = 'iap-projection-leadership' OR query LIKE 'LISTEN %')`;
        const terminated = (
          await admin!.query<{ pid: number }>(
            `SELECT pid, pg_terminate_backend(pid) FROM pg_stat_activity WHERE ${sessions}`,
          )
        ).rows.map((r) => r.pid);
        // Both instances' lock sessions, and at least the leader's LISTEN connection for its subscriptions.
        expect(terminated.length).toBeGreaterThanOrEqual(3);
        const at = Date.now();
        for (;;) {
          // New sessions (both lock sessions, a LISTEN), and every projection led by exactly one instance.
          const { rows } = await admin!.query<{ leadership: number; listen: number }>(
            `SELECT count(*) FILTER (WHERE application_name = 'iap-projection-leadership')::int AS leadership,
                    count(*) FILTER (WHERE application_name <> 'iap-projection-leadership')::int AS listen
               FROM pg_stat_activity WHERE ${sessions} AND pid <> ALL($1::int[])`,
            [terminated],
          );
          const led = await Promise.all(servers.map((_, i) => leadership(i)));
          const names = [...led[0].keys()];
          const once = names.every((n) => led.filter((l) => l.get(n)).length === 1);
          if (rows[0].leadership === 2 && rows[0].listen >= 1 && names.length > 0 && once) break;
          if (Date.now() - at > 5000)
            throw new Error(
              `not reconnected and led again within 5 s: ${JSON.stringify({ sessions: rows[0], led: led.map((l) => [...l]) })}`,
            );
          await sleep(50);
        }
        ledAgainMs = Date.now() - at;
      });
      figures.push(
        `  every projection led again, by one instance, after its sessions were terminated: ${ledAgainMs} ms`,
      );
    },
    180_000,
  );

  itShowingServers(
    'a statement holding a lock on a read model for seconds',
    async () => {
      let probes: Outcome[] = [];
      await underLoad('lock held 3 s', async () => {
        await admin!.query('BEGIN');
        await admin!.query('LOCK TABLE areas IN ACCESS EXCLUSIVE MODE');
        // A read the read-model cache cannot answer (an area asked for the first time) must read the locked table:
        // the load's reads may all be answered from the cache, as the areas projection waits on the lock too.
        const probing = Promise.all(
          servers.map((_, i) => post(i, { query: `{ area(code: "E09${900_000 + i}") { name } }` })),
        );
        await sleep(3000);
        await admin!.query('COMMIT');
        probes = await probing;
      });
      // Refused at the lock timeout (1 s here) rather than waiting the lock out.
      expect(probes.map((o) => [o.status, o.codes, o.retryAfter])).toEqual(
        servers.map(() => [503, ['UNAVAILABLE'], '1']),
      );
      expect(Math.max(...probes.map((o) => o.ms))).toBeLessThan(ANSWER_BOUND_MS);
    },
    180_000,
  );

  itShowingServers(
    'SIGKILL of the instance leading the projections: the other takes over',
    async () => {
      const leader = await leaderOf('areas');
      const other = 1 - leader;
      let takeoverMs = 0;
      await underLoad(
        'SIGKILL of the leader',
        async () => {
          const killedAt = Date.now();
          process.kill(-servers[leader]!.child.pid!, 'SIGKILL');
          servers[leader] = null;
          for (;;) {
            const led = await leadership(other);
            if (led.size > 0 && [...led.values()].every(Boolean)) break;
            if (Date.now() - killedAt > 20_000) throw new Error('no takeover within 20 s');
            await sleep(50);
          }
          takeoverMs = Date.now() - killedAt;
        },
        [leader],
      );
      figures.push(`  takeover of every projection after SIGKILL of the leader: ${takeoverMs} ms`);
      expect(takeoverMs).toBeLessThan(5000);
    },
    180_000,
  );

  itShowingServers(
    'serves /metrics to this machine, and every read model equals a rebuild from the log',
    async () => {
      const survivor = servers.findIndex((s) => s !== null);
      const text = await (await fetch(`${servers[survivor]!.url}/metrics`)).text();
      for (const name of [
        'iap_graphql_request_duration_seconds_bucket{le="0.1",operation="query areas",status="200"}',
        'iap_graphql_errors_total{code="UNAVAILABLE"}',
        'iap_events_appended_total',
        'iap_projection_lag_events{projection="areas"}',
        'iap_projection_lag_seconds{projection="areas"}',
        'iap_db_pool_connections{pool="read_models",state="total"}',
        'iap_as_of_snapshots_open',
        'process_resident_memory_bytes',
      ])
        expect(text).toContain(name);

      // Caught up, then every read-model table compared with what a rebuild from the log makes of it.
      await untilReady(survivor);
      const before = await tableDigests();
      await run(
        process.execPath,
        [path.join(build.dir, 'apps', 'cli', 'src', 'main.js'), 'projections:rebuild', '--all'],
        {
          env: { ...env, LOG_LEVEL: 'error' },
          cwd: path.resolve(import.meta.dirname ?? '.', '../..'),
        },
      );
      const after = await tableDigests();
      expect(Object.keys(before).length).toBeGreaterThan(10);
      expect(after).toEqual(before);
    },
    300_000,
  );

  async function leadership(instance: number): Promise<Map<string, boolean>> {
    const led = new Map<string, boolean>();
    try {
      const text = await (await fetch(`${servers[instance]!.url}/metrics`)).text();
      for (const m of text.matchAll(/^iap_projection_leader\{projection="([^"]+)"\} (\d)/gm))
        led.set(m[1], m[2] === '1');
    } catch {
      // not answering
    }
    return led;
  }

  async function leaderOf(projection: string): Promise<number> {
    for (let i = 0; i < servers.length; i++) if ((await leadership(i)).get(projection)) return i;
    throw new Error(`no instance leads ${projection}`);
  }

  async function untilReady(instance: number): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const res = await fetch(`${servers[instance]!.url}/health/ready`);
      const body = (await res.json()) as { projections?: { lagEvents: number }[] };
      if (res.status === 200 && body.projections?.every((p) => p.lagEvents === 0)) return;
      await sleep(100);
    }
    throw new Error('the projections did not catch up within 30 s');
  }

  /** A digest of each read-model table's rows (order-independent). */
  async function tableDigests(): Promise<Record<string, string>> {
    const tables = (
      await admin!.query<{ name: string }>(
        `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'
          AND tablename NOT LIKE 'es\\_%' AND tablename NOT IN ('projection_checkpoints', 'migrations')
          ORDER BY 1`,
      )
    ).rows.map((r) => r.name);
    const digests: Record<string, string> = {};
    for (const t of tables) {
      const [row] = (
        await admin!.query<{ d: string }>(
          `SELECT count(*) || ':' || coalesce(md5(string_agg(r::text, '|' ORDER BY r::text)), '') AS d FROM "${t}" r`,
        )
      ).rows;
      digests[t] = row.d;
    }
    return digests;
  }
});
