/**
 * `npm run bench:store`: events/s of our PostgreSQL event store against raw `pg` doing the equivalent work, and
 * against Emmett (`@event-driven-io/emmett-postgresql`), in one run on one PostgreSQL server.
 *
 * Scenarios: single appends (sequential, exact expected revisions on a few streams), 8 concurrent writers on 8
 * distinct streams, 100-event batched appends, and reading the whole global log in pages of 1,000. The contenders
 * run interleaved (rotating order, several rounds) so that drift of the machine hits all of them alike. Progress
 * goes to stderr; the table and, last, one line of JSON with every figure go to stdout.
 *
 * Database: `DATABASE_URL` if set, else an embedded PostgreSQL (default durability) in a temporary directory.
 * Fresh databases are created for the run (ours + raw in one, Emmett in its own) and dropped at the end.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  getPostgreSQLEventStore,
  readMessagesBatch,
  type PostgresEventStore as EmmettEventStore,
} from '@event-driven-io/emmett-postgresql';
import {
  EVENT_STORE_SCHEMA_UP,
  type EventData,
  type ExpectedRevision,
  PostgresEventStore,
  type Position,
} from '@iap/event-store';
import pg from 'pg';
import { createBenchDatabase, serverFacts, serverInWords, withBenchServer } from './support/database.js';
import { median, r3, ratio } from './support/figures.js';
import { machineSummary } from './support/machine.js';
import { fmtInt, fmtRatio, log, runMain, table } from './support/output.js';

// ---------------------------------------------------------------------------------------------------------------
// Sizes. Each contender writes the same events; every scenario has a warm-up, then ROUNDS measured rounds, the
// contenders taking turns (rotating order) so that the machine's drift (fsync latency on a VM varies a lot from
// one second to the next) hits all of them alike. A scenario's figure is the median of its rounds' rates; the JSON
// also holds every round and the aggregate (all events / all time).

const POOL_SIZE = 10; // the product's default (EventStoreModule), same for every contender
const ROUNDS = 7;
const SINGLE = { warmup: 200, perRound: 450, streams: 10 };
const CONCURRENT = { writers: 8, warmupPerWriter: 40, perWriterPerRound: 225 };
const BATCH = { size: 100, warmupBatches: 10, batchesPerRound: 45, streams: 10 };
const READ = { pageSize: 1_000, warmupPasses: 1, passesPerRound: 1 };
const DATA_BYTES = 420;

const TARGET_VS_RAW = 0.7;
const AIM_VS_RAW = 0.9;
const TARGET_VS_EMMETT = 1.0;

// ---------------------------------------------------------------------------------------------------------------
// pg type parsers. Emmett's dumbo replaces pg's *global* parsers on first use (int8 -> BigInt, json/jsonb -> a
// reviver-based JSON.parse). Our store and the raw baseline must keep pg's defaults, as in the product, where
// Emmett is never loaded: their pools get a parser table frozen before Emmett starts.

const PRISTINE_PARSERS = new Map<number, unknown>(
  [20 /* int8 */, 114 /* json */, 3802 /* jsonb */].map((oid) => [oid, pg.types.getTypeParser(oid, 'text')]),
);
const pristineTypes = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    (format === undefined || format === 'text') && PRISTINE_PARSERS.has(oid)
      ? PRISTINE_PARSERS.get(oid)
      : pg.types.getTypeParser(oid, format ?? 'text'),
} as unknown as pg.CustomTypesConfig;

// ---------------------------------------------------------------------------------------------------------------
// Events: ~420 bytes of JSON data, small metadata.

const FILLER =
  'Weekly conversation circles in three neighbourhood hubs, run with two mosques, a parish church, the local ' +
  'secondary school and the tenants association; English classes for newly arrived families and a mentoring ' +
  'scheme pairing long-standing residents with new arrivals. Attendance, spend and outcomes are logged monthly. ';

function baseData(seq: number, summary: string): Record<string, unknown> {
  return {
    areaCode: 'E06000008',
    actionId: randomUUID(),
    sequence: seq,
    title: 'Community conversations in neighbourhood hubs',
    status: 'IN_PROGRESS',
    fundingStream: 'Integrated Communities Fund',
    amountPence: 1_250_000 + (seq % 100_000),
    startsOn: '2026-01-12',
    endsOn: '2026-07-31',
    summary,
  };
}

