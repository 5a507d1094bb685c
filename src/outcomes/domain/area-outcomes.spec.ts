import { describe, expect, it } from '@jest/globals';
import {
  type OutcomeCommand,
  type OutcomeEvent,
  type OutcomeFacts,
  checkEvidenceUrl,
  outcomesDecider,
} from './area-outcomes.js';
import type { Unit } from './indicator.js';
import type { ReturnStatus } from './periodic-return.js';
import type { AppError } from '@iap/common';
import { refusal } from '@iap/common/testing';
import { deciderSpecification } from '@iap/event-store/testing';

const given = deciderSpecification(outcomesDecider);
const areaCode = 'E06000031';

function facts(
  overrides: Partial<OutcomeFacts> & { returnStatuses?: Record<string, ReturnStatus> } = {},
): OutcomeFacts {
  const indicators = new Map<string, { unit: Unit; retired: boolean }>([
    ['ESOL_ENROLMENTS', { unit: 'COUNT', retired: false }],
    ['GET_ON_WELL', { unit: 'PERCENTAGE', retired: false }],
    ['HATE_CRIME_RATE', { unit: 'RATE_PER_1000', retired: false }],
    ['MATCH_FUNDING', { unit: 'POUNDS', retired: false }],
    ['OLD_MEASURE', { unit: 'COUNT', retired: true }],
  ]);
  return {
    area: { registered: true, kind: 'PILOT' },
    indicators,
    returns: new Map(Object.entries(overrides.returnStatuses ?? {})),
    ...overrides,
  };
}
const f = facts();

const baselineSet: OutcomeEvent = {
  type: 'BaselineSet',
  data: {
    areaCode,
    indicatorCode: 'GET_ON_WELL',
    value: 60,
    date: '2019-03-31',
    source: 'Residents survey 2018',
  },
};
const targetSet: OutcomeEvent = {
  type: 'TargetSet',
  data: { areaCode, indicatorCode: 'GET_ON_WELL', value: 70, date: '2021-03-31' },
};
const setBaseline: OutcomeCommand = {
  type: 'SetBaseline',
  areaCode,
  indicatorCode: 'GET_ON_WELL',
  value: 60,
  date: '2019-03-31',
  source: ' Residents survey 2018 ',
  facts: f,
};
const setTarget: OutcomeCommand = {
  type: 'SetTarget',
  areaCode,
  indicatorCode: 'GET_ON_WELL',
  value: 70,
  date: '2021-03-31',
  facts: f,
};
const record: OutcomeCommand = {
  type: 'RecordMeasurement',
  areaCode,
  facts: f,
  measurementId: 'm-1',
  indicatorCode: 'ESOL_ENROLMENTS',
  periodLabel: '2019-20 Q1',
  periodStart: '2019-04-01',
  periodEnd: '2019-06-30',
  value: 120,
  source: 'Programme records',
};
const recorded: OutcomeEvent = {
  type: 'MeasurementRecorded',
  data: {
    areaCode,
    measurementId: 'm-1',
    indicatorCode: 'ESOL_ENROLMENTS',
    periodLabel: '2019-20 Q1',
    periodStart: '2019-04-01',
    periodEnd: '2019-06-30',
    value: 120,
    source: 'Programme records',
  },
};
const correct: OutcomeCommand = {
  type: 'CorrectMeasurement',
  areaCode,
  measurementId: 'm-1',
  value: 125,
  reason: 'Late enrolments from one provider',
  facts: f,
};

const everyCommand: [string, OutcomeCommand][] = [
  ['SetBaseline', setBaseline],
  ['SetTarget', setTarget],
  ['RecordMeasurement', record],
  ['CorrectMeasurement', correct],
];
const history: OutcomeEvent[] = [baselineSet, recorded];

