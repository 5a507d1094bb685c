import { describe, expect, it } from '@jest/globals';
import { nextTarget, progressToward, trendOf } from './progress.js';

describe('progress toward a target', () => {
  it('is the fraction of the baseline-to-target distance covered (higher is better)', () => {
    expect(progressToward('HIGHER_IS_BETTER', 60, 70, 65)).toBe(0.5);
    expect(progressToward('HIGHER_IS_BETTER', 60, 70, 60)).toBe(0);
    expect(progressToward('HIGHER_IS_BETTER', 60, 70, 70)).toBe(1);
  });

  it('respects a lower-is-better direction', () => {
    expect(progressToward('LOWER_IS_BETTER', 100, 80, 90)).toBe(0.5);
    expect(progressToward('LOWER_IS_BETTER', 100, 80, 75)).toBe(1.25);
  });

  it('goes negative when the value moved the wrong way', () => {
    expect(progressToward('HIGHER_IS_BETTER', 60, 70, 55)).toBe(-0.5);
    expect(progressToward('LOWER_IS_BETTER', 100, 80, 110)).toBe(-0.5);
  });

  it('treats a hold-the-line target (equal to the baseline) as met or not by direction', () => {
    expect(progressToward('HIGHER_IS_BETTER', 60, 60, 61)).toBe(1);
    expect(progressToward('HIGHER_IS_BETTER', 60, 60, 59)).toBe(0);
    expect(progressToward('LOWER_IS_BETTER', 5, 5, 4)).toBe(1);
    expect(progressToward('LOWER_IS_BETTER', 5, 5, 6)).toBe(0);
  });

  it('rounds away floating-point noise', () => {
    expect(progressToward('HIGHER_IS_BETTER', 0.1, 0.4, 0.2)).toBe(0.333333);
  });
});

describe('the next target', () => {
  const targets = [
    { date: '2021-03-31', value: 70 },
    { date: '2020-03-31', value: 65 },
  ];

  it('is the first target due on or after the latest period end', () => {
    expect(nextTarget(targets, '2019-06-30')).toEqual({ date: '2020-03-31', value: 65 });
    expect(nextTarget(targets, '2020-03-31')).toEqual({ date: '2020-03-31', value: 65 });
    expect(nextTarget(targets, '2020-04-01')).toEqual({ date: '2021-03-31', value: 70 });
  });

  it('is the last target once all are past, and none without targets', () => {
    expect(nextTarget(targets, '2022-01-01')).toEqual({ date: '2021-03-31', value: 70 });
    expect(nextTarget([], '2022-01-01')).toBeNull();
  });
});

describe('trend', () => {
  it('says which way the value moved and whether that is better', () => {
    expect(trendOf('HIGHER_IS_BETTER', 60, 65)).toEqual({
      movement: 'UP',
      assessment: 'IMPROVING',
      change: 5,
    });
    expect(trendOf('HIGHER_IS_BETTER', 65, 60)).toEqual({
      movement: 'DOWN',
      assessment: 'WORSENING',
      change: -5,
    });
    expect(trendOf('LOWER_IS_BETTER', 3, 2.5)).toEqual({
      movement: 'DOWN',
      assessment: 'IMPROVING',
      change: -0.5,
    });
    expect(trendOf('LOWER_IS_BETTER', 2.5, 3)).toEqual({
      movement: 'UP',
      assessment: 'WORSENING',
      change: 0.5,
    });
    expect(trendOf('LOWER_IS_BETTER', 3, 3)).toEqual({
      movement: 'FLAT',
      assessment: 'UNCHANGED',
      change: 0,
    });
  });

  it('ignores floating-point noise', () => {
    expect(trendOf('HIGHER_IS_BETTER', 0.3, 0.1 + 0.2).movement).toBe('FLAT');
  });
});
