import { describe, expect, it } from '@jest/globals';
import { formErrors, isoDate, penceFromPounds, wholeNumber } from './forms.js';

describe('forms over the API', () => {
  it('shows a BAD_USER_INPUT beside the field it names, and in the summary linked to it', () => {
    const errors = formErrors(
      [
        {
          code: 'BAD_USER_INPUT',
          message: 'Invalid input.value: must be at most 100 for a percentage',
          field: 'input.value',
          extensions: {},
        },
      ],
      { 'input.value': 'value' },
    );
    expect(errors.summary).toEqual([{ text: 'Must be at most 100 for a percentage', href: '#value' }]);
    expect(errors.byField).toEqual({ value: 'Must be at most 100 for a percentage' });
  });

  it('shows each problem of a multi-field refusal, nested paths on their nearest field', () => {
    const errors = formErrors(
      [
        {
          code: 'BAD_USER_INPUT',
          message: 'Invalid input: …',
          field: 'input.title',
          extensions: {
            problems: [
              { field: 'input.title', message: 'must not be empty' },
              { field: 'input.evidence.0.url', message: 'must be an https URL' },
            ],
          },
        },
      ],
      { 'input.title': 'title', 'input.evidence': 'evidence' },
    );
    expect(errors.summary.map((s) => s.href)).toEqual(['#title', '#evidence']);
  });

  it('says a stale revision in words, and shows the rule of any other CONFLICT as the API words it', () => {
    const stale = formErrors(
      [{ code: 'CONFLICT', message: 'stale', extensions: { expectedRevision: 3, actualRevision: 4 } }],
      {},
    );
    expect(stale.summary[0]!.text).toMatch(/changed this record since you opened the page/);
    expect(stale.summary[0]!.href).toBe('#main-content');
    const locked = formErrors(
      [{ code: 'CONFLICT', message: '2019-20 Q3 is locked: its return was approved', extensions: {} }],
      {},
    );
    expect(locked.summary[0]!.text).toBe('2019-20 Q3 is locked: its return was approved');
  });

  it('reads pounds as integer pence, and refuses what is not an amount', () => {
    expect(penceFromPounds('£1,250.50')).toBe(125_050);
    expect(penceFromPounds('1250')).toBe(125_000);
    expect(penceFromPounds('0.5')).toBe(50);
    expect(penceFromPounds('')).toBeUndefined();
    expect(penceFromPounds('12.345')).toBeNaN();
    expect(penceFromPounds('ten')).toBeNaN();
  });

  it('reads whole numbers and GOV.UK date inputs', () => {
    expect(wholeNumber('1,200')).toBe(1200);
    expect(wholeNumber('1.5')).toBeNaN();
    expect(isoDate('1', '10', '2019')).toBe('2019-10-01');
    expect(isoDate('31', '2', '2020')).toBeNull();
    expect(isoDate('', '', '')).toBeUndefined();
  });
});
