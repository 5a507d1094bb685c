import { describe, expect, it } from '@jest/globals';
import type { AreaReturns } from './returns.view.js';
import * as view from './returns.view.js';

const row = (
  quarter: string,
  status: AreaReturns['returns'][number]['status'],
  submittedAt: string | null = null,
) => ({
  quarter,
  status,
  startDate: '',
  endDate: '',
  submittedAt,
});

const AREAS: AreaReturns[] = [
  {
    code: 'E08000030',
    name: 'Walsall',
    kind: 'PILOT',
    fundingYears: [{ year: '2019-20' }],
    returns: [
      row('2019-20 Q1', 'APPROVED', '2019-07-10T10:00:00Z'),
      row('2019-20 Q2', 'SENT_BACK', '2019-10-10T10:00:00Z'),
      row('2019-20 Q3', 'SUBMITTED', '2020-01-20T10:00:00Z'),
    ],
  },
  {
    code: 'E06000008',
    name: 'Blackburn with Darwen',
    kind: 'PILOT',
    fundingYears: [{ year: '2019-20' }],
    returns: [row('2019-20 Q1', 'SUBMITTED', '2019-07-05T10:00:00Z')],
  },
  {
    code: 'E06000016',
    name: 'Leicester',
    kind: 'NON_PILOT',
    fundingYears: [{ year: '2019-20' }],
    returns: [],
  },
];

describe("the central team's returns", () => {
  it('names a quarter in a URL and back, and refuses what is not a quarter', () => {
    expect(view.quarterSlug('2019-20 Q3')).toBe('2019-20-Q3');
    expect(view.quarterFromSlug('2019-20-Q3')).toBe('2019-20 Q3');
    expect(view.quarterFromSlug('2019-21-Q3')).toBeUndefined();
    expect(view.quarterFromSlug('2019-20-Q5')).toBeUndefined();
    expect(view.quarterFromSlug('nonsense')).toBeUndefined();
  });

  it('finds the quarter before, across a year end', () => {
    expect(view.previousQuarter('2019-20 Q3')).toBe('2019-20 Q2');
    expect(view.previousQuarter('2020-21 Q1')).toBe('2019-20 Q4');
    expect(view.previousQuarter('1999-00 Q1')).toBe('1998-99 Q4');
  });

  it('queues the submitted returns, the longest waiting first', () => {
    expect(view.waitingReturns(AREAS).map((r) => `${r.areaName} ${r.quarter} ${r.slug}`)).toEqual([
      'Blackburn with Darwen 2019-20 Q1 2019-20-Q1',
      'Walsall 2019-20 Q3 2019-20-Q3',
    ]);
  });

  it('lists the ended quarters of funded years not submitted, due a set number of days after they end', () => {
    const due = view.dueReturns(AREAS, '2020-02-15', 30);
    expect(due.map((d) => `${d.areaName} ${d.quarter} ${d.status} ${d.dueDate} ${d.overdue}`)).toEqual([
      'Blackburn with Darwen 2019-20 Q2 NOT_SUBMITTED 2019-10-30 true',
      'Walsall 2019-20 Q2 SENT_BACK 2019-10-30 true',
      'Blackburn with Darwen 2019-20 Q3 NOT_SUBMITTED 2020-01-30 true',
    ]);
    // Q4 has not ended on 15 February; a non-pilot council owes no return.
    expect(due.some((d) => d.quarter === '2019-20 Q4' || d.areaName === 'Leicester')).toBe(false);
  });

  it('says a return is due, not overdue, until its due date has passed, counting the configured days', () => {
    const on = view.dueReturns(AREAS, '2020-01-30', 30).find((d) => d.quarter === '2019-20 Q3');
    expect(on).toMatchObject({ dueDate: '2020-01-30', overdue: false });
    const after = view.dueReturns(AREAS, '2020-01-31', 30).find((d) => d.quarter === '2019-20 Q3');
    expect(after?.overdue).toBe(true);
    expect(view.dueReturns(AREAS, '2020-01-31', 45).find((d) => d.quarter === '2019-20 Q3')).toMatchObject({
      dueDate: '2020-02-14',
      overdue: false,
    });
  });

  it('adds days across months and leap years', () => {
    expect(view.addDays('2019-12-31', 30)).toBe('2020-01-30');
    expect(view.addDays('2020-02-28', 1)).toBe('2020-02-29');
  });

  it('compares a return with the quarter before, figure by figure', () => {
    const rows = view.compareReturns(
      {
        spend: 150_000,
        measurements: 4,
        actionsByStatus: [
          { status: 'IN_PROGRESS', count: 3 },
          { status: 'PLANNED', count: 1 },
        ],
      },
      {
        spend: 100_000,
        measurements: 5,
        actionsByStatus: [
          { status: 'PLANNED', count: 3 },
          { status: 'COMPLETED', count: 1 },
        ],
      },
    );
    expect(rows.map((r) => [r.label, r.current, r.previous, r.change])).toEqual([
      ['Spend reported for the quarter', 150_000, 100_000, 50_000],
      ['Measurements for the quarter', 4, 5, -1],
      ['Actions planned', 1, 3, -2],
      ['Actions in progress', 3, 0, 3],
      ['Actions completed', 0, 1, -1],
    ]);
  });

  it('leaves the previous figures and the change empty when the quarter before has no return', () => {
    const rows = view.compareReturns({ spend: 10, measurements: 1, actionsByStatus: [] }, null);
    expect(rows[0]).toMatchObject({ current: 10, previous: null, change: null });
  });
});
