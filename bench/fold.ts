/**
 * `npm run bench:fold`: how long a command's aggregate takes to fold its stream, as the stream grows. Every command
 * reads its stream and folds it (`handleCommand`), so a fold that is not linear in the stream's length makes a
 * pilot's commands slower with every event: the funding stream of an area holds every commitment and spend report
 * of every year, the outcomes stream every measurement.
 *
 * For streams of N events (N = 2,000 to 100,000), the funding decider folds N/2 commitments and N/2 spend reports
 * of distinct actions, and the outcomes decider N measurements of distinct periods; the baseline, in the same process
 * and turn by turn with them, puts the same keys into one Map (the least any fold of those events does). Each figure
 * is the median of five folds. A fold linear in N keeps the same ratio to the baseline at every N. The table and,
 * last, one line of JSON with every figure go to stdout.
 *
 * Usage: npm run bench:fold [-- --sizes 2000,10000,50000,100000]
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { fundingDecider } from '../src/funding/domain/funding.js';
import { outcomesDecider } from '../src/outcomes/domain/area-outcomes.js';
import { median, r2, r3 } from './support/figures.js';

type Folded = { type: string; data: unknown };

const at = process.argv.indexOf('--sizes');
const SIZES = (at >= 0 ? process.argv[at + 1] : '2000,10000,50000,100000').split(',').map(Number);
const REPEATS = 5;

function fundingEvents(n: number): Folded[] {
  const events: Folded[] = [
    {
      type: 'GrantAllocated',
      data: {
        areaCode: 'E08000032',
        year: '2020-21',
        fundingStream: 'IAP',
        amountPence: 1e12,
        note: '',
        awardedOn: '2020-04-01',
      },
    },
  ];
  for (let i = 0; i < n / 2; i++)
    events.push({
      type: 'FundsCommitted',
      data: { areaCode: 'E08000032', year: '2020-21', actionId: `a${i}`, amountPence: 100 },
    });
  for (let i = 0; i < n / 2; i++)
    events.push({
      type: 'SpendReported',
      data: {
        areaCode: 'E08000032',
        year: '2020-21',
        actionId: `a${i}`,
        quarter: '2020-21 Q1',
        amountPence: 10,
      },
    });
  return events;
}

function outcomeEvents(n: number): Folded[] {
  const events: Folded[] = [];
  for (let i = 0; i < n; i++) {
    const day = new Date(Date.UTC(2000, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
    events.push({
      type: 'MeasurementRecorded',
      data: {
        areaCode: 'E08000032',
        measurementId: `m${i}`,
        indicatorCode: 'GET_ON_WELL',
        periodStart: day,
        periodEnd: day,
        value: 50,
        sampleSize: 100,
        denominator: null,
      },
    });
  }
  return events;
}

function timed(work: () => unknown): number {
  const started = performance.now();
  work();
  return performance.now() - started;
}

function fold<S>(decider: { initialState(): S; evolve(s: S, e: never): S }, events: readonly Folded[]): S {
  let state = decider.initialState();
  for (const e of events) state = decider.evolve(state, e as never);
  return state;
}

/** The baseline: the events' keys put into one Map. */
function baseline(events: readonly Folded[]): Map<string, unknown> {
  const m = new Map<string, unknown>();
  for (const e of events) {
    const d = e.data as { actionId?: string; measurementId?: string; quarter?: string };
    m.set(`${e.type}|${d.actionId ?? d.measurementId}|${d.quarter ?? ''}`, d);
  }
  return m;
}

interface Row {
  decider: string;
  events: number;
  foldMs: number;
  baselineMs: number;
  ratio: number;
}

const rows: Row[] = [];
for (const n of SIZES) {
  for (const [name, events, run] of [
    ['funding', fundingEvents(n), (e: Folded[]) => fold(fundingDecider, e)],
    ['outcomes', outcomeEvents(n), (e: Folded[]) => fold(outcomesDecider, e)],
  ] as const) {
    const folds: number[] = [];
    const bases: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      folds.push(timed(() => run(events)));
      bases.push(timed(() => baseline(events)));
    }
    const foldMs = median(folds);
    const baselineMs = median(bases);
    rows.push({
      decider: name,
      events: events.length,
      foldMs: r2(foldMs),
      baselineMs: r2(baselineMs),
      ratio: r3(foldMs / baselineMs),
    });
    process.stderr.write(`fold: ${name} ${events.length} events ${r2(foldMs)} ms\n`);
  }
}

const header = ['decider', 'events', 'fold ms', 'baseline ms', 'fold / baseline'];
const table = [
  header,
  ...rows.map((r) => [r.decider, String(r.events), String(r.foldMs), String(r.baselineMs), String(r.ratio)]),
];
const widths = header.map((_, i) => Math.max(...table.map((row) => row[i].length)));
console.log(
  `Fold benchmark: node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(1)}`,
);
for (const [i, row] of table.entries()) {
  console.log(row.map((c, j) => (j < 1 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join('  '));
  if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
}
console.log(JSON.stringify({ bench: 'fold', node: process.version, loadAverage: os.loadavg()[0], rows }));
