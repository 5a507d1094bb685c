/**
 * `npm run bench:backup`: events:export and events:import at two sizes of log, against raw baselines run in the
 * same process, and the append rate one PostgreSQL server takes through the product's event store.
 *
 * For each size (BENCH_EVENTS, default 400,000, and a quarter of it): a synthetic log (events of ~420 bytes of
 * JSON, streams of 40, metadata as the product writes it) is loaded with batched INSERTs (the import's baseline:
 * the same statement shape without reading or checking a file); exported to a file (baseline: reading the same
 * rows through a cursor and discarding them); imported into a fresh database. Figures: events/s, the ratio to
 * the baseline, bytes per event on disk and in the file, and the process's resident memory during each phase
 * (flat from one size to the next when memory is constant). Then appends: 8 writers appending one event at a
 * time with exact expected revisions for BENCH_APPEND_SECONDS (default 10).
 *
 * Database: `DATABASE_URL` if set, else an embedded PostgreSQL (default durability). Progress to stderr; the table
 * and one line of JSON to stdout.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import Cursor from 'pg-cursor';
import { EVENT_STORE_SCHEMA_UP, PostgresEventStore, exportEventLog, importEventLog } from '@iap/event-store';
import { createBenchDatabase, serverFacts, withBenchServer } from './support/database.js';
import { r1 } from './support/figures.js';
import { machineSummary } from './support/machine.js';
import { fmtInt, fmtRatio, log, runMain, table } from './support/output.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 400_000);
const APPEND_SECONDS = Number(process.env.BENCH_APPEND_SECONDS ?? 10);
const STREAM_LENGTH = 40;
const BATCH = 2000;
const DATA_BYTES = 420;

/** Peak RSS (MiB) while `work` runs, sampled every 100 ms. */
async function measured<T>(
  work: () => Promise<T>,
): Promise<{ value: T; seconds: number; peakRssMiB: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  const started = performance.now();
  try {
    const value = await work();
    return { value, seconds: (performance.now() - started) / 1000, peakRssMiB: Math.round(peak / 1048576) };
  } finally {
    clearInterval(timer);
  }
}

async function freshStore(server: Parameters<Parameters<typeof withBenchServer>[1]>[0], name: string) {
  const url = await createBenchDatabase(server, name);
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  for (const sql of EVENT_STORE_SCHEMA_UP) await pool.query(sql);
  return pool;
}

/** The synthetic log, loaded with batched INSERTs of the import's shape: the import's baseline. */
async function populate(pool: pg.Pool, events: number): Promise<void> {
  const filler = randomBytes(DATA_BYTES)
    .toString('base64')
    .slice(0, DATA_BYTES - 120);
  for (let from = 0; from < events; from += BATCH) {
    const n = Math.min(BATCH, events - from);
    const rows = Array.from({ length: n }, (_, i) => {
      const k = from + i;
      return {
        stream: `funding-B${String(Math.floor(k / STREAM_LENGTH)).padStart(7, '0')}`,
        revision: String(k % STREAM_LENGTH),
        id: randomUUID(),
        data: JSON.stringify({ areaCode: 'E06000008', year: '2019-20', amountPence: k * 100, note: filler }),
        meta: JSON.stringify({
          actor: { subject: 'bench', role: 'PILOT', area: 'E06000008' },
          correlationId: randomUUID(),
          schemaVersion: 1,
        }),
      };
    });
    await pool.query(
      `INSERT INTO es_events (stream_id, revision, event_id, event_type, data, metadata, recorded_at)
       SELECT s, r, i, 'SpendReported', d, m, clock_timestamp()
         FROM unnest($1::text[], $2::bigint[], $3::uuid[], $4::jsonb[], $5::jsonb[]) AS t(s, r, i, d, m)`,
      [
        rows.map((r) => r.stream),
        rows.map((r) => r.revision),
        rows.map((r) => r.id),
        rows.map((r) => r.data),
        rows.map((r) => r.meta),
      ],
    );
  }
  await pool.query(
    'INSERT INTO es_streams (stream_id, revision) SELECT stream_id, max(revision) FROM es_events GROUP BY stream_id',
  );
}

/** The export's baseline: the same rows, read through a cursor in the same order, and dropped. */
async function readAll(pool: pg.Pool): Promise<number> {
  const client = await pool.connect();
  let n = 0;
  try {
    const cursor = client.query(
      new Cursor(`SELECT transaction_id::text, global_position, stream_id, revision, event_id, event_type, data,
                         metadata, recorded_at FROM es_events ORDER BY transaction_id, global_position`),
    );
    for (;;) {
      const rows = await cursor.read(2000);
      if (rows.length === 0) break;
      n += rows.length;
    }
    await cursor.close();
  } finally {
    client.release();
  }
  return n;
}

