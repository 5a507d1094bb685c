import { describe, expect, it } from '@jest/globals';
import {
  financialQuarterOf,
  financialYearOf,
  isIsoDate,
  todayInEngland,
  parseFinancialQuarter,
  parseFinancialYear,
  quartersOf,
  requirePence,
} from './periods.js';

describe('programme calendar', () => {
  it('names financial years April to March', () => {
    expect(parseFinancialYear('2019-20')).toEqual({
      name: '2019-20',
      startYear: 2019,
      start: '2019-04-01',
      end: '2020-03-31',
    });
    expect(parseFinancialYear('1999-00')?.end).toBe('2000-03-31');
    expect(parseFinancialYear('2019-21')).toBeNull();
    expect(parseFinancialYear('2019/20')).toBeNull();
  });

  it('names quarters Q1 (Apr-Jun) to Q4 (Jan-Mar)', () => {
    expect(parseFinancialQuarter('2019-20 Q3')).toMatchObject({
      quarter: 3,
      start: '2019-10-01',
      end: '2019-12-31',
    });
    expect(parseFinancialQuarter('2019-20 Q4')).toMatchObject({ start: '2020-01-01', end: '2020-03-31' });
    expect(parseFinancialQuarter('2019-20 Q5')).toBeNull();
    expect(quartersOf(parseFinancialYear('2020-21')!).map((q) => q.name)).toEqual([
      '2020-21 Q1',
      '2020-21 Q2',
      '2020-21 Q3',
      '2020-21 Q4',
    ]);
  });

  it('places dates in their year and quarter', () => {
    expect(financialYearOf('2020-03-31').name).toBe('2019-20');
    expect(financialYearOf('2020-04-01').name).toBe('2020-21');
    expect(financialQuarterOf('2019-12-31').name).toBe('2019-20 Q3');
    expect(financialQuarterOf('2020-01-01').name).toBe('2019-20 Q4');
    expect(financialQuarterOf('2019-06-30').name).toBe('2019-20 Q1');
    expect(financialQuarterOf('2019-07-01').name).toBe('2019-20 Q2');
  });

  it('accepts only real ISO 8601 dates', () => {
    expect(isIsoDate('2020-02-29')).toBe(true);
    expect(isIsoDate('2019-02-29')).toBe(false);
    expect(isIsoDate('2019-13-01')).toBe(false);
    expect(isIsoDate('01/02/2019')).toBe(false);
  });

  it('keeps money in whole pence', () => {
    expect(requirePence('amount', 38313300)).toBe(38313300);
    expect(() => requirePence('amount', 1.5)).toThrow('amount');
    expect(() => requirePence('amount', -1)).toThrow('negative');
    expect(() => requirePence('amount', 0, { positive: true })).toThrow('more than 0');
  });
});

describe("today's date in England", () => {
  it('is the date in England, not in UTC', () => {
    expect(todayInEngland(new Date('2020-06-30T23:30:00Z'))).toBe('2020-07-01'); // BST
    expect(todayInEngland(new Date('2020-12-31T23:30:00Z'))).toBe('2020-12-31'); // GMT
  });
});
