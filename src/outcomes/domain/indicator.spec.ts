import { describe, expect, it } from '@jest/globals';
import {
  type IndicatorCommand,
  type IndicatorEvent,
  type ThemeFacts,
  checkValue,
  indicatorDecider,
  isAdditive,
} from './indicator.js';
import { refusal } from '@iap/common/testing';
import { deciderSpecification } from '@iap/event-store/testing';
import { ESOL_ENROLMENTS } from './testing/indicators.js';

const given = deciderSpecification(indicatorDecider);

const themes: ThemeFacts = new Map([
  ['ENGLISH_LANGUAGE', { kind: 'STRATEGY_THEME', retired: false }],
  ['PLACES_AND_COMMUNITY', { kind: 'STRATEGY_THEME', retired: false }],
  ['OLD_THEME', { kind: 'STRATEGY_THEME', retired: true }],
  ['SOCIAL_MOBILITY', { kind: 'INTEGRATION_FACTOR', retired: false }],
  ['RESPONSIBILITY', { kind: 'INTEGRATION_FACTOR', retired: true }],
]);

const esol = ESOL_ENROLMENTS;
const define: IndicatorCommand = { type: 'DefineIndicator', themes, ...esol };
const defined: IndicatorEvent = { type: 'IndicatorDefined', data: esol };
const revise: IndicatorCommand = {
  type: 'ReviseIndicator',
  themes,
  code: 'ESOL_ENROLMENTS',
  name: 'ESOL learners enrolled (all levels)',
  theme: 'ENGLISH_LANGUAGE',
  domain: 'LANGUAGE_AND_COMMUNICATION',
  definition: 'Adults enrolled on an ESOL course at any level in the period',
  source: 'Programme records',
};

describe('indicator catalogue: define', () => {
  it('defines an indicator with its unit, direction, theme, domain and factor', () => {
    given([]).when(define).then([defined]);
  });

  it('trims text and leaves out an empty integration factor', () => {
    given([])
      .when({
        ...define,
        name: '  ESOL learners enrolled ',
        integrationFactor: ' ',
        source: ' Programme records ',
      })
      .then([{ type: 'IndicatorDefined', data: (({ integrationFactor: _f, ...rest }) => rest)(esol) }]);
  });

  it('refuses a second definition of a code', () => {
    given([defined]).when(define).thenThrows(refusal('CONFLICT', 'code'));
  });

  it.each(['esol', 'E', '1ESOL', 'ESOL-ENROLMENTS', ' ESOL', 'A'.repeat(41)])(
    'refuses the malformed code %p',
    (code) => {
      given([])
        .when({ ...define, code })
        .thenThrows(refusal('BAD_USER_INPUT', 'code'));
    },
  );

  it('refuses an unknown unit', () => {
    given([])
      .when({ ...define, unit: 'PERCENT' as never })
      .thenThrows(refusal('BAD_USER_INPUT', 'unit'));
  });

  it.each(['COUNT', 'PERCENTAGE', 'RATE_PER_1000', 'POUNDS'] as const)('accepts the unit %s', (unit) => {
    expect(
      indicatorDecider.decide({ ...define, unit }, indicatorDecider.initialState())[0].data,
    ).toMatchObject({ unit });
  });

  it('refuses an unknown direction', () => {
    given([])
      .when({ ...define, direction: 'UP' as never })
      .thenThrows(refusal('BAD_USER_INPUT', 'direction'));
  });

  it.each(['HIGHER_IS_BETTER', 'LOWER_IS_BETTER'] as const)('accepts the direction %s', (direction) => {
    expect(
      indicatorDecider.decide({ ...define, direction }, indicatorDecider.initialState())[0].data,
    ).toMatchObject({
      direction,
    });
  });

  it('refuses a domain outside the 14 Indicators of Integration domains', () => {
    given([])
      .when({ ...define, domain: 'TRANSPORT' as never })
      .thenThrows(refusal('BAD_USER_INPUT', 'domain'));
  });

  it('refuses a theme not in the theme catalogue', () => {
    given([])
      .when({ ...define, theme: 'NOT_A_THEME' })
      .thenThrows(refusal('BAD_USER_INPUT', 'theme', /not a theme/));
  });

  it('refuses a retired theme', () => {
    given([])
      .when({ ...define, theme: 'OLD_THEME' })
      .thenThrows(refusal('BAD_USER_INPUT', 'theme', /retired/));
  });

  it('refuses an integration factor as the strategy theme', () => {
    given([])
      .when({ ...define, theme: 'SOCIAL_MOBILITY' })
      .thenThrows(refusal('BAD_USER_INPUT', 'theme', /strategy theme/));
  });

  it('refuses a strategy theme as the integration factor', () => {
    given([])
      .when({ ...define, integrationFactor: 'ENGLISH_LANGUAGE' })
      .thenThrows(refusal('BAD_USER_INPUT', 'integrationFactor', /integration factor/));
  });

  it('refuses an unknown or retired integration factor', () => {
    given([])
      .when({ ...define, integrationFactor: 'NOPE' })
      .thenThrows(refusal('BAD_USER_INPUT', 'integrationFactor'));
    given([])
      .when({ ...define, integrationFactor: 'RESPONSIBILITY' })
      .thenThrows(refusal('BAD_USER_INPUT', 'integrationFactor'));
  });

  it.each(['name', 'definition', 'source'] as const)('refuses a blank %s', (field) => {
    given([])
      .when({ ...define, [field]: '  ' })
      .thenThrows(refusal('BAD_USER_INPUT', field));
  });
});

