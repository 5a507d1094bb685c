/**
 * `npm run bench:exports`: downloads of a long list (the actions), streamed through the API's own paged GraphQL
 * query, against the same rows written straight from SQL, in the same run.
 *
 * A server process (dist/apps/server, started as `npm start` starts it: package.json's `start`, heap options and all)
 * on a fresh database whose `actions` read model holds
 * BENCH_ROWS rows (default 1,000,000), written by SQL (the bench measures the download, not the projection). This
 * process downloads `/exports/actions.csv` and `/exports/actions.xlsx` as the central team (a bearer token),
 * sampling the server's resident memory (VmRSS, every 50 ms) all the while; then, as the baseline, writes the same
 * rows with the same writer (`@iap/tabular`: csv-stringify, exceljs's streaming writer) straight from a pg cursor
 * in this process. It prints rows/s, the ratio to the baseline, and peak resident memory (target: under 200 MB),
 * then one JSON line with every figure and the machine.
 *
 * The server's resident memory is reported idle (before the download) and at its peak: the download's own share is
 * the growth. The server's heap is sized by its start command (README, "Downloads and open data"); NODE_OPTIONS, if given, applies to
 * the server and to this process alike, and the JSON line says which. BENCH_ROWS (default 1,000,000),
 * BENCH_FORMATS (default "csv,xlsx"). DATABASE_URL: the PostgreSQL server to use (else an embedded one is started).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { Writable } from 'node:stream';
import pg from 'pg';
import Cursor from 'pg-cursor';
import { issueToken } from '@iap/auth';
import { type Column, type TabularFormat, writeTable } from '@iap/tabular';
import { createBenchDatabase, withBenchServer } from '../support/database.js';
import { benchServerEnv, startArguments, startServer } from '../support/server.js';
import { r1, ratio } from '../support/figures.js';
import { fmtInt, fmtRatio, log, runMain, table } from '../support/output.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const SECRET = randomBytes(32).toString('base64url');
const LIMIT_MIB = 200;
/** Which files to measure (BENCH_FORMATS, default "csv,xlsx"). */
const FORMATS = (process.env.BENCH_FORMATS ?? 'csv,xlsx')
  .split(',')
  .map((f) => f.trim())
  .filter((f): f is TabularFormat => f === 'csv' || f === 'xlsx');

/** Resident memory of a process (VmRSS of /proc/<pid>/status), MiB; sampled until stopped, keeping the peak. */
function rssSampler(pid: number): { stop(): { startMiB: number; peakMiB: number } } {
  const read = () => {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  };
  const startMiB = read();
  let peakMiB = startMiB;
  const timer = setInterval(() => (peakMiB = Math.max(peakMiB, read())), 50);
  return {
    stop() {
      clearInterval(timer);
      peakMiB = Math.max(peakMiB, read());
      return { startMiB: Math.round(startMiB), peakMiB: Math.round(peakMiB) };
    },
  };
}

/** A sink that counts bytes and lines. */
class Counter extends Writable {
  bytes = 0;
  lines = 0;
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void) {
    this.bytes += chunk.length;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) this.lines++;
    done();
  }
}

/** BENCH_ROWS actions of one area, written straight into the read model. */
async function seed(databaseUrl: string): Promise<void> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    await c.query(
      `INSERT INTO actions (id, area_code, title, description, status, themes, lead_partner_id,
        partner_ids, planned_start, planned_end, started_on, milestones, revision, created_at, updated_at)
      SELECT gen_random_uuid(), 'E06000008', 'Action number ' || i, '',
             (ARRAY['PLANNED','IN_PROGRESS','PAUSED','COMPLETED','CANCELLED'])[1 + i % 5],
             ARRAY['ENGLISH_LANGUAGE', 'SOCIAL_MIXING'], 'partner-1', '{}',
             date '2019-04-01' + (i % 730), date '2019-07-01' + (i % 730),
             CASE WHEN i % 5 > 0 THEN date '2019-04-01' + (i % 730) END,
             '[{"id": "m1", "title": "First", "dueDate": "2019-06-01", "reachedOn": null, "note": ""}]'::jsonb,
             0, now(), now()
        FROM generate_series(1, $1::int) AS i`,
      [ROWS],
    );
    await c.query('ANALYZE actions');
  } finally {
    await c.end();
  }
}

