import { describe, expect, it } from '@jest/globals';
import { date, dateTime, percent, pounds, poundsInput, unitName, words } from './format.js';

describe('how pages write figures', () => {
  it('writes integer pence as pounds, with pence only when there are some', () => {
    expect(pounds(123_456_700)).toBe('£1,234,567');
    expect(pounds(1_234_550)).toBe('£12,345.50');
    expect(pounds(-500)).toBe('-£5');
    expect(pounds(null)).toBe('');
  });

  it('writes pence back as the pounds a person types', () => {
    expect(poundsInput(1_234_550)).toBe('12345.50');
    expect(poundsInput(500)).toBe('5');
    expect(poundsInput(undefined)).toBe('');
  });

  it('writes dates in the GOV.UK style, date-times in England', () => {
    expect(date('2019-10-01')).toBe('1 October 2019');
    // 23:30 UTC on 30 June is 00:30 on 1 July in England (BST)
    expect(date('2020-06-30T23:30:00Z')).toBe('1 July 2020');
    expect(dateTime('2020-01-15T14:05:00Z')).toBe('15 January 2020 at 2:05pm');
  });

  it('writes fractions as percentages and enum values as words', () => {
    expect(percent(0.4237)).toBe('42%');
    expect(percent(0.4237, 1)).toBe('42.4%');
    expect(words('IN_PROGRESS')).toBe('In progress');
    // An indicator's unit beside its name: "per 1,000", as the service writes numbers.
    expect(['COUNT', 'PERCENTAGE', 'RATE_PER_1000', 'POUNDS'].map(unitName)).toEqual([
      'count',
      'percentage',
      'rate per 1,000',
      'pounds',
    ]);
  });
});
