import type { Direction } from './indicator.js';

/** How an area stands on an indicator: pure arithmetic for the read side. */

export interface DatedValue {
  readonly date: string;
  readonly value: number;
}

/**
 * The target to measure progress against: the first one due on or after `asOf` (the latest measurement's
 * period end); once every target date has passed, the last one. Targets need not be sorted.
 */
export function nextTarget(targets: readonly DatedValue[], asOf: string): DatedValue | null {
  if (targets.length === 0) return null;
  const sorted = [...targets].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return sorted.find((t) => t.date >= asOf) ?? sorted[sorted.length - 1];
}

/**
 * The fraction of the distance from baseline to target that the latest value has covered: 0 at the
 * baseline, 1 at the target, more than 1 beyond it, negative when things moved the wrong way. Because the
 * target lies on the better side of the baseline, the ratio already respects the direction (baseline 100,
 * target 80, latest 90 is 0.5 for a lower-is-better indicator). A target equal to the baseline (hold the
 * line) counts as met (1) when the latest value is no worse than it, otherwise 0.
 */
export function progressToward(
  direction: Direction,
  baseline: number,
  target: number,
  latest: number,
): number {
  if (target === baseline) {
    const noWorse = direction === 'HIGHER_IS_BETTER' ? latest >= target : latest <= target;
    return noWorse ? 1 : 0;
  }
  return Math.round(((latest - baseline) / (target - baseline)) * 1e6) / 1e6;
}

export type Movement = 'UP' | 'DOWN' | 'FLAT';
export type Assessment = 'IMPROVING' | 'WORSENING' | 'UNCHANGED';

export interface Trend {
  readonly movement: Movement;
  readonly assessment: Assessment;
  /** Latest minus previous, in the indicator's unit. */
  readonly change: number;
}

/** Latest against the previous measurement: which way it moved, and whether that is better or worse. */
export function trendOf(direction: Direction, previous: number, latest: number): Trend {
  const change = Math.round((latest - previous) * 1e9) / 1e9;
  const movement: Movement = change > 0 ? 'UP' : change < 0 ? 'DOWN' : 'FLAT';
  const assessment: Assessment =
    movement === 'FLAT'
      ? 'UNCHANGED'
      : (movement === 'UP') === (direction === 'HIGHER_IS_BETTER')
        ? 'IMPROVING'
        : 'WORSENING';
  return { movement, assessment, change };
}