/** Downloads a file from the server, counting its bytes and rows (CSV: lines less the header). */
async function download(url: string, token: string, format: TabularFormat, pid: number) {
  const memory = rssSampler(pid);
  const started = performance.now();
  const res = await fetch(`${url}/exports/actions.${format}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (res.status !== 200)
    throw new Error(`/exports/actions.${format} answered ${res.status}: ${await res.text()}`);
  const counter = new Counter();
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>)
    counter.write(Buffer.from(chunk));
  const seconds = (performance.now() - started) / 1000;
  return {
    seconds,
    bytes: counter.bytes,
    rows: format === 'csv' ? counter.lines - 1 : ROWS,
    memory: memory.stop(),
  };
}

type Row = Record<string, unknown>;
/** The same columns the download writes (apps/web/src/exports/export-lists.ts), from the table's own names. */
const COLUMNS: Column<Row>[] = [
  ['Action id', 'id'],
  ['Area code', 'area_code'],
  ['Title', 'title'],
  ['Status', 'status'],
  ['Themes', 'themes'],
  ['Planned start', 'planned_start'],
  ['Planned end', 'planned_end'],
  ['Started on', 'started_on'],
  ['Completed on', 'completed_on'],
  ['Cancelled on', 'cancelled_on'],
  ['Milestones', 'milestones'],
  ['Milestones reached', 'reached'],
  ['Created at', 'created_at'],
  ['Updated at', 'updated_at'],
].map(([header, key]) => ({
  header: header!,
  value: (r: Row) =>
    Array.isArray(r[key!]) ? (r[key!] as string[]).join('; ') : (r[key!] as string | number | null),
}));

/** The baseline: the same rows from a pg cursor, by the same writer, in this process. */
async function fromSql(databaseUrl: string, format: TabularFormat) {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  const memory = rssSampler(process.pid);
  const started = performance.now();
  try {
    const cursor = c.query(
      new Cursor(`SELECT id, area_code, title, status, themes, planned_start::text, planned_end::text,
          started_on::text, completed_on::text, cancelled_on::text, jsonb_array_length(milestones) AS milestones,
          (SELECT count(*) FROM jsonb_array_elements(milestones) m WHERE m->>'reachedOn' IS NOT NULL)::int AS reached,
          created_at, updated_at
        FROM actions ORDER BY planned_start, id`),
    );
    async function* rows(): AsyncIterable<Row> {
      for (;;) {
        const batch = (await cursor.read(1000)) as Row[];
        if (batch.length === 0) return;
        yield* batch;
      }
    }
    const counter = new Counter();
    const n = await writeTable(format, rows(), COLUMNS, counter);
    await cursor.close();
    return {
      seconds: (performance.now() - started) / 1000,
      bytes: counter.bytes,
      rows: n,
      memory: memory.stop(),
    };
  } finally {
    await c.end();
  }
}

runMain(async () => {
  const loadAtStart = os.loadavg()[0]!;
  await withBenchServer('iap-bench-exports-', async (server) => {
    const databaseUrl = await createBenchDatabase(server, `iap_bench_exports_${Date.now()}`);
    const env = benchServerEnv(databaseUrl, SECRET);
    const { url, child } = await startServer(env, 120);
    server.onCleanup(async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    });
    log(`Writing ${fmtInt(ROWS)} actions into the read model ...`);
    await seed(databaseUrl);
    const token = issueToken(
      SECRET,
      { sub: 'bench', role: 'CENTRAL', name: 'Bench' },
      { expiresInSeconds: 7200 },
    );
    const results = [];
    for (const format of FORMATS) {
      log(`Downloading /exports/actions.${format} ...`);
      const exported = await download(url, token, format, child.pid!);
      if (exported.rows !== ROWS)
        throw new Error(`the ${format} download held ${exported.rows} rows, not ${ROWS}`);
      log(`Writing the same rows as ${format} straight from SQL ...`);
      const baseline = await fromSql(databaseUrl, format);
      results.push({ format, exported, baseline });
    }
    const perSec = (r: { rows: number; seconds: number }) => Math.round(r.rows / r.seconds);
    const rows = [
      [
        'format',
        'download rows/s',
        'server RSS MiB (idle → peak, growth)',
        'from SQL rows/s',
        'RSS MiB (start → peak)',
        'ratio',
        'file MiB',
      ],
      ...results.map((r) => [
        r.format,
        fmtInt(perSec(r.exported)),
        `${r.exported.memory.startMiB} → ${r.exported.memory.peakMiB}, +${r.exported.memory.peakMiB - r.exported.memory.startMiB}`,
        fmtInt(perSec(r.baseline)),
        `${r.baseline.memory.startMiB} → ${r.baseline.memory.peakMiB}`,
        fmtRatio(ratio(perSec(r.exported), perSec(r.baseline))),
        String(r1(r.exported.bytes / 1048576)),
      ]),
    ];
    process.stdout.write(
      `\nDownloads of ${fmtInt(ROWS)} actions through the API's paged query, against the same rows written straight from SQL (target: server peak RSS < ${LIMIT_MIB} MiB)\n\n${table(rows)}\n\n`,
    );
    process.stdout.write(
      `${JSON.stringify({
        bench: 'exports',
        rows: ROWS,
        node: process.version,
        // A heap cap (--max-old-space-size) given to the server and this process changes the peaks: say which.
        nodeOptions: process.env.NODE_OPTIONS ?? null,
        serverStart: ['node', ...startArguments()].join(' '),
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model,
        postgresEmbedded: server.embedded,
        loadAvg1mAtStart: loadAtStart,
        loadAvg1mAtEnd: os.loadavg()[0],
        results: results.map((r) => ({
          format: r.format,
          download: { ...r.exported, rowsPerSec: perSec(r.exported) },
          fromSql: { ...r.baseline, rowsPerSec: perSec(r.baseline) },
          ratio: ratio(perSec(r.exported), perSec(r.baseline)),
          serverGrowthMiB: r.exported.memory.peakMiB - r.exported.memory.startMiB,
          underLimit: r.exported.memory.peakMiB < LIMIT_MIB,
        })),
      })}\n`,
    );
  });
});
