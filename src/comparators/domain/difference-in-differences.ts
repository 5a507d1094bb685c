/**
 * The difference-in-differences estimate of a pilot's effect: the pilot's change from its baseline period to its
 * latest, less the mean change of its comparators over the same two periods. Its interval comes from a bootstrap
 * over the comparators (the comparators resampled with replacement, the percentile interval of the estimates),
 * with a seeded generator so that the same figures always give the same interval.
 */

/**
 * The programme's first day: 1 April 2018, the start of 2018-19, the year of the pilots' first awards. By default
 * the baseline is the pilot's last period ending before it.
 */
export const PROGRAMME_START = '2018-04-01';

/** The seed of every bootstrap: 14 March 2018, the day the Integrated Communities Strategy green paper came out. */
export const BOOTSTRAP_SEED = 20180314;
export const BOOTSTRAP_RESAMPLES = 2000;
/** Fewer comparators than this and the estimate carries a caveat. */
export const FEW_COMPARATORS = 5;

/** mulberry32: a small, fast 32-bit generator; the same seed gives the same numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The `p` quantile (0 to 1) of sorted values, interpolating between order statistics (Hyndman and Fan's type 7). */
export function quantile(sorted: readonly number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

export interface Change {
  readonly baseline: number;
  readonly latest: number;
}

export interface BootstrapOptions {
  readonly resamples?: number;
  readonly seed?: number;
  /** The interval's coverage, e.g. 0.95. */
  readonly level?: number;
}

export interface DidEstimate {
  readonly pilotChange: number;
  /** Null when there is no comparator. */
  readonly comparatorMeanChange: number | null;
  readonly estimate: number | null;
  /** Null with fewer than two comparators (nothing to resample). */
  readonly interval: { readonly lower: number; readonly upper: number; readonly level: number } | null;
  readonly comparators: number;
}

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

export function differenceInDifferences(
  pilot: Change,
  comparators: readonly Change[],
  options: BootstrapOptions = {},
): DidEstimate {
  const pilotChange = pilot.latest - pilot.baseline;
  const changes = comparators.map((c) => c.latest - c.baseline);
  if (changes.length === 0)
    return { pilotChange, comparatorMeanChange: null, estimate: null, interval: null, comparators: 0 };
  const comparatorMeanChange = mean(changes);
  const estimate = pilotChange - comparatorMeanChange;
  if (changes.length < 2)
    return { pilotChange, comparatorMeanChange, estimate, interval: null, comparators: changes.length };
  const level = options.level ?? 0.95;
  const resamples = options.resamples ?? BOOTSTRAP_RESAMPLES;
  const random = seededRandom(options.seed ?? BOOTSTRAP_SEED);
  const n = changes.length;
  const estimates: number[] = [];
  for (let b = 0; b < resamples; b++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += changes[Math.floor(random() * n)];
    estimates.push(pilotChange - sum / n);
  }
  estimates.sort((a, b) => a - b);
  const tail = (1 - level) / 2;
  return {
    pilotChange,
    comparatorMeanChange,
    estimate,
    interval: { lower: quantile(estimates, tail), upper: quantile(estimates, 1 - tail), level },
    comparators: n,
  };
}

export interface CaveatFacts {
  readonly chosen: boolean;
  /** Comparators with values for both periods (those in the estimate). */
  readonly comparators: number;
  /** Comparators chosen but left out for want of a value in one of the two periods. */
  readonly leftOut: number;
  /** The pilot's periods up to and including the baseline. */
  readonly periodsToBaseline: number;
  readonly sameBaselineAndLatest: boolean;
  readonly pilotName: string;
}

/** What a reader should be told before trusting the estimate, in plain English (empty when nothing needs saying). */
export function caveats(f: CaveatFacts): string[] {
  const out: string[] = [];
  if (!f.chosen)
    out.push(`No comparator councils have been chosen for ${f.pilotName} yet, so there is no estimate.`);
  if (f.sameBaselineAndLatest)
    out.push(
      `${f.pilotName} has figures for only one period of this indicator, so there is no change to compare yet.`,
    );
  if (f.chosen && f.comparators === 0)
    out.push('None of the comparator councils has figures for both periods, so there is no estimate.');
  else if (f.chosen && f.comparators < FEW_COMPARATORS)
    out.push(
      `Only ${f.comparators} comparator ${f.comparators === 1 ? 'council has' : 'councils have'} figures for both periods. With fewer than ${FEW_COMPARATORS}, the estimate is a rough indication at best${f.comparators < 2 ? ' and no range can be given' : ' and the likely range is unreliable'}.`,
    );
  if (f.leftOut > 0)
    out.push(
      `${f.leftOut} comparator ${f.leftOut === 1 ? 'council is' : 'councils are'} left out because ${f.leftOut === 1 ? 'it has' : 'they have'} no figure for one of the two periods.`,
    );
  if (!f.sameBaselineAndLatest && f.periodsToBaseline < 2)
    out.push(
      `There is only one period up to the baseline, so we cannot check that ${f.pilotName} and its comparators were moving in step before the programme. The estimate assumes they were.`,
    );
  return out;
}