const SUMMARY = FILLER.slice(0, Math.max(0, DATA_BYTES - JSON.stringify(baseData(100_000, '')).length));

let eventSeq = 0;
function makeEvents(n: number): EventData[] {
  const events: EventData[] = [];
  for (let i = 0; i < n; i++) {
    const seq = 100_000 + (eventSeq++ % 900_000);
    events.push({
      id: randomUUID(),
      type: 'ActionProgressRecorded',
      data: baseData(seq, SUMMARY),
      metadata: {
        schemaVersion: 1,
        correlationId: randomUUID(),
        actor: { subject: 'user-4f1c2a', role: 'pilot-officer', area: 'E06000008' },
      },
    });
  }
  return events;
}

// ---------------------------------------------------------------------------------------------------------------
// Contenders: a stream writer that keeps its own exact expected revision, and a full read of the global log.

interface StreamWriter {
  append(events: readonly EventData[]): Promise<void>;
}

interface Contender {
  readonly name: ContenderName;
  stream(streamId: string): StreamWriter;
  /** Reads the whole global log in pages; returns the number of events returned (ids added to `seen` if given). */
  readAll(pageSize: number, seen?: Set<string>): Promise<number>;
}

type ContenderName = 'raw' | 'ours' | 'emmett';
const CONTENDERS: readonly ContenderName[] = ['raw', 'ours', 'emmett'];

const RAW_INSERT_ONE = `INSERT INTO raw_events (stream_id, revision, event_id, event_type, data, metadata)
  VALUES ($1, $2, $3, $4, $5, $6)`;
const RAW_INSERT_MANY = `INSERT INTO raw_events (stream_id, revision, event_id, event_type, data, metadata)
  SELECT $1, $2::bigint + t.ord - 1, t.id, t.type, t.data, t.meta
    FROM unnest($3::uuid[], $4::text[], $5::jsonb[], $6::jsonb[]) WITH ORDINALITY AS t(id, type, data, meta, ord)`;
const RAW_READ_PAGE = `SELECT * FROM raw_events WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
  ORDER BY transaction_id, global_position LIMIT $3`;

/** Plain parameterised statements through a pg.Pool on a table with es_events' columns and indexes. */
function rawContender(pool: pg.Pool): Contender {
  return {
    name: 'raw',
    stream(streamId) {
      let next = 0;
      return {
        async append(events) {
          if (events.length === 1) {
            const e = events[0];
            await pool.query(RAW_INSERT_ONE, [
              streamId,
              next,
              e.id,
              e.type,
              JSON.stringify(e.data),
              JSON.stringify(e.metadata),
            ]);
          } else {
            await pool.query(RAW_INSERT_MANY, [
              streamId,
              next,
              events.map((e) => e.id),
              events.map((e) => e.type),
              events.map((e) => JSON.stringify(e.data)),
              events.map((e) => JSON.stringify(e.metadata)),
            ]);
          }
          next += events.length;
        },
      };
    },
    async readAll(pageSize, seen) {
      let count = 0;
      let after = { tx: '0', pos: '0' };
      for (;;) {
        const { rows } = await pool.query<{
          transaction_id: string;
          global_position: string;
          event_id: string;
        }>(RAW_READ_PAGE, [after.tx, after.pos, pageSize]);
        count += rows.length;
        if (seen) for (const row of rows) seen.add(row.event_id);
        if (rows.length < pageSize) return count;
        const last = rows[rows.length - 1];
        after = { tx: last.transaction_id, pos: last.global_position };
      }
    },
  };
}

/** Our store through its public port: appendToStream with exact expected revisions, readAll in pages. */
function oursContender(store: PostgresEventStore): Contender {
  return {
    name: 'ours',
    stream(streamId) {
      let expected: ExpectedRevision = 'no_stream';
      return {
        async append(events) {
          const result = await store.appendToStream(streamId, events, { expectedRevision: expected });
          expected = result.nextExpectedRevision;
        },
      };
    },
    async readAll(pageSize, seen) {
      // readAll's fromPosition is inclusive (as in EventStoreDB): each next page starts with the previous last.
      let count = 0;
      let from: Position | 'start' = 'start';
      for (;;) {
        const page = await store.readAll({ fromPosition: from, maxCount: pageSize });
        const skip = from === 'start' ? 0 : 1;
        count += Math.max(0, page.length - skip);
        if (seen) for (let i = skip; i < page.length; i++) seen.add(page[i].id);
        if (page.length < pageSize) return count;
        from = page[page.length - 1].position;
      }
    },
  };
}