describe('area outcomes: the area', () => {
  it.each(everyCommand)('%s refuses an unregistered area', (_name, command) => {
    given(history)
      .when({ ...command, facts: facts({ area: { registered: false } }) })
      .thenThrows(refusal('NOT_FOUND'));
  });

  it.each(everyCommand)('%s refuses an area that is not a pilot', (_name, command) => {
    given(history)
      .when({ ...command, facts: facts({ area: { registered: true, kind: 'NON_PILOT' } }) })
      .thenThrows(refusal('BAD_USER_INPUT', 'areaCode', /not a pilot/));
  });
});

describe('area outcomes: the indicator', () => {
  it.each(everyCommand.slice(0, 3))('%s refuses an indicator not in the catalogue', (_name, command) => {
    given(history)
      .when({ ...command, indicatorCode: 'NOPE' } as OutcomeCommand)
      .thenThrows(refusal('BAD_USER_INPUT', 'indicatorCode', /not an indicator/));
  });

  it.each(everyCommand.slice(0, 3))('%s refuses a retired indicator', (_name, command) => {
    given(history)
      .when({ ...command, indicatorCode: 'OLD_MEASURE' } as OutcomeCommand)
      .thenThrows(refusal('CONFLICT', 'indicatorCode', /retired/));
  });

  it("CorrectMeasurement refuses when the measurement's indicator has been retired", () => {
    const retired = facts();
    (retired.indicators as Map<string, { unit: Unit; retired: boolean }>).set('ESOL_ENROLMENTS', {
      unit: 'COUNT',
      retired: true,
    });
    given(history)
      .when({ ...correct, facts: retired })
      .thenThrows(refusal('CONFLICT', 'indicatorCode'));
  });
});

describe('area outcomes: baseline', () => {
  it('sets a baseline with its date and source', () => {
    given([]).when(setBaseline).then([baselineSet]);
  });

  it('replaces a baseline, and does nothing when it is the same', () => {
    given([baselineSet])
      .when({ ...setBaseline, value: 61 })
      .then([{ ...baselineSet, data: { ...baselineSet.data, value: 61 } } as OutcomeEvent]);
    given([baselineSet]).when(setBaseline).then([]);
  });

  it.each(['2019-3-31', '31/03/2019', '2019-02-30', ''])('refuses the malformed date %p', (date) => {
    given([])
      .when({ ...setBaseline, date })
      .thenThrows(refusal('BAD_USER_INPUT', 'date'));
  });

  it('refuses a blank source', () => {
    given([])
      .when({ ...setBaseline, source: ' ' })
      .thenThrows(refusal('BAD_USER_INPUT', 'source'));
  });

  it('checks the value against the unit', () => {
    given([])
      .when({ ...setBaseline, value: 101 })
      .thenThrows(refusal('BAD_USER_INPUT', 'value', /percentage/));
  });

  it('refuses a baseline date on or after an existing target date', () => {
    given([baselineSet, targetSet])
      .when({ ...setBaseline, date: '2021-03-31' })
      .thenThrows(refusal('BAD_USER_INPUT', 'date', /target/));
    given([baselineSet, targetSet])
      .when({ ...setBaseline, date: '2020-03-31' })
      .then([{ ...baselineSet, data: { ...baselineSet.data, date: '2020-03-31' } } as OutcomeEvent]);
  });
});

