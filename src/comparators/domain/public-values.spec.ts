import { describe, expect, it } from '@jest/globals';
import { BadUserInputError } from '@iap/common';
import { deciderSpecification } from '@iap/event-store/testing';
import {
  type ImportPublicValues,
  type PublicDataEvent,
  checkPublicValues,
  parsePublicPeriod,
  publicDataDecider,
} from './public-values.js';

const HEADER = ['ONS code', 'Area name', 'Indicator code', 'Period', 'Value', 'Source'];
const table = (...rows: string[][]) => ({
  header: HEADER,
  records: rows.map((fields, i) => ({ line: i + 2, fields })),
});
const problems = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(BadUserInputError);
    return (err as BadUserInputError).problems;
  }
  throw new Error('expected a refusal');
};

describe('public indicator values', () => {
  it('reads periods as public data names them', () => {
    expect(parsePublicPeriod('2019/20')).toEqual({ name: '2019-20', start: '2019-04-01', end: '2020-03-31' });
    expect(parsePublicPeriod('2019-20 Q3')).toEqual({
      name: '2019-20 Q3',
      start: '2019-10-01',
      end: '2019-12-31',
    });
    expect(parsePublicPeriod('2019')).toEqual({ name: '2019', start: '2019-01-01', end: '2019-12-31' });
    expect(parsePublicPeriod('2019-21')).toBeNull();
    expect(parsePublicPeriod('last year')).toBeNull();
  });

  it('checks each row and answers its values', () => {
    const rows = checkPublicValues(
      table([
        'E06000008',
        'Blackburn with Darwen',
        'GET_ON_WELL',
        '2019/20',
        '1,234.5',
        'Survey (illustrative)',
      ]),
    );
    expect(rows).toEqual([
      {
        row: 2,
        areaCode: 'E06000008',
        areaName: 'Blackburn with Darwen',
        indicatorCode: 'GET_ON_WELL',
        period: '2019-20',
        periodStart: '2019-04-01',
        periodEnd: '2020-03-31',
        value: 1234.5,
        source: 'Survey (illustrative)',
      },
    ]);
  });

  it('names the row and column of every problem, and refuses the whole file', () => {
    const found = problems(() =>
      checkPublicValues(
        table(
          ['E06000008', 'Blackburn', 'GET_ON_WELL', '2019-20', '70', 'S'],
          ['X1', 'Nowhere', 'get on', '2019-21', 'lots', ''],
          ['E06000008', 'Blackburn', 'GET_ON_WELL', '2019/20', '71', 'S'],
          ['E06000008', 'too few'],
        ),
      ),
    );
    expect(found.map((p) => p.field)).toEqual([
      'rows.3.ons_code',
      'rows.3.indicator_code',
      'rows.3.period',
      'rows.3.value',
      'rows.3.source',
      'rows.4.period',
      'rows.5.file',
    ]);
    expect(found[3].message).toBe('row 3, column value: "lots" is not a number');
    expect(found[5].message).toContain('repeats row 2');
    expect(problems(() => checkPublicValues({ header: ['code', 'value'], records: [] }))[0]).toEqual({
      field: 'file',
      message:
        'the first row must name the columns ons_code, indicator_code, period, value, source; missing: ons_code, indicator_code, period, source',
    });
    expect(problems(() => checkPublicValues(table()))[0].message).toBe('has no rows below its header');
  });

  it('records each row once: the same file again records nothing', () => {
    const rows = checkPublicValues(
      table(
        ['E06000008', '', 'GET_ON_WELL', '2019-20', '70', 'S'],
        ['E08000030', '', 'GET_ON_WELL', '2019-20', '72', 'S'],
      ),
    );
    const command: ImportPublicValues = {
      type: 'ImportPublicValues',
      digest: 'a'.repeat(64),
      fileName: 'f.csv',
      rows,
    };
    const events: PublicDataEvent[] = [
      { type: 'PublicDataFileImported', data: { digest: 'a'.repeat(64), fileName: 'f.csv', rowCount: 2 } },
      { type: 'PublicValuesRecorded', data: { digest: 'a'.repeat(64), values: rows } },
    ];
    const given = deciderSpecification(publicDataDecider);
    given([]).when(command).then(events);
    given(events).when(command).thenNothingHappened();
    // A file cut off after its first row's event: only the missing row is recorded.
    given([events[0], { type: 'PublicValuesRecorded', data: { digest: 'a'.repeat(64), values: [rows[0]] } }])
      .when(command)
      .then([{ type: 'PublicValuesRecorded', data: { digest: 'a'.repeat(64), values: [rows[1]] } }]);
  });
});