async function appendRate(pool: pg.Pool): Promise<{ events: number; seconds: number }> {
  const store = new PostgresEventStore(pool, { notify: false });
  const deadline = performance.now() + APPEND_SECONDS * 1000;
  const started = performance.now();
  const counts = await Promise.all(
    Array.from({ length: 8 }, async (_, w) => {
      let n = 0;
      let next: bigint | 'no_stream' = 'no_stream';
      const stream = `funding-W${w}-${randomUUID()}`;
      while (performance.now() < deadline) {
        const r = await store.appendToStream(
          stream,
          [
            {
              id: randomUUID(),
              type: 'SpendReported',
              data: { areaCode: 'E06000008', amountPence: n, note: 'x'.repeat(300) },
              metadata: { schemaVersion: 1, actor: { subject: 'bench' } },
            },
          ],
          { expectedRevision: next },
        );
        next = r.nextExpectedRevision;
        n += 1;
      }
      return n;
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await store.close();
  return { events: counts.reduce((a, b) => a + b, 0), seconds };
}

runMain(async () => {
  const loadAtStart = os.loadavg()[0];
  const dir = await mkdtemp(path.join(os.tmpdir(), 'iap-bench-backup-'));
  try {
    await withBenchServer('iap-bench-backup-pg-', async (server) => {
      const rows: string[][] = [
        [
          'events',
          'load (baseline) ev/s',
          'export ev/s',
          'read (baseline) ev/s',
          'export ÷ read',
          'import ev/s',
          'import ÷ load',
          'bytes/event: table',
          'file',
          'peak RSS MiB: export',
          'import',
        ],
      ];
      const results: Record<string, unknown>[] = [];
      const facts = await serverFacts(server.adminUrl, server.embedded);
      for (const size of [Math.round(EVENTS / 4), EVENTS]) {
        log(`${size} events: loading ...`);
        const source = await freshStore(server, `bench_backup_src_${size}`);
        const target = await freshStore(server, `bench_backup_dst_${size}`);
        try {
          const load = await measured(() => populate(source, size));
          await source.query('VACUUM ANALYZE es_events');
          const [{ bytes }] = (
            await source.query(
              "SELECT pg_total_relation_size('es_events') + pg_total_relation_size('es_streams') AS bytes",
            )
          ).rows as { bytes: string }[];
          log(`${size} events: reading (baseline) ...`);
          const read = await measured(() => readAll(source));
          log(`${size} events: exporting ...`);
          const file = path.join(dir, `log-${size}.ndjson`);
          const exported = await measured(async () => {
            const out = createWriteStream(file);
            const r = await exportEventLog(source, out);
            out.end();
            await once(out, 'finish');
            return r;
          });
          const fileBytes = (await stat(file)).size;
          log(`${size} events: importing ...`);
          const imported = await measured(() => importEventLog(target, createReadStream(file)));
          if (imported.value.events !== size) throw new Error(`imported ${imported.value.events} of ${size}`);
          const rate = (n: number, s: number) => n / s;
          const figures = {
            events: size,
            loadEventsPerSecond: Math.round(rate(size, load.seconds)),
            exportEventsPerSecond: Math.round(rate(size, exported.seconds)),
            readEventsPerSecond: Math.round(rate(size, read.seconds)),
            importEventsPerSecond: Math.round(rate(size, imported.seconds)),
            tableBytesPerEvent: Math.round(Number(bytes) / size),
            fileBytesPerEvent: Math.round(fileBytes / size),
            exportPeakRssMiB: exported.peakRssMiB,
            importPeakRssMiB: imported.peakRssMiB,
          };
          results.push(figures);
          rows.push([
            fmtInt(size),
            fmtInt(figures.loadEventsPerSecond),
            fmtInt(figures.exportEventsPerSecond),
            fmtInt(figures.readEventsPerSecond),
            fmtRatio(figures.exportEventsPerSecond / figures.readEventsPerSecond),
            fmtInt(figures.importEventsPerSecond),
            fmtRatio(figures.importEventsPerSecond / figures.loadEventsPerSecond),
            fmtInt(figures.tableBytesPerEvent),
            fmtInt(figures.fileBytesPerEvent),
            String(figures.exportPeakRssMiB),
            String(figures.importPeakRssMiB),
          ]);
        } finally {
          await source.end();
          await target.end();
          await rm(path.join(dir, `log-${size}.ndjson`), { force: true });
        }
      }
      log(`appends: 8 writers for ${APPEND_SECONDS} s ...`);
      const appendPool = await freshStore(server, 'bench_backup_append');
      const appends = await appendRate(appendPool).finally(() => appendPool.end());
      const appendsPerSecond = Math.round(appends.events / appends.seconds);
      process.stdout.write(`${table(rows)}\n\n`);
      process.stdout.write(
        `Appends through the event store, 8 writers, one event each, exact revisions: ${fmtInt(appendsPerSecond)} events/s (${fmtInt(appends.events)} in ${r1(appends.seconds)} s)\n`,
      );
      process.stdout.write(
        `${JSON.stringify({ machine: machineSummary(facts, loadAtStart), sizes: results, appendsPerSecond })}\n`,
      );
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