describe('area outcomes: targets', () => {
  it('sets a target after the baseline', () => {
    given([baselineSet]).when(setTarget).then([targetSet]);
  });

  it('keeps several targets by date and replaces the value for a date', () => {
    const second: OutcomeEvent = {
      ...targetSet,
      data: { ...targetSet.data, value: 65, date: '2020-03-31' },
    } as OutcomeEvent;
    const { state } = given([baselineSet, targetSet, second]);
    expect([...state.targets.get('GET_ON_WELL')!.entries()]).toEqual([
      ['2021-03-31', 70],
      ['2020-03-31', 65],
    ]);
    given([baselineSet, targetSet])
      .when({ ...setTarget, value: 72 })
      .then([{ ...targetSet, data: { ...targetSet.data, value: 72 } } as OutcomeEvent]);
    given([baselineSet, targetSet]).when(setTarget).then([]);
  });

  it('refuses a target before there is a baseline', () => {
    given([])
      .when(setTarget)
      .thenThrows(refusal('CONFLICT', 'indicatorCode', /baseline/));
  });

  it('refuses a target dated on or before the baseline date', () => {
    given([baselineSet])
      .when({ ...setTarget, date: '2019-03-31' })
      .thenThrows(refusal('BAD_USER_INPUT', 'date', /after the baseline/));
    given([baselineSet])
      .when({ ...setTarget, date: '2018-12-31' })
      .thenThrows(refusal('BAD_USER_INPUT', 'date'));
  });

  it('refuses a malformed target date', () => {
    given([baselineSet])
      .when({ ...setTarget, date: '2021-13-01' })
      .thenThrows(refusal('BAD_USER_INPUT', 'date', /ISO 8601/));
  });

  it('checks the target value against the unit', () => {
    given([baselineSet])
      .when({ ...setTarget, value: -5 })
      .thenThrows(refusal('BAD_USER_INPUT', 'value'));
  });
});