describe('indicator catalogue: revise and retire', () => {
  it('revises the descriptive fields, keeping unit and direction', () => {
    const data = {
      code: 'ESOL_ENROLMENTS',
      name: 'ESOL learners enrolled (all levels)',
      theme: 'ENGLISH_LANGUAGE',
      domain: 'LANGUAGE_AND_COMMUNICATION' as const,
      definition: 'Adults enrolled on an ESOL course at any level in the period',
      source: 'Programme records',
    };
    given([defined])
      .when(revise)
      .then([{ type: 'IndicatorRevised', data }]);
    const { state } = given([defined, { type: 'IndicatorRevised', data }]);
    expect(state.get('ESOL_ENROLMENTS')).toEqual({
      ...data,
      unit: 'COUNT',
      direction: 'HIGHER_IS_BETTER',
      retired: false,
    });
  });

  it('does nothing when nothing changes', () => {
    const { unit: _u, direction: _d, ...rest } = esol;
    given([defined])
      .when({ type: 'ReviseIndicator', themes, ...rest })
      .then([]);
  });

  it('refuses to revise an unknown indicator', () => {
    given([]).when(revise).thenThrows(refusal('NOT_FOUND'));
  });

  it('checks the theme on revision too', () => {
    given([defined])
      .when({ ...revise, theme: 'OLD_THEME' })
      .thenThrows(refusal('BAD_USER_INPUT', 'theme'));
  });

  it('refuses to revise a retired indicator', () => {
    given([defined, { type: 'IndicatorRetired', data: { code: 'ESOL_ENROLMENTS', reason: 'replaced' } }])
      .when(revise)
      .thenThrows(refusal('CONFLICT', 'code'));
  });

  it('retires an indicator with a reason', () => {
    given([defined])
      .when({ type: 'RetireIndicator', code: 'ESOL_ENROLMENTS', reason: ' replaced by ESOL_COMPLETIONS ' })
      .then([
        {
          type: 'IndicatorRetired',
          data: { code: 'ESOL_ENROLMENTS', reason: 'replaced by ESOL_COMPLETIONS' },
        },
      ]);
  });

  it('refuses to retire without a reason', () => {
    given([defined])
      .when({ type: 'RetireIndicator', code: 'ESOL_ENROLMENTS', reason: ' ' })
      .thenThrows(refusal('BAD_USER_INPUT', 'reason'));
  });

  it('refuses to retire an unknown indicator, or one already retired', () => {
    given([])
      .when({ type: 'RetireIndicator', code: 'ESOL_ENROLMENTS', reason: 'x' })
      .thenThrows(refusal('NOT_FOUND'));
    given([defined, { type: 'IndicatorRetired', data: { code: 'ESOL_ENROLMENTS', reason: 'x' } }])
      .when({ type: 'RetireIndicator', code: 'ESOL_ENROLMENTS', reason: 'x' })
      .thenThrows(refusal('CONFLICT', 'code'));
  });
});

describe('values by unit', () => {
  const bad = (fn: () => unknown) =>
    expect(fn).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }) as never);

  it('COUNT: whole and not negative', () => {
    expect(checkValue('COUNT', 0)).toBe(0);
    expect(checkValue('COUNT', 1234)).toBe(1234);
    bad(() => checkValue('COUNT', -1));
    bad(() => checkValue('COUNT', 1.5));
  });

  it('PERCENTAGE: between 0 and 100', () => {
    expect(checkValue('PERCENTAGE', 0)).toBe(0);
    expect(checkValue('PERCENTAGE', 81.5)).toBe(81.5);
    expect(checkValue('PERCENTAGE', 100)).toBe(100);
    bad(() => checkValue('PERCENTAGE', -0.1));
    bad(() => checkValue('PERCENTAGE', 100.1));
  });

  it('RATE_PER_1000: not negative, fractions allowed', () => {
    expect(checkValue('RATE_PER_1000', 2.75)).toBe(2.75);
    expect(checkValue('RATE_PER_1000', 1500)).toBe(1500);
    bad(() => checkValue('RATE_PER_1000', -0.5));
  });

  it('POUNDS: whole pence, not negative', () => {
    expect(checkValue('POUNDS', 38313300)).toBe(38313300);
    bad(() => checkValue('POUNDS', 10.5));
    bad(() => checkValue('POUNDS', -100));
    bad(() => checkValue('POUNDS', Number.MAX_SAFE_INTEGER + 2));
  });

  it('refuses non-numbers whatever the unit', () => {
    bad(() => checkValue('RATE_PER_1000', Number.NaN));
    bad(() => checkValue('PERCENTAGE', Number.POSITIVE_INFINITY));
  });

  it('names the field', () => {
    expect(() => checkValue('COUNT', -1, 'target')).toThrow('Invalid target');
  });

  it('adds up counts and money only', () => {
    expect([
      isAdditive('COUNT'),
      isAdditive('POUNDS'),
      isAdditive('PERCENTAGE'),
      isAdditive('RATE_PER_1000'),
    ]).toEqual([true, true, false, false]);
  });
});
