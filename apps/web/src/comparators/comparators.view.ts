import type { ChartSpec } from '../charts.js';
import { CHART_COLOURS } from '../charts.js';

/** The pilot against its comparators, as pilotVersusComparators answers it. */
export interface Versus {
  areaCode: string;
  areaName: string;
  indicatorCode: string;
  indicatorName: string | null;
  baselinePeriod: string | null;
  latestPeriod: string | null;
  pilotBaseline: number | null;
  pilotLatest: number | null;
  pilotChange: number | null;
  comparatorMeanChange: number | null;
  estimate: number | null;
  interval: { lower: number; upper: number; level: number } | null;
  comparatorsUsed: number;
  caveats: string[];
  sources: string[];
  illustrative: boolean;
  method: string;
  choice: {
    method: 'NEAREST_NEIGHBOURS' | 'BY_HAND';
    characteristics: string[];
    period: string | null;
    reason: string;
    revision: number;
    chosenAt: string;
    chosenBy: string | null;
  } | null;
  comparators: {
    areaCode: string;
    areaName: string;
    distance: number | null;
    baseline: number | null;
    latest: number | null;
    change: number | null;
    included: boolean;
  }[];
  series: {
    period: string;
    periodEnd: string;
    pilot: number | null;
    comparatorMean: number | null;
    comparators: number;
  }[];
}

/** A figure as the page shows it: up to two decimal places, grouped ("1,234.5"). */
export function figure(n: number | null | undefined): string {
  return n == null ? '' : new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 }).format(n);
}

/** A change with its sign ("+2.1", "−0.5", "no change"). */
export function signed(n: number | null | undefined): string {
  if (n == null) return '';
  const rounded = Math.round(n * 100) / 100;
  if (rounded === 0) return 'no change';
  return `${rounded > 0 ? '+' : '−'}${figure(Math.abs(rounded))}`;
}

/** The estimate in a sentence a council officer can read. */
export function estimateSentence(v: Versus): string | null {
  if (v.estimate === null || v.pilotChange === null || v.comparatorMeanChange === null) return null;
  const moved = (n: number) =>
    Math.abs(n) < 0.005 ? 'did not change' : `${n > 0 ? 'rose' : 'fell'} by ${figure(Math.abs(n))}`;
  const range = v.interval
    ? ` The likely range (${Math.round(v.interval.level * 100)}% interval) is ${figure(v.interval.lower)} to ${figure(v.interval.upper)}.`
    : '';
  return `From ${v.baselinePeriod} to ${v.latestPeriod}, ${v.areaName}'s figure ${moved(v.pilotChange)}; its ${v.comparatorsUsed} comparator councils' figures ${moved(v.comparatorMeanChange)} on average. The difference, ${signed(v.estimate)}, is the estimate of what changed in ${v.areaName} beyond what happened in similar councils.${range}`;
}

/** The chart's data: the pilot's value and the comparators' mean in each period. */
export function seriesChartData(
  v: Versus,
): { period: string; order: number; series: string; value: number }[] {
  return v.series.flatMap((p, order) => [
    ...(p.pilot !== null ? [{ period: p.period, order, series: v.areaName, value: p.pilot }] : []),
    ...(p.comparatorMean !== null
      ? [
          {
            period: p.period,
            order,
            series: "Comparators' mean",
            value: Math.round(p.comparatorMean * 100) / 100,
          },
        ]
      : []),
  ]);
}

export function seriesChartSpec(v: Versus): ChartSpec {
  const name = v.indicatorName ?? v.indicatorCode;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 560,
    height: 280,
    data: { values: seriesChartData(v) },
    mark: { type: 'line', point: { size: 60, filled: true }, strokeWidth: 3 },
    encoding: {
      x: {
        field: 'period',
        type: 'ordinal',
        sort: { field: 'order' },
        title: 'Period',
        axis: { labelAngle: 0 },
      },
      y: {
        field: 'value',
        type: 'quantitative',
        title: name.length > 60 ? v.indicatorCode : name,
        scale: { zero: false },
      },
      color: {
        field: 'series',
        type: 'nominal',
        title: null,
        sort: [v.areaName, "Comparators' mean"],
        scale: { range: [CHART_COLOURS[0], CHART_COLOURS[1]] },
        legend: { orient: 'top', direction: 'horizontal', labelLimit: 400 },
      },
      strokeDash: {
        field: 'series',
        type: 'nominal',
        title: null,
        sort: [v.areaName, "Comparators' mean"],
        scale: {
          range: [
            [1, 0],
            [6, 4],
          ],
        },
      },
    },
  } as ChartSpec;
}

export function seriesChartLabel(v: Versus): string {
  return `Line chart: ${v.areaName}'s ${v.indicatorName ?? v.indicatorCode} in each period against the mean of its comparator councils. The same figures are in the table below the chart.`;
}
