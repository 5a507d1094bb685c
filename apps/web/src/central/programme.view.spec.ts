import { describe, expect, it } from '@jest/globals';
import type { PilotComparison } from './programme.view.js';
import * as view from './programme.view.js';
import { renderChart } from '../charts.js';
import { describeStream, historyLink } from './history.view.js';

const YEARS = ['2019-20', '2020-21'];

describe('the programme overview', () => {
  it('shows the latest funded year with the default indicators unless asked otherwise', () => {
    const q = view.programmeQuery({}, YEARS, '2026-12-07');
    expect(q).toMatchObject({
      year: '2020-21',
      asOf: undefined,
      indicators: view.DEFAULT_INDICATORS,
      errors: [],
    });
  });

  it('reads the year, the "as it stood on" date and the chosen indicators from the form', () => {
    const q = view.programmeQuery(
      {
        year: '2019-20',
        'asOf-day': '1',
        'asOf-month': '10',
        'asOf-year': '2020',
        indicators: 'chosen',
        indicator: ['HATE_CRIMES', 'bad code'],
      },
      YEARS,
      '2026-12-07',
    );
    expect(q).toMatchObject({
      year: '2019-20',
      asOfDate: '2020-10-01',
      indicators: ['HATE_CRIMES'],
      errors: [],
    });
    expect(q.asOf).toBe('2020-10-01T22:59:59.999Z');
  });

  it('lets a person choose no indicator at all', () => {
    expect(view.programmeQuery({ indicators: 'chosen' }, YEARS, '2026-12-07').indicators).toEqual([]);
  });

  it('refuses a year or a date it cannot use, showing the default figures with the error', () => {
    const q = view.programmeQuery(
      { year: '2019-21', 'asOf-day': '31', 'asOf-month': '2', 'asOf-year': '2020' },
      YEARS,
      '2026-12-07',
    );
    expect(q.year).toBe('2020-21');
    expect(q.asOf).toBeUndefined();
    expect(q.errors.map((e) => e.field)).toEqual(['year', 'asOf-day']);
    const future = view.programmeQuery(
      { 'asOf-day': '8', 'asOf-month': '12', 'asOf-year': '2026' },
      YEARS,
      '2026-12-07',
    );
    expect(future.errors).toEqual([{ field: 'asOf-day', text: 'The date must be today or in the past' }]);
  });

  it('ends a day at midnight in England, in winter and in summer time', () => {
    expect(view.endOfDayInEngland('2020-01-15')).toBe('2020-01-15T23:59:59.999Z');
    expect(view.endOfDayInEngland('2020-07-15')).toBe('2020-07-15T22:59:59.999Z');
  });

  it('links each figure to its sources, for the year and date shown', () => {
    expect(view.sourcesHref('E06000008', 'MATCH_FUNDING', { year: '2019-20' })).toBe(
      '/programme/sources/E06000008/match-funding?year=2019-20',
    );
    expect(
      view.sourcesHref('E06000008', 'INDICATOR', { year: '2019-20', asOfDate: '2020-10-01' }, 'GET_ON_WELL'),
    ).toBe('/programme/sources/E06000008/indicator?year=2019-20&indicator=GET_ON_WELL&asOf=2020-10-01');
  });

  it('offers the funded years, and a requested year beside them', () => {
    expect(view.yearsOffered(['2020-21', '2019-20', '2020-21'])).toEqual(YEARS);
    expect(view.yearsOffered(YEARS, '2021-22')).toEqual([...YEARS, '2021-22']);
    expect(view.yearsOffered(YEARS, 'nonsense')).toEqual(YEARS);
  });

  it("charts each pilot's allocated, committed and spent funds in pounds, the data given inline", () => {
    const rows = [
      {
        areaCode: 'E06000008',
        areaName: 'Blackburn with Darwen',
        allocatedPence: 100_000_00,
        committedPence: 50_000_00,
        spentPence: 25_000_50,
      },
    ] as PilotComparison[];
    expect(view.fundingChartData(rows)).toEqual([
      { pilot: 'Blackburn with Darwen', figure: 'Allocated', pounds: 100_000 },
      { pilot: 'Blackburn with Darwen', figure: 'Committed', pounds: 50_000 },
      { pilot: 'Blackburn with Darwen', figure: 'Spent', pounds: 25_000.5 },
    ]);
    const spec = view.fundingChartSpec(rows, '2019-20') as { data: { values: unknown[] } };
    expect(spec.data.values).toHaveLength(3);
  });

  it('labels the money axis in whole pounds, as the table does: "£0", not "£0M"', async () => {
    const rows = [
      {
        areaName: 'Bradford',
        allocatedPence: 1_200_000_00,
        committedPence: 990_000_00,
        spentPence: 739_900_00,
      },
    ] as PilotComparison[];
    const svg = await renderChart(view.fundingChartSpec(rows, '2019-20'), 'Funding');
    const labels = [...svg.matchAll(/<text[^>]*>(£[^<]*)<\/text>/g)].map((m) => m[1]);
    expect(labels[0]).toBe('£0');
    expect(labels).toContain('£1,200,000');
    expect(labels.every((l) => /^£\d{1,3}(,\d{3})*$/.test(l!))).toBe(true);
  });

  it('describes records by their stream and links to their history', () => {
    expect(describeStream('funding-E06000008')).toEqual({ kind: 'Funding', areaCode: 'E06000008' });
    expect(describeStream('action-0b6e2c51-6a1d-4f7e-9d1b-2f6f0a3c9e11')).toEqual({ kind: 'Action' });
    expect(describeStream('indicator-catalogue')).toEqual({ kind: 'Indicator catalogue' });
    expect(historyLink('return-E08000030')).toBe('/history/return-E08000030');
  });

  it('adds the pilots up for the "All pilots" row, the spend rate of the totals', () => {
    const pilot = (allocated: number, spent: number, planned: number) =>
      ({
        allocatedPence: allocated,
        committedPence: 1,
        spentPence: spent,
        matchCashPence: 2,
        matchInKindPence: 3,
        actionsByStatus: [{ status: 'PLANNED', count: planned }],
        learningPublished: 1,
        learningAdoptions: 2,
      }) as unknown as PilotComparison;
    const totals = view.programmeTotals([pilot(100, 50, 2), pilot(300, 50, 1)]);
    expect(totals).toMatchObject({
      allocatedPence: 400,
      spentPence: 100,
      spendRate: 0.25,
      committedPence: 2,
    });
    expect(totals.actionCounts).toEqual([3, 0, 0, 0, 0]);
    expect(view.programmeTotals([]).spendRate).toBeNull();
  });
});

describe('a day asked before anything was recorded', () => {
  it('says so, and when the earliest record is from, in England’s days', () => {
    const first = '2026-12-07T09:30:00Z';
    expect(view.beforeFirstRecord('2020-04-01', first)).toBe(
      'Nothing had been recorded by 1 April 2020. The earliest record is from 7 December 2026.',
    );
    expect(view.beforeFirstRecord('2026-12-06', first, 'Its earliest change is')).toBe(
      'Nothing had been recorded by 6 December 2026. Its earliest change is from 7 December 2026.',
    );
    // Recorded at 00:30 in England on 1 July (23:30 UTC the day before): 30 June still had nothing.
    expect(view.beforeFirstRecord('2026-06-30', '2026-06-30T23:30:00Z')).toMatch(/from 1 July 2026\.$/);
    expect(view.beforeFirstRecord('2026-12-07', first)).toBeUndefined();
    expect(view.beforeFirstRecord(undefined, first)).toBeUndefined();
    expect(view.beforeFirstRecord('2020-04-01', undefined)).toBeUndefined();
  });
});
