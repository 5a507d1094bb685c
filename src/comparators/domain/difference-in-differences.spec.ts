import { describe, expect, it } from '@jest/globals';
import { caveats, differenceInDifferences, quantile, seededRandom } from './difference-in-differences.js';

describe('difference-in-differences', () => {
  it('matches figures worked by hand', () => {
    // Working: the pilot goes from 60 to 66, a change of +6. Its comparators: A 50 → 52 (+2), B 55 → 56 (+1),
    // C 70 → 73 (+3); their mean change is (2 + 1 + 3) / 3 = +2. The estimate is 6 − 2 = +4.
    const result = differenceInDifferences({ baseline: 60, latest: 66 }, [
      { baseline: 50, latest: 52 },
      { baseline: 55, latest: 56 },
      { baseline: 70, latest: 73 },
    ]);
    expect(result.pilotChange).toBe(6);
    expect(result.comparatorMeanChange).toBe(2);
    expect(result.estimate).toBe(4);
    expect(result.comparators).toBe(3);
    // The bootstrap draws three of {+1, +2, +3} with replacement: of the 27 equally likely draws, one has the
    // mean +3 (estimate 6 − 3 = 3) and one the mean +1 (estimate 5), each 1/27 = 3.7% of draws: more than the
    // 2.5% in each tail, so the 95% interval runs from exactly 3 to exactly 5.
    expect(result.interval).toEqual({ lower: 3, upper: 5, level: 0.95 });
  });

  it('a fall in the comparators counts in the pilot’s favour; a lower value is not treated specially', () => {
    // Working: pilot 12.0 → 10.0 (−2.0); comparators 11.0 → 8.0 (−3.0) and 9.0 → 5.0 (−4.0), mean −3.5;
    // estimate −2.0 − (−3.5) = +1.5.
    const r = differenceInDifferences({ baseline: 12, latest: 10 }, [
      { baseline: 11, latest: 8 },
      { baseline: 9, latest: 5 },
    ]);
    expect(r.comparatorMeanChange).toBe(-3.5);
    expect(r.estimate).toBe(1.5);
    // Two comparators: resampled means are −3, −3.5 or −4, so the estimates lie between 1 and 2.
    expect(r.interval!.lower).toBeGreaterThanOrEqual(1);
    expect(r.interval!.upper).toBeLessThanOrEqual(2);
  });

  it('reproduces Card and Krueger (1994), Table 3: New Jersey against Pennsylvania', () => {
    // Card, D. and Krueger, A. B. (1994) "Minimum Wages and Employment: A Case Study of the Fast-Food Industry in
    // New Jersey and Pennsylvania", American Economic Review 84(4), 772-793, Table 3, rows 1-3: mean full-time
    // equivalent employment per store in Pennsylvania 23.33 before and 21.17 after (change −2.16), in New Jersey
    // 20.44 before and 21.03 after (change +0.59); the difference-in-differences is 2.76 (standard error 1.36).
    // The published 2.76 comes from unrounded store means; from the rounded means in the table it is
    // 0.59 − (−2.16) = 2.75.
    const r = differenceInDifferences({ baseline: 20.44, latest: 21.03 }, [
      { baseline: 23.33, latest: 21.17 },
    ]);
    expect(r.pilotChange).toBeCloseTo(0.59, 10);
    expect(r.comparatorMeanChange).toBeCloseTo(-2.16, 10);
    expect(r.estimate).toBeCloseTo(2.75, 10);
    expect(r.estimate).toBeCloseTo(2.76, 1); // within 0.05 of the published figure
    // One comparison group: nothing to resample.
    expect(r.interval).toBeNull();
  });

  it('gives the same interval for the same figures (seeded), and none without comparators', () => {
    const comparators = [3, 1, 4, 1, 5, 9, 2, 6].map((d, i) => ({ baseline: 40 + i, latest: 40 + i + d }));
    const a = differenceInDifferences({ baseline: 50, latest: 58 }, comparators);
    const b = differenceInDifferences({ baseline: 50, latest: 58 }, comparators);
    expect(a.interval).toEqual(b.interval);
    // Mean change (3+1+4+1+5+9+2+6)/8 = 31/8 = 3.875; estimate 8 − 3.875 = 4.125.
    expect(a.estimate).toBe(4.125);
    expect(a.interval!.lower).toBeLessThan(4.125);
    expect(a.interval!.upper).toBeGreaterThan(4.125);
    const other = differenceInDifferences({ baseline: 50, latest: 58 }, comparators, { seed: 7 });
    expect(other.estimate).toBe(4.125);
    expect(differenceInDifferences({ baseline: 1, latest: 2 }, [])).toEqual({
      pilotChange: 1,
      comparatorMeanChange: null,
      estimate: null,
      interval: null,
      comparators: 0,
    });
  });

  it('draws reproducible numbers in [0, 1) and interpolates quantiles', () => {
    const r1 = seededRandom(1);
    const r2 = seededRandom(1);
    const xs = Array.from({ length: 1000 }, () => r1());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => r2()));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    // Type 7: position (5 − 1) × 0.25 = 1, the second value; (5 − 1) × 0.9 = 3.6, 40 + 0.6 × (50 − 40) = 46.
    expect(quantile([10, 20, 30, 40, 50], 0.25)).toBe(20);
    expect(quantile([10, 20, 30, 40, 50], 0.9)).toBe(46);
  });

  it('says in plain English when there are too few comparators or periods', () => {
    const base = {
      chosen: true,
      comparators: 12,
      leftOut: 0,
      periodsToBaseline: 3,
      sameBaselineAndLatest: false,
      pilotName: 'Walsall',
    };
    expect(caveats(base)).toEqual([]);
    expect(caveats({ ...base, comparators: 3 })).toEqual([
      'Only 3 comparator councils have figures for both periods. With fewer than 5, the estimate is a rough indication at best and the likely range is unreliable.',
    ]);
    expect(caveats({ ...base, comparators: 1 })[0]).toContain('no range can be given');
    expect(caveats({ ...base, leftOut: 1 })).toEqual([
      '1 comparator council is left out because it has no figure for one of the two periods.',
    ]);
    expect(caveats({ ...base, periodsToBaseline: 1 })[0]).toContain('moving in step');
    expect(caveats({ ...base, chosen: false, comparators: 0 })).toEqual([
      'No comparator councils have been chosen for Walsall yet, so there is no estimate.',
    ]);
    expect(caveats({ ...base, sameBaselineAndLatest: true })[0]).toContain('only one period');
  });
});
