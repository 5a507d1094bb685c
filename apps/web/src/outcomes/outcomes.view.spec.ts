import { describe, expect, it } from '@jest/globals';
import { decorativeSvg, renderDecorativeChart as chartSvg, svgWithoutInlineStyles } from '../charts.js';
import type { PeriodicReturn } from './outcomes.view.js';
import { dueReturns } from '../central/returns.view.js';
import * as view from './outcomes.view.js';
import { refusals } from '../forms.js';
import { badInput } from '../testing.js';

function aReturn(quarter: string, status: PeriodicReturn['status'], start: string): PeriodicReturn {
  return {
    quarter,
    startDate: start,
    endDate: start,
    status,
    locked: status === 'SUBMITTED' || status === 'APPROVED',
    submittedAt: status === 'NOT_SUBMITTED' ? null : '2021-07-20T10:00:00Z',
    decidedAt: status === 'APPROVED' || status === 'SENT_BACK' ? '2021-08-02T10:00:00Z' : null,
    comments: status === 'SENT_BACK' ? 'Add the survey figures' : null,
    revision: 3,
  };
}

describe('outcomes view models', () => {
  it("writes values in their indicator's unit", () => {
    expect(view.formatValue('PERCENTAGE', 73.4)).toBe('73.4%');
    expect(view.formatValue('POUNDS', 125_050)).toBe('£1,250.50');
    expect(view.formatValue('RATE_PER_1000', 0.62)).toBe('0.62 per 1,000');
    expect(view.formatValue('COUNT', 1250)).toBe('1,250');
    expect(view.formatValue('COUNT', null)).toBe('');
  });

  it('reads typed values in the unit the API takes (pence for money), NaN when not a number', () => {
    expect(view.readValue('PERCENTAGE', ' 77.5% ')).toBe(77.5);
    expect(view.readValue('POUNDS', '£1,250.50')).toBe(125_050);
    expect(view.readValue('COUNT', '1,250')).toBe(1250);
    expect(view.readValue('COUNT', 'lots')).toBeNaN();
    expect(view.readValue('COUNT', '')).toBeUndefined();
  });

  it('names quarters in URLs and finds the quarter of a date', () => {
    expect(view.quarterSlug('2021-22 Q1')).toBe('2021-22-q1');
    expect(view.quarterOfSlug('2021-22-q1')).toBe('2021-22 Q1');
    expect(view.quarterOfSlug('2021-23-q1')).toBeUndefined();
    expect(view.quarterOfSlug('2021-22-q5')).toBeUndefined();
    expect(view.quarterOfDate('2021-03-31')).toBe('2020-21 Q4');
    expect(view.quarterOfDate('2021-04-01')).toBe('2021-22 Q1');
  });

  it('fills in a financial quarter’s dates and finds what is not a number itself, the rest left for the API to check', () => {
    const ok = view.measurementInput('E06000008', 'PERCENTAGE', {
      indicator: 'GET_ON_WELL',
      periodLabel: '2021-22 Q1',
      value: '77.5',
      sampleSize: '510',
      source: 'Residents survey',
      evidenceUrl: ' https://example.org/r.pdf ',
    });
    expect(ok.problems).toEqual({});
    expect(ok.input).toMatchObject({
      areaCode: 'E06000008',
      indicatorCode: 'GET_ON_WELL',
      periodStart: '2021-04-01',
      periodEnd: '2021-06-30',
      value: 77.5,
      sampleSize: 510,
      evidenceUrl: 'https://example.org/r.pdf',
    });
    const bad = view.measurementInput('E06000008', 'PERCENTAGE', {
      indicator: 'GET_ON_WELL',
      periodLabel: 'Survey wave',
      'periodStart-day': '31',
      'periodStart-month': '2',
      'periodStart-year': '2021',
      value: 'high',
      sampleSize: '5.5',
    });
    // the API is asked to check the rest only: an unreadable date goes blank, a value as 0, a sample left out
    expect(bad.input).toMatchObject({ periodStart: '', periodEnd: '', value: 0 });
    expect(bad.input.sampleSize).toBeUndefined();
    expect(Object.keys(bad.problems)).toEqual(['periodStart-day', 'periodEnd-day', 'value', 'sampleSize']);
  });

  it("shows the API's refusals beside their fields, in sentences, linking date errors to the day box", () => {
    const errors = refusals(
      [badInput('value', 'must be between 0 and 100 (the unit is a percentage)')],
      view.MEASUREMENT_FIELDS,
    );
    expect(errors.summary).toEqual([
      { href: '#value', text: 'The value must be between 0 and 100 (the unit is a percentage)' },
    ]);
    // A locked quarter is a CONFLICT that is not a stale revision: shown in the API's words.
    const locked = refusals(
      [
        {
          code: 'CONFLICT',
          message: '2021-22 Q1 is locked for Blackburn with Darwen: its return is submitted.',
          field: 'period',
          extensions: { period: '2021-22 Q1' },
        },
      ],
      view.MEASUREMENT_FIELDS,
    );
    expect(locked.byField).toEqual({
      periodLabel: '2021-22 Q1 is locked for Blackburn with Darwen: its return is submitted.',
    });
    expect(
      refusals(
        [badInput('input.date', 'must be after the baseline date (2019-03-31)')],
        view.MEASUREMENT_FIELDS,
      ).summary,
    ).toEqual([{ href: '#date-day', text: 'The date must be after the baseline date (31 March 2019)' }]);
  });

  it('lists returns by quarter with GOV.UK tags, says why a quarter is locked, and opens on the return to do next', () => {
    const year = [
      aReturn('2021-22 Q1', 'APPROVED', '2021-04-01'),
      aReturn('2021-22 Q2', 'SUBMITTED', '2021-07-01'),
      aReturn('2021-22 Q3', 'SENT_BACK', '2021-10-01'),
      aReturn('2021-22 Q4', 'NOT_SUBMITTED', '2022-01-01'),
    ];
    const rows = view.returnRows(year, '2021-12-01');
    expect(rows.map((r) => r.tag.text)).toEqual(['Approved', 'Submitted', 'Sent back', 'Not open yet']);
    expect(rows.map((r) => r.canSubmit)).toEqual([false, false, true, false]);
    expect(rows[2]!.comments).toBe('Add the survey figures');
    expect(view.lockReason(year[1]!)).toBe(
      'Its return was submitted on 20 July 2021 and is awaiting review by the central team.',
    );
    expect(view.lockReason(year[0]!)).toMatch(/approved by the central team on 2 August 2021/);
    expect(view.lockReason(year[2]!)).toBeUndefined();
    // The next return to do: Q3 of the same year after Q2; the next year once Q4 is locked.
    const funded = ['2021-22', '2022-23'];
    expect(view.defaultReturnsYear(year.slice(0, 2), funded, '2026-12-07')).toBe('2021-22');
    expect(view.defaultReturnsYear(year, funded, '2026-12-07')).toBe('2021-22');
    const q4 = aReturn('2021-22 Q4', 'APPROVED', '2022-01-01');
    const locked = [year[0]!, year[1]!, { ...year[2]!, status: 'APPROVED' as const, locked: true }, q4];
    expect(view.defaultReturnsYear(locked, funded, '2026-12-07')).toBe('2022-23');
    expect(view.returnsYears(year, funded, '2023-05-01')).toEqual(['2021-22', '2022-23']);
  });

  it('offers the years the area has grant for, as "Due and overdue" counts them, not every year since its first', () => {
    // The demo's pilots: 2019-20 and 2020-21 funded, every return approved; nothing is due for 2021-22.
    const approved = ['2019-20', '2020-21'].flatMap((y) =>
      [1, 2, 3, 4].map((q) => aReturn(`${y} Q${q}`, 'APPROVED', `${y.slice(0, 4)}-04-01`)),
    );
    const funded = ['2019-20', '2020-21'];
    expect(view.returnsYears(approved, funded, '2026-12-07')).toEqual(funded);
    expect(view.defaultReturnsYear(approved, funded, '2026-12-07')).toBe('2020-21');
    const area = { code: 'E06000008', name: 'Blackburn with Darwen', kind: 'PILOT' };
    const due = (years: string[]) =>
      dueReturns(
        [{ ...area, fundingYears: years.map((year) => ({ year })), returns: approved }],
        '2026-12-07',
        30,
      );
    expect(due(funded)).toEqual([]);
    // Funded for this year too: the returns page opens on it, and its ended quarters are due.
    const withThisYear = [...funded, '2026-27'];
    expect(view.defaultReturnsYear(approved, withThisYear, '2026-12-07')).toBe('2026-27');
    const owed = due(withThisYear);
    expect(owed.map((d) => d.quarter)).toEqual(['2026-27 Q1', '2026-27 Q2']);
    // The returns page says so of the same quarters; a quarter still running has not ended.
    const thisYear = [1, 2, 3, 4].map((q) =>
      aReturn(
        `2026-27 Q${q}`,
        'NOT_SUBMITTED',
        ['2026-04-01', '2026-07-01', '2026-10-01', '2027-01-01'][q - 1]!,
      ),
    );
    const ends = ['2026-06-30', '2026-09-30', '2026-12-31', '2027-03-31'];
    const rows = view.returnRows(
      thisYear.map((r, i) => ({ ...r, endDate: ends[i]! })),
      '2026-12-07',
      new Map(owed.map((d) => [d.quarter, d])),
    );
    expect(rows.map((r) => r.details)).toEqual([
      'Quarter ended 30 June 2026. Overdue: it was due by 30 July 2026',
      'Quarter ended 30 September 2026. Overdue: it was due by 30 October 2026',
      'Quarter ends 31 December 2026',
      'Quarter starts 1 January 2027',
    ]);
    // A return made for a year without grant is still listed; an area with neither is offered the current year.
    expect(
      view.returnsYears([aReturn('2022-23 Q1', 'SUBMITTED', '2022-04-01')], funded, '2026-12-07'),
    ).toEqual(['2019-20', '2020-21', '2022-23']);
    expect(view.returnsYears([], [], '2026-12-07')).toEqual(['2026-27']);
    expect(
      view.actionsInWords([
        { status: 'PLANNED', count: 1 },
        { status: 'IN_PROGRESS', count: 2 },
        { status: 'CANCELLED', count: 0 },
      ]),
    ).toBe('1 planned, 2 in progress');
    expect(view.actionsInWords([{ status: 'PLANNED', count: 0 }])).toBe('No actions');
  });

  it('draws an indicator against its baseline and targets as SVG a strict CSP accepts', async () => {
    const spec = view.indicatorChartSpec(
      { name: 'People who get on well', unit: 'PERCENTAGE' },
      [
        { periodEnd: '2020-03-31', periodLabel: 'Pulse 2020', value: 73.4 },
        { periodEnd: '2020-09-30', periodLabel: 'Survey 2020', value: 75.1 },
      ],
      { value: 72, date: '2019-03-31', source: 'Survey' },
      [{ value: 77, date: '2021-03-31' }],
    );
    const svg = await chartSvg(spec);
    expect(svg).toMatch(/^<svg aria-hidden="true" focusable="false"/);
    expect(svg).not.toMatch(/\sstyle="/);
    expect(svg).toContain('Per cent');
    expect(
      decorativeSvg(
        svgWithoutInlineStyles('<svg role="graphics-document"><g style="fill: red; opacity:0.5"></g></svg>'),
      ),
    ).toBe('<svg aria-hidden="true" focusable="false"><g fill="red" opacity="0.5"></g></svg>');
  });
});
