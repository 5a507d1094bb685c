import { describe, expect, it } from '@jest/globals';
import {
  type FundingYear,
  filterQuery,
  financialYearOf,
  lifecycleChanges,
  quarterChoices,
  spendByQuarter,
  spendChartSpec,
  statusTag,
} from './area.view.js';

const year = (y: string, spend: FundingYear['spend']): FundingYear => ({
  year: y,
  allocatedPence: 0,
  committedPence: 0,
  spentPence: 0,
  matchCashPence: 0,
  matchInKindPence: 0,
  uncommittedPence: 0,
  spendRate: null,
  revision: 3,
  spend,
});

describe('the area dashboard view', () => {
  it("adds up each quarter's spend across actions, every quarter of every year shown (none: 0), oldest first", () => {
    const quarters = spendByQuarter([
      year('2020-21', [{ actionId: 'b', quarter: '2020-21 Q2', amountPence: 500 }]),
      year('2019-20', [
        { actionId: 'a', quarter: '2019-20 Q1', amountPence: 100 },
        { actionId: 'b', quarter: '2019-20 Q1', amountPence: 250 },
        { actionId: 'a', quarter: '2019-20 Q4', amountPence: 7 },
      ]),
    ]);
    expect(quarters.map((q) => q.quarter)).toEqual([
      '2019-20 Q1',
      '2019-20 Q2',
      '2019-20 Q3',
      '2019-20 Q4',
      '2020-21 Q1',
      '2020-21 Q2',
      '2020-21 Q3',
      '2020-21 Q4',
    ]);
    expect(quarters.map((q) => q.pence)).toEqual([350, 0, 0, 7, 0, 500, 0, 0]);
  });

  it('charts the quarters in pounds, in their own order', () => {
    const spec = spendChartSpec([
      { quarter: '2019-20 Q1', pence: 12_345 },
      { quarter: '2019-20 Q2', pence: 0 },
    ]) as { data: { values: unknown[] }; encoding: { x: { sort: unknown } } };
    expect(spec.data.values).toEqual([
      { quarter: '2019-20 Q1', pounds: 123.45 },
      { quarter: '2019-20 Q2', pounds: 0 },
    ]);
    expect(spec.encoding.x.sort).toBeNull();
  });

  it('shows each status as a GOV.UK tag of its own colour', () => {
    expect(statusTag('IN_PROGRESS')).toEqual({ text: 'In progress', classes: 'govuk-tag--blue' });
    expect(statusTag('COMPLETED').classes).toBe('govuk-tag--green');
    expect(statusTag('PAUSED').classes).toBe('govuk-tag--yellow');
    expect(
      new Set(['PLANNED', 'IN_PROGRESS', 'PAUSED', 'COMPLETED', 'CANCELLED'].map((s) => statusTag(s).classes))
        .size,
    ).toBe(5);
  });

  it('offers the lifecycle changes of each status, none for a finished action', () => {
    expect(lifecycleChanges('PLANNED')).toEqual(['start', 'cancel']);
    expect(lifecycleChanges('IN_PROGRESS')).toEqual(['complete', 'pause', 'cancel']);
    expect(lifecycleChanges('PAUSED')).toEqual(['resume', 'cancel']);
    expect(lifecycleChanges('COMPLETED')).toEqual([]);
    expect(lifecycleChanges('CANCELLED')).toEqual([]);
  });

  it("lists a spend form's quarters open first, locked ones saying that their return locks them", () => {
    const choices = quarterChoices(
      ['2019-20'],
      [
        { quarter: '2019-20 Q1', status: 'APPROVED', locked: true },
        { quarter: '2019-20 Q2', status: 'SUBMITTED', locked: true },
        { quarter: '2019-20 Q3', status: 'SENT_BACK', locked: false },
      ],
      '2019-20 Q3',
    );
    expect(choices.map((c) => c.text)).toEqual([
      '2019-20 Q3',
      '2019-20 Q4',
      '2019-20 Q1 (locked: return approved)',
      '2019-20 Q2 (locked: return submitted)',
    ]);
    expect(choices.filter((c) => c.selected).map((c) => c.value)).toEqual(['2019-20 Q3']);
    expect(choices.find((c) => c.value === '2019-20 Q4')?.status).toBe('NOT_SUBMITTED');
  });

  it('names financial years from April and keeps only the filters given', () => {
    expect(financialYearOf('2021-03-31')).toBe('2020-21');
    expect(financialYearOf('2021-04-01')).toBe('2021-22');
    expect(financialYearOf('2099-12-01')).toBe('2099-00');
    expect(filterQuery({ status: 'PLANNED', theme: undefined, after: '' })).toBe('?status=PLANNED');
    expect(filterQuery({})).toBe('');
  });
});