describe('area outcomes: recording a measurement', () => {
  it('records a measurement as reported for its period', () => {
    given([]).when(record).then([recorded]);
  });

  it('keeps the optional sample size, denominator, evidence and note', () => {
    given([])
      .when({
        ...record,
        indicatorCode: 'GET_ON_WELL',
        value: 64.5,
        sampleSize: 1200,
        denominator: 1250,
        evidenceUrl: 'https://peterborough.gov.uk/survey-2019.pdf',
        note: ' Telephone survey ',
      })
      .then([
        {
          type: 'MeasurementRecorded',
          data: {
            ...recorded.data,
            indicatorCode: 'GET_ON_WELL',
            value: 64.5,
            sampleSize: 1200,
            denominator: 1250,
            evidenceUrl: 'https://peterborough.gov.uk/survey-2019.pdf',
            note: 'Telephone survey',
          },
        } as OutcomeEvent,
      ]);
  });

  it.each<[Unit, string, number]>([
    ['COUNT', 'ESOL_ENROLMENTS', -1],
    ['COUNT', 'ESOL_ENROLMENTS', 2.5],
    ['PERCENTAGE', 'GET_ON_WELL', 100.5],
    ['PERCENTAGE', 'GET_ON_WELL', -1],
    ['RATE_PER_1000', 'HATE_CRIME_RATE', -0.2],
    ['POUNDS', 'MATCH_FUNDING', 99.5],
    ['POUNDS', 'MATCH_FUNDING', -100],
  ])('refuses a %s value out of range (%s = %p)', (_unit, indicatorCode, value) => {
    given([])
      .when({ ...record, indicatorCode, value })
      .thenThrows(refusal('BAD_USER_INPUT', 'value'));
  });

  it.each<[string, number]>([
    ['HATE_CRIME_RATE', 3.25],
    ['MATCH_FUNDING', 250000],
    ['GET_ON_WELL', 100],
  ])('accepts %s = %p', (indicatorCode, value) => {
    expect(
      outcomesDecider.decide({ ...record, indicatorCode, value }, outcomesDecider.initialState()),
    ).toHaveLength(1);
  });

  it('refuses a period that ends before it starts', () => {
    given([])
      .when({ ...record, periodStart: '2019-07-01', periodEnd: '2019-06-30' })
      .thenThrows(refusal('BAD_USER_INPUT', 'periodEnd', /before the period start/));
  });

  it('accepts a one-day period', () => {
    expect(
      outcomesDecider.decide(
        { ...record, periodStart: '2019-06-30', periodEnd: '2019-06-30' },
        outcomesDecider.initialState(),
      ),
    ).toHaveLength(1);
  });

  it('refuses malformed period dates', () => {
    given([])
      .when({ ...record, periodStart: '2019-04-31' })
      .thenThrows(refusal('BAD_USER_INPUT', 'periodStart'));
    given([])
      .when({ ...record, periodEnd: 'June 2019' })
      .thenThrows(refusal('BAD_USER_INPUT', 'periodEnd'));
  });

  it('refuses a blank period label or source', () => {
    given([])
      .when({ ...record, periodLabel: '  ' })
      .thenThrows(refusal('BAD_USER_INPUT', 'periodLabel'));
    given([])
      .when({ ...record, source: '' })
      .thenThrows(refusal('BAD_USER_INPUT', 'source'));
  });

  it.each(['sampleSize', 'denominator'] as const)(
    'refuses a %s that is not a positive whole number',
    (field) => {
      for (const bad of [0, -3, 2.5, 3_000_000_000]) {
        given([])
          .when({ ...record, [field]: bad })
          .thenThrows(refusal('BAD_USER_INPUT', field));
      }
    },
  );

  it.each([
    'ftp://example.org/x.pdf',
    'javascript:alert(1)',
    'example.org/report',
    'not a url',
    'mailto:a@b.org',
  ])('refuses the evidence link %p', (evidenceUrl) => {
    given([])
      .when({ ...record, evidenceUrl })
      .thenThrows(refusal('BAD_USER_INPUT', 'evidenceUrl', /http\(s\) URL/));
  });

  it('accepts http and https evidence links, and treats a blank one as none', () => {
    expect(checkEvidenceUrl('http://walsall.gov.uk/a')).toBe('http://walsall.gov.uk/a');
    expect(checkEvidenceUrl(' https://example.org/r.pdf ')).toBe('https://example.org/r.pdf');
    expect(checkEvidenceUrl('  ')).toBeUndefined();
  });

  it('refuses a second measurement for the same indicator and period, pointing to correctMeasurement', () => {
    const err = given([recorded])
      .when({ ...record, measurementId: 'm-2', value: 130 })
      .thenThrows<AppError>(refusal('CONFLICT', 'period', /correctMeasurement/));
    expect(err.details).toMatchObject({ measurementId: 'm-1', use: 'correctMeasurement' });
  });

  it('accepts the same period for another indicator, and another period for the same indicator', () => {
    given([recorded])
      .when({ ...record, measurementId: 'm-2', indicatorCode: 'HATE_CRIME_RATE', value: 1.2 })
      .then([
        {
          type: 'MeasurementRecorded',
          data: { ...recorded.data, measurementId: 'm-2', indicatorCode: 'HATE_CRIME_RATE', value: 1.2 },
        },
      ]);
    // A survey window that overlaps the quarter is another period.
    expect(
      outcomesDecider.decide(
        { ...record, measurementId: 'm-3', periodStart: '2019-04-01', periodEnd: '2019-09-30' },
        given([recorded]).state,
      ),
    ).toHaveLength(1);
  });

  it('refuses to reuse a measurement id', () => {
    given([recorded])
      .when({ ...record, periodStart: '2019-07-01', periodEnd: '2019-09-30' })
      .thenThrows(refusal('CONFLICT', 'measurementId'));
  });

  it('refuses a measurement whose period ends in a locked quarter (submitted or approved)', () => {
    for (const status of ['SUBMITTED', 'APPROVED'] as const) {
      given([])
        .when({ ...record, facts: facts({ returnStatuses: { '2019-20 Q1': status } }) })
        .thenThrows(refusal('CONFLICT', 'period', /2019-20 Q1 is locked/));
    }
  });

  it('judges the lock by the period end: a period starting in a locked quarter but ending later is open', () => {
    const locked = facts({ returnStatuses: { '2019-20 Q1': 'SUBMITTED' } });
    given([])
      .when({ ...record, periodStart: '2019-06-01', periodEnd: '2019-07-31', facts: locked })
      .then([
        {
          ...recorded,
          data: { ...recorded.data, periodStart: '2019-06-01', periodEnd: '2019-07-31' },
        } as OutcomeEvent,
      ]);
    given([])
      .when({ ...record, periodStart: '2019-01-01', periodEnd: '2019-04-30', facts: locked })
      .thenThrows(refusal('CONFLICT', 'period'));
  });

  it('accepts a measurement in a quarter whose return was sent back', () => {
    given([])
      .when({ ...record, facts: facts({ returnStatuses: { '2019-20 Q1': 'SENT_BACK' } }) })
      .then([recorded]);
  });
});

