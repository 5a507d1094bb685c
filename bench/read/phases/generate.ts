/**
 * Writing the programme's log (not measured): the simulator calibrated to a little more than the events asked for,
 * its events written straight into es_events (cut at exactly that many), es_streams filled from them, and checks.
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { log } from '../../support/output.js';
import { r1, r2 } from '../../support/figures.js';
import type { Memory } from '../../support/memory.js';
import { iso } from '../calendar.js';
import type { Options } from '../options.js';
import { LogWriter } from '../raw-writer.js';
import { Programme, SETUP_DAY } from '../simulator.js';

export interface GenerateResult {
  events: number;
  streams: number;
  actions: number;
  learningItems: number;
  rate: number;
  timelineFrom: string;
  timelineTo: string;
  byType: Record<string, number>;
  pilots: {
    code: string;
    name: string;
    events: number;
    actions: number;
    streams: number;
    firstAt: string;
    lastAt: string;
  }[];
  councilSample: { code: string; events: number };
  logBytes: { dataAvg: number; tableMiB: number };
  seconds: number;
}

export async function generatePhase(url: string, opt: Options): Promise<GenerateResult> {
  const t0 = performance.now();
  // Calibrate: how many events a planning rate of 1 yields, then the rate that yields a little more than N
  // (the log is cut at exactly N events).
  const probeRate = 2;
  const probe = new Programme(opt.seed, probeRate, () => true);
  await probe.run();
  const fixed = 6_000; // set-up, catalogue, outcomes and returns: independent of the rate (roughly)
  const perRate = Math.max(1, (probe.emitted - fixed) / probeRate);
  const rate = Math.max(0.05, ((opt.events - fixed) / perRate) * 1.04);
  log(
    `generate: calibration ${probe.emitted} events at rate ${probeRate}; rate ${rate.toFixed(2)} actions/pilot/workday for ${opt.events} events`,
  );

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const writer = new LogWriter(client);
    let count = 0;
    let lastLog = performance.now();
    const sim = new Programme(
      opt.seed,
      rate,
      (e) => {
        if (count >= opt.events) return false;
        writer.push(e);
        count++;
        return count < opt.events;
      },
      () => {
        if (performance.now() - lastLog > 10_000) {
          lastLog = performance.now();
          log(`generate: ${count.toLocaleString('en-GB')} events`);
        }
        return writer.full ? writer.flush() : undefined;
      },
    );
    const { lastDay } = await sim.run();
    await writer.close();
    if (count < opt.events) log(`generate: the simulation ended at ${count} events (fewer than asked)`);
    await client.query(
      'INSERT INTO es_streams (stream_id, revision) SELECT stream_id, max(revision) FROM es_events GROUP BY stream_id',
    );
    await client.query('VACUUM ANALYZE es_events');
    await client.query('VACUUM ANALYZE es_streams');
    await client.query('CHECKPOINT').catch(() => undefined);
    const { rows: check } = await client.query<{
      n: string;
      s: string;
      bad: string;
      data_avg: string;
      mib: string;
    }>(
      `SELECT (SELECT count(*) FROM es_events) AS n, (SELECT count(*) FROM es_streams) AS s,
              (SELECT count(*) FROM es_streams s WHERE s.revision + 1 <> (SELECT count(*) FROM es_events e WHERE e.stream_id = s.stream_id)) AS bad,
              (SELECT avg(pg_column_size(data)) FROM es_events) AS data_avg,
              pg_total_relation_size('es_events') / 1048576 AS mib`,
    );
    if (Number(check[0].bad) !== 0)
      throw new Error(`${check[0].bad} streams have revisions that are not contiguous`);
    const { rows: perPilot } = await client.query<{ area: string; first: Date; last: Date }>(
      `SELECT data->>'areaCode' AS area, min(recorded_at) AS first, max(recorded_at) AS last FROM es_events
        WHERE stream_id LIKE 'funding-%' GROUP BY 1`,
    );
    const streamsOfPilot = (code: string) =>
      1 /* area */ +
      3 /* funding, outcomes, returns */ +
      sim.pilots.find((p) => p.code === code)!.actions.length +
      sim.pilots.find((p) => p.code === code)!.learning.length;
    const council = sim.areas.find((a) => !sim.pilots.some((p) => p.code === a.code))!;
    return {
      events: Number(check[0].n),
      streams: Number(check[0].s),
      actions: sim.actionsPlanned,
      learningItems: sim.learningDrafted,
      rate: r2(rate),
      timelineFrom: iso(SETUP_DAY),
      timelineTo: iso(lastDay),
      byType: Object.fromEntries([...sim.countsByType].sort((a, b) => b[1] - a[1])),
      pilots: sim.pilots.map((p) => {
        const row = perPilot.find((r) => r.area === p.code);
        return {
          code: p.code,
          name: p.name,
          events: sim.countsByArea.get(p.code) ?? 0,
          actions: p.actions.length,
          streams: streamsOfPilot(p.code),
          firstAt: row?.first.toISOString() ?? '',
          lastAt: row?.last.toISOString() ?? '',
        };
      }),
      councilSample: { code: council.code, events: sim.countsByArea.get(council.code) ?? 0 },
      logBytes: { dataAvg: Math.round(Number(check[0].data_avg)), tableMiB: Number(check[0].mib) },
      seconds: r1((performance.now() - t0) / 1000),
    };
  } finally {
    await client.end();
  }
}

export interface GeneratedFigures extends GenerateResult {
  memory: Memory;
}