type EmmettExecutor = Parameters<typeof readMessagesBatch>[0];

/**
 * Emmett through its public API: appendToStream with exact expectedStreamVersion (Emmett counts a stream's
 * version from 1, 0 = no stream), and `readMessagesBatch`, the exported function its consumers page the global
 * log with. It takes a dumbo SQL executor; the one below does what dumbo's pool executor does (take a pooled
 * client, run the already formatted SQL text, release), over the same pool as Emmett's store.
 */
function emmettContender(store: EmmettEventStore, pool: pg.Pool): Contender {
  const run = async (sql: string) => {
    const result = await pool.query(sql);
    return { rowCount: result.rowCount, rows: result.rows };
  };
  const executor = {
    query: run,
    command: run,
    batchQuery: (sqls: string[]) => Promise.all(sqls.map(run)),
    batchCommand: (sqls: string[]) => Promise.all(sqls.map(run)),
  } as unknown as EmmettExecutor;
  return {
    name: 'emmett',
    stream(streamId) {
      let expected = 0n;
      return {
        async append(events) {
          const result = await store.appendToStream(
            streamId,
            events.map((e) => ({
              type: e.type,
              data: e.data as Record<string, unknown>,
              metadata: e.metadata,
            })),
            { expectedStreamVersion: expected },
          );
          expected = result.nextExpectedStreamVersion;
        },
      };
    },
    async readAll(pageSize, seen) {
      let count = 0;
      let batch = await readMessagesBatch(executor, { from: 0n, batchSize: pageSize });
      for (;;) {
        count += batch.messages.length;
        if (seen) for (const m of batch.messages) seen.add(String(m.metadata.messageId));
        if (!batch.areMessagesLeft || batch.messages.length === 0) return count;
        batch = await readMessagesBatch(executor, {
          after: batch.currentGlobalPosition,
          batchSize: pageSize,
        });
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Scenarios: each returns the number of events written/read; the caller times it.

let runTag = 0;
const uniq = randomBytes(3).toString('hex');
const streamName = (c: ContenderName, scenario: string, i: number) =>
  `${c}-${scenario}-${uniq}-${runTag}-${i}`;

interface Scenario {
  readonly key: 'single' | 'concurrent8' | 'batch100' | 'readAll1000';
  readonly label: string;
  /** Builds the work (events made outside the timed part), returns the timed part. */
  prepare(c: Contender, warmup: boolean): () => Promise<number>;
}

const scenarios: readonly Scenario[] = [
  {
    key: 'single',
    label: 'single appends (sequential)',
    prepare(c, warmup) {
      const n = warmup ? SINGLE.warmup : SINGLE.perRound;
      const tag = ++runTag;
      const streams = Array.from({ length: SINGLE.streams }, (_, i) =>
        c.stream(streamName(c.name, `s${tag}`, i)),
      );
      const events = makeEvents(n);
      return async () => {
        for (let i = 0; i < n; i++) await streams[i % streams.length].append([events[i]]);
        return n;
      };
    },
  },
  {
    key: 'concurrent8',
    label: '8 concurrent writers',
    prepare(c, warmup) {
      const per = warmup ? CONCURRENT.warmupPerWriter : CONCURRENT.perWriterPerRound;
      const tag = ++runTag;
      const writers = Array.from({ length: CONCURRENT.writers }, (_, w) => ({
        stream: c.stream(streamName(c.name, `c${tag}`, w)),
        events: makeEvents(per),
      }));
      return async () => {
        await Promise.all(
          writers.map(async ({ stream, events }) => {
            for (const e of events) await stream.append([e]);
          }),
        );
        return per * writers.length;
      };
    },
  },
  {
    key: 'batch100',
    label: 'batched appends of 100',
    prepare(c, warmup) {
      const batches = warmup ? BATCH.warmupBatches : BATCH.batchesPerRound;
      const tag = ++runTag;
      const streams = Array.from({ length: BATCH.streams }, (_, i) =>
        c.stream(streamName(c.name, `b${tag}`, i)),
      );
      const events = makeEvents(batches * BATCH.size);
      return async () => {
        for (let b = 0; b < batches; b++) {
          await streams[b % streams.length].append(events.slice(b * BATCH.size, (b + 1) * BATCH.size));
        }
        return batches * BATCH.size;
      };
    },
  },
  {
    key: 'readAll1000',
    label: 'readAll, pages of 1,000',
    prepare(c, warmup) {
      const passes = warmup ? READ.warmupPasses : READ.passesPerRound;
      return async () => {
        let total = 0;
        for (let p = 0; p < passes; p++) total += await c.readAll(READ.pageSize);
        return total;
      };
    },
  },
];

// ---------------------------------------------------------------------------------------------------------------
// Databases.

function newPool(url: string, pristine: boolean): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: POOL_SIZE,
    ...(pristine ? { types: pristineTypes } : {}),
  });
  pool.on('error', (err) => log(`idle client error: ${err.message}`));
  return pool;
}

// ---------------------------------------------------------------------------------------------------------------
// Output.

interface Figures {
  events: number;
  seconds: number;
  /** Median of the rounds' rates. */
  eventsPerSec: number;
  /** All events / all measured time. */
  aggregateEventsPerSec: number;
  roundsEventsPerSec: number[];
}

const round1 = (x: number) => Math.round(x);
const fmtRate = (x: number | undefined) => (x === undefined ? 'n/a' : fmtInt(x));

// ---------------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = performance.now();
  const loadAtStart = os.loadavg()[0];
  await withBenchServer('iap-bench-', async (server) => {
    const embedded = server.embedded;
    const suffix = `${process.pid}_${randomBytes(4).toString('hex')}`;
    const oursUrl = await createBenchDatabase(server, `iap_bench_${suffix}`);
    const emmettUrl = await createBenchDatabase(server, `iap_bench_emmett_${suffix}`);

    // Ours and raw: one database, es_events (our schema) and raw_events (same columns, defaults, keys, indexes).
    const rawPool = newPool(oursUrl, true);
    const oursPool = newPool(oursUrl, true);
    server.onCleanup(
      () => rawPool.end(),
      () => oursPool.end(),
    );
    for (const sql of EVENT_STORE_SCHEMA_UP) await oursPool.query(sql);
    await rawPool.query('CREATE TABLE raw_events (LIKE es_events INCLUDING ALL)');
    const store = new PostgresEventStore(oursPool);
    server.onCleanup(() => store.close());

    // Emmett: its own database, its own schema migration, the same pool size.
    const emmettPool = newPool(emmettUrl, false);
    server.onCleanup(() => emmettPool.end());
    const emmett = getPostgreSQLEventStore(emmettUrl, { connectionOptions: { pool: emmettPool } });
    server.onCleanup(() => emmett.close());
    await emmett.schema.migrate();

    const facts = await serverFacts(oursUrl, embedded);
    const { rows: types } = await rawPool.query<{ int8: unknown }>('SELECT 1::int8 AS int8');
    if (typeof types[0].int8 !== 'string')
      throw new Error('pg type parsers of the raw/ours pools were changed');
    await rawPool.query('CHECKPOINT').catch(() => undefined); // needs superuser or pg_checkpoint; optional

    const contenders: Record<ContenderName, Contender> = {
      raw: rawContender(rawPool),
      ours: oursContender(store),
      emmett: emmettContender(emmett, emmettPool),
    };
    const sample = makeEvents(1)[0];
    log(
      `${serverInWords(facts)}, ` +
        `synchronous_commit=${facts.synchronousCommit}; pool size ${POOL_SIZE}; event data ` +
        `${JSON.stringify(sample.data).length} B, metadata ${JSON.stringify(sample.metadata).length} B`,
    );

    const results: Record<string, Record<ContenderName, Figures>> = {};
    for (const scenario of scenarios) {
      if (scenario.key === 'readAll1000') {
        // Reads run on settled tables: no autovacuum landing inside one contender's round.
        await rawPool.query('VACUUM ANALYZE es_events, es_streams, raw_events');
        await emmettPool.query('VACUUM ANALYZE emt_messages, emt_streams');
      }
      log(`${scenario.label}: warm-up`);
      for (const name of CONTENDERS) await scenario.prepare(contenders[name], true)();
      const acc = Object.fromEntries(
        CONTENDERS.map((n) => [
          n,
          {
            events: 0,
            seconds: 0,
            eventsPerSec: 0,
            aggregateEventsPerSec: 0,
            roundsEventsPerSec: [] as number[],
          },
        ]),
      ) as Record<ContenderName, Figures>;
      for (let r = 0; r < ROUNDS; r++) {
        const order = CONTENDERS.map((_, i) => CONTENDERS[(i + r) % CONTENDERS.length]);
        for (const name of order) {
          const work = scenario.prepare(contenders[name], false);
          const t0 = performance.now();
          const n = await work();
          const s = (performance.now() - t0) / 1000;
          acc[name].events += n;
          acc[name].seconds += s;
          acc[name].roundsEventsPerSec.push(n / s);
        }
        log(
          `${scenario.label}: round ${r + 1}/${ROUNDS} ` +
            CONTENDERS.map((n) => `${n} ${fmtRate(acc[n].roundsEventsPerSec[r])}/s`).join(', '),
        );
      }
      for (const name of CONTENDERS) {
        acc[name].eventsPerSec = median(acc[name].roundsEventsPerSec);
        acc[name].aggregateEventsPerSec = acc[name].events / acc[name].seconds;
      }
      results[scenario.key] = acc;
    }

    // Every contender must have read the same log, all of it.
    const { rows: counts } = await rawPool.query<{ es: string; raw: string }>(
      'SELECT (SELECT count(*) FROM es_events) AS es, (SELECT count(*) FROM raw_events) AS raw',
    );
    const { rows: emmettCounts } = await emmettPool.query<{ n: string | bigint }>(
      'SELECT count(*) AS n FROM emt_messages',
    );
    const stored = {
      raw: Number(counts[0].raw),
      ours: Number(counts[0].es),
      emmett: Number(emmettCounts[0].n),
    };
    // One more, untimed, pass per contender, collecting ids: returned vs distinct vs stored.
    const completeness = {} as Record<
      ContenderName,
      { stored: number; returned: number; distinct: number; missed: number; repeated: number }
    >;
    for (const n of CONTENDERS) {
      const seen = new Set<string>();
      const returned = await contenders[n].readAll(READ.pageSize, seen);
      completeness[n] = {
        stored: stored[n],
        returned,
        distinct: seen.size,
        missed: stored[n] - seen.size,
        repeated: returned - seen.size,
      };
    }
    for (const n of ['raw', 'ours'] as const) {
      const c = completeness[n];
      if (c.returned !== c.stored || c.distinct !== c.stored) {
        throw new Error(`${n} read ${c.returned} events (${c.distinct} distinct) of ${c.stored} stored`);
      }
    }
    // Emmett pages on `global_position >= last + 1` while ordering by (transaction_id, global_position): under
    // concurrent writers positions are not in transaction order, so a page boundary can skip or repeat events.
    const emmettRead = completeness.emmett;

    // Report.
    const header = ['scenario', 'raw ev/s', 'ours ev/s', 'emmett ev/s', 'ours/raw', 'ours/emmett', 'targets'];
    const rows: string[][] = [header];
    const scenarioJson: Record<string, unknown> = {};
    const failures: string[] = [];
    for (const scenario of scenarios) {
      const f = results[scenario.key];
      const vsRaw = ratio(f.ours.eventsPerSec, f.raw.eventsPerSec);
      const vsEmmett = ratio(f.ours.eventsPerSec, f.emmett.eventsPerSec);
      const okRaw = vsRaw !== null && vsRaw >= TARGET_VS_RAW;
      const okEmmett = vsEmmett !== null && vsEmmett >= TARGET_VS_EMMETT;
      if (!okRaw) failures.push(`${scenario.key}: ours/raw ${fmtRatio(vsRaw)} < ${TARGET_VS_RAW}`);
      if (!okEmmett)
        failures.push(`${scenario.key}: ours/emmett ${fmtRatio(vsEmmett)} < ${TARGET_VS_EMMETT}`);
      rows.push([
        scenario.label,
        fmtRate(f.raw.eventsPerSec),
        fmtRate(f.ours.eventsPerSec),
        fmtRate(f.emmett.eventsPerSec),
        fmtRatio(vsRaw),
        fmtRatio(vsEmmett),
        `${okRaw ? 'ok' : 'LOW'}/${okEmmett ? 'ok' : 'LOW'}`,
      ]);
      scenarioJson[scenario.key] = {
        label: scenario.label,
        ...Object.fromEntries(
          CONTENDERS.map((n) => [
            n,
            {
              eventsPerSec: round1(f[n].eventsPerSec),
              aggregateEventsPerSec: round1(f[n].aggregateEventsPerSec),
              events: f[n].events,
              seconds: r3(f[n].seconds),
              roundsEventsPerSec: f[n].roundsEventsPerSec.map(round1),
            },
          ]),
        ),
        oursOverRaw: vsRaw,
        oursOverEmmett: vsEmmett,
        oursOverRawAtLeast07: okRaw,
        oursOverRawAtLeast09: vsRaw !== null && vsRaw >= AIM_VS_RAW,
        oursOverEmmettAtLeast1: okEmmett,
      };
    }

    const cpus = os.cpus();
    const summary = {
      bench: 'store',
      machine: machineSummary(facts, loadAtStart),
      setup: {
        poolSize: POOL_SIZE,
        rounds: ROUNDS,
        statistic:
          'eventsPerSec = median of the rounds; aggregateEventsPerSec = all events / all measured time',
        eventDataBytes: JSON.stringify(sample.data).length,
        eventMetadataBytes: JSON.stringify(sample.metadata).length,
        single: SINGLE,
        concurrent: CONCURRENT,
        batch: BATCH,
        read: { ...READ, eventsInLog: stored },
        raw: 'pg.Pool, unnamed parameterised INSERT (1 row; unnest of 100 for batches) into raw_events (LIKE es_events INCLUDING ALL); keyset SELECT * ORDER BY (transaction_id, global_position) LIMIT 1000',
        ours: 'PostgresEventStore (default options) appendToStream with exact expectedRevision; readAll({fromPosition, maxCount: 1000}), inclusive, first of each next page skipped',
        emmett:
          '@event-driven-io/emmett-postgresql 0.42 getPostgreSQLEventStore appendToStream with exact expectedStreamVersion; readMessagesBatch({after, batchSize: 1000})',
      },
      targets: { oursOverRaw: TARGET_VS_RAW, oursOverRawAim: AIM_VS_RAW, oursOverEmmett: TARGET_VS_EMMETT },
      scenarios: scenarioJson,
      readCompleteness: {
        ...completeness,
        emmettReadApi:
          'readMessagesBatch (exported; what its consumers poll with). No readAll on its event store. It filters global_position >= after+1 but orders by (transaction_id, global_position), with no index on either.',
      },
      allTargetsMet: failures.length === 0,
      belowTarget: failures,
      totalSeconds: Math.round((performance.now() - started) / 100) / 10,
    };

    console.log('');
    console.log(
      `Event store benchmark: node ${process.version}, ${cpus.length} CPUs, PostgreSQL ${facts.postgres} ` +
        `(${embedded ? 'embedded' : 'DATABASE_URL'}, fsync=${facts.fsync}), pool ${POOL_SIZE}, ` +
        `~${summary.setup.eventDataBytes} B events; events/s = median of ${ROUNDS} interleaved rounds`,
    );
    console.log('');
    console.log(table(rows));
    console.log('');
    console.log(
      `targets: ours/raw >= ${TARGET_VS_RAW} (aim ${AIM_VS_RAW}), ours/emmett >= ${TARGET_VS_EMMETT}: ` +
        (failures.length === 0 ? 'all met' : `below target: ${failures.join('; ')}`),
    );
    if (emmettRead.missed !== 0 || emmettRead.repeated !== 0) {
      console.log(
        `note: a full pass of Emmett's readMessagesBatch returned ${emmettRead.returned} events for ` +
          `${emmettRead.stored} stored: ${emmettRead.missed} never returned, ${emmettRead.repeated} returned twice ` +
          `(it pages on global_position but orders by transaction_id; events written by concurrent writers ` +
          `straddle page boundaries).`,
      );
    }
    console.log(JSON.stringify(summary));
  });
}

runMain(main);