describe('area outcomes: correcting a measurement', () => {
  it('corrects the value with a reason, keeping the previous value', () => {
    given([recorded])
      .when(correct)
      .then([
        {
          type: 'MeasurementCorrected',
          data: {
            areaCode,
            measurementId: 'm-1',
            indicatorCode: 'ESOL_ENROLMENTS',
            value: 125,
            reason: 'Late enrolments from one provider',
            previousValue: 120,
          },
        },
      ]);
  });

  it('remembers the corrected value as the previous one for the next correction', () => {
    const corrected: OutcomeEvent = {
      type: 'MeasurementCorrected',
      data: {
        areaCode,
        measurementId: 'm-1',
        indicatorCode: 'ESOL_ENROLMENTS',
        value: 125,
        reason: 'r',
        previousValue: 120,
      },
    };
    given([recorded, corrected])
      .when({ ...correct, value: 126, reason: 'One more' })
      .then([
        {
          type: 'MeasurementCorrected',
          data: { ...corrected.data, value: 126, reason: 'One more', previousValue: 125 },
        },
      ]);
  });

  it('carries over the sample size and denominator unless corrected', () => {
    const withSample: OutcomeEvent = {
      ...recorded,
      data: {
        ...recorded.data,
        indicatorCode: 'GET_ON_WELL',
        value: 64,
        sampleSize: 1000,
        denominator: 1100,
      },
    } as OutcomeEvent;
    given([withSample])
      .when({ ...correct, value: 65, sampleSize: 1010 })
      .then([
        {
          type: 'MeasurementCorrected',
          data: {
            areaCode,
            measurementId: 'm-1',
            indicatorCode: 'GET_ON_WELL',
            value: 65,
            sampleSize: 1010,
            denominator: 1100,
            reason: 'Late enrolments from one provider',
            previousValue: 64,
          },
        },
      ]);
  });

  it('does nothing when nothing changes', () => {
    given([recorded])
      .when({ ...correct, value: 120 })
      .then([]);
  });

  it('refuses a correction without a reason', () => {
    given([recorded])
      .when({ ...correct, reason: '   ' })
      .thenThrows(refusal('BAD_USER_INPUT', 'reason'));
  });

  it('refuses to correct a measurement that does not exist', () => {
    given([]).when(correct).thenThrows(refusal('NOT_FOUND'));
  });

  it('checks the corrected value against the unit', () => {
    given([recorded])
      .when({ ...correct, value: -1 })
      .thenThrows(refusal('BAD_USER_INPUT', 'value'));
    given([recorded])
      .when({ ...correct, sampleSize: 0 })
      .thenThrows(refusal('BAD_USER_INPUT', 'sampleSize'));
  });

  it('refuses a correction in a locked quarter, and accepts it once sent back', () => {
    given([recorded])
      .when({ ...correct, facts: facts({ returnStatuses: { '2019-20 Q1': 'APPROVED' } }) })
      .thenThrows(refusal('CONFLICT', 'period', /locked/));
    expect(
      outcomesDecider.decide(
        {
          ...correct,
          facts: facts({ returnStatuses: { '2019-20 Q1': 'SENT_BACK', '2019-20 Q2': 'SUBMITTED' } }),
        },
        given([recorded]).state,
      ),
    ).toHaveLength(1);
  });
});
