import { describe, expect, it } from '@jest/globals';
import {
  commandFields,
  dateProblem,
  formErrors,
  inFormOrder,
  isoDate,
  keptState,
  mergeErrors,
  penceFromPounds,
  refusals,
  shownState,
  wholeNumber,
} from './forms.js';
import { badInput, badInputs } from './testing.js';

describe('a date the page cannot read, in the words of the GOV.UK date input guidance', () => {
  it('names what is missing, a year not in full, or a date that cannot be', () => {
    const said = (d: string, m: string, y: string) => dateProblem('The planned start date', d, m, y);
    expect(said('', '', '')).toBeUndefined();
    expect(said('1', '4', '2021')).toBeUndefined();
    expect(said('1', '4', '')).toBe('The planned start date must include a year');
    expect(said('', '', '2021')).toBe('The planned start date must include a day and month');
    expect(said(' ', '4', ' ')).toBe('The planned start date must include a day and year');
    expect(said('1', '4', '21')).toBe('The year of the planned start date must include 4 numbers');
    expect(said('31', '2', '2021')).toBe('The planned start date must be a real date, like 27 3 2021');
    expect(said('1', '13', '2021')).toBe('The planned start date must be a real date, like 27 3 2021');
  });
});

describe('forms over the API', () => {
  it('shows a BAD_USER_INPUT beside the field it names, and in the summary linked to it', () => {
    const errors = formErrors([badInput('input.value', 'must be at most 100 for a percentage')], {
      'input.value': 'value',
    });
    expect(errors.summary).toEqual([{ text: 'Must be at most 100 for a percentage', href: '#value' }]);
    expect(errors.byField).toEqual({ value: 'Must be at most 100 for a percentage' });
  });

  it('shows each problem of a multi-field refusal, nested paths on their nearest field', () => {
    const errors = formErrors(
      [badInputs(['input.title', 'must not be empty'], ['input.evidence.0.url', 'must be an https URL'])],
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

describe("a form's refusals, kept across the redirect", () => {
  it('names the field in a message that starts with what it must be', () => {
    const errors = refusals([badInput('title', 'must not be blank')], {
      fields: { 'input.title': 'title' },
      labels: { title: 'Title' },
    });
    expect(errors.summary).toEqual([{ text: 'Title must not be blank', href: '#title' }]);
    expect(errors.byField).toEqual({ title: 'Title must not be blank' });
  });

  it("shows a rule of the record's state in the API's own words, beside its field, without record ids", () => {
    const errors = refusals(
      [
        {
          code: 'CONFLICT',
          message:
            'No funds are committed to action 0b7d1442-55aa-4c4b-9a8e-0123456789ab in 2021-22: commit funds to it before reporting spend in 2021-22 Q1',
          field: 'actionId',
          extensions: { year: '2021-22' },
        },
        {
          code: 'CONFLICT',
          message:
            '2019-20 Q1 is locked for Blackburn with Darwen: its return is approved. Ask the central team to send it back to make changes.',
          field: 'quarter',
          extensions: { period: '2019-20 Q1' },
        },
      ],
      { fields: { 'input.actionId': 'actionId', 'input.quarter': 'quarter' } },
    );
    expect(errors.byField.actionId).toBe(
      'No funds are committed to this action in 2021-22: commit funds to it before reporting spend in 2021-22 Q1',
    );
    expect(errors.byField.quarter).toMatch(
      /^2019-20 Q1 is locked for Blackburn with Darwen: its return is approved/,
    );
  });

  it('says a stale revision in words: someone changed the record', () => {
    const errors = refusals(
      [{ code: 'CONFLICT', message: 'funding-E06000008 has changed', extensions: { actualRevision: 9 } }],
      { fields: {} },
    );
    expect(errors.summary[0]!.text).toMatch(/Someone else changed this record/);
  });

  it("lets the page's own reading of a field win over the API's message for it", () => {
    const merged = mergeErrors(
      {
        summary: [{ text: 'Enter the planned start date', href: '#plannedStart-day' }],
        byField: { 'plannedStart-day': 'Enter the planned start date' },
      },
      {
        summary: [
          { text: 'PlannedStart must be an ISO 8601 date', href: '#plannedStart-day' },
          { text: 'Title must not be blank', href: '#title' },
        ],
        byField: {
          'plannedStart-day': 'PlannedStart must be an ISO 8601 date',
          title: 'Title must not be blank',
        },
      },
    );
    expect(merged.summary.map((s) => s.text)).toEqual([
      'Enter the planned start date',
      'Title must not be blank',
    ]);
    expect(merged.byField['plannedStart-day']).toBe('Enter the planned start date');
  });

  it('lists the summary in the order of the form’s fields, the page’s problems among the API’s', () => {
    const fields = {
      'input.title': 'title',
      'input.plannedStart': 'plannedStart-day',
      'input.source': 'source',
    };
    const errors = {
      summary: [
        { text: 'Enter the planned start date', href: '#plannedStart-day' },
        { text: 'Enter the source', href: '#source' },
        { text: 'Enter a title', href: '#title' },
      ],
      byField: {},
    };
    expect(inFormOrder(errors, { fields }).summary.map((s) => s.href)).toEqual([
      '#title',
      '#plannedStart-day',
      '#source',
    ]);
    // A field the form does not list: left as it is.
    const other = {
      ...errors,
      summary: [...errors.summary, { text: 'Changed meanwhile', href: '#main-content' }],
    };
    expect(inFormOrder(other, { fields })).toBe(other);
  });

  it('keeps the answers but not the commandId, revision or CSRF token across the redirect', () => {
    const state = keptState(
      'plan',
      { _csrf: 'x', commandId: 'c', expectedRevision: '3', title: '', description: 'Cafés' },
      {
        summary: [{ text: 'Title must not be blank', href: '#title' }],
        byField: { title: 'Title must not be blank' },
      },
    );
    expect(state.values).toEqual({ title: '', description: 'Cafés' });
    const shown = shownState(state);
    expect(shown.errors.summary).toEqual([{ text: 'Title must not be blank', href: '#title' }]);
    expect(shown.errors.byField).toEqual({ title: 'Title must not be blank' });
    expect(shownState(undefined).errors.summary).toEqual([]);
  });
});

describe('a refusal in the words a council officer reads', () => {
  it('asks for a blank field where the form says what to enter, and writes dates the GOV.UK way', () => {
    const errors = refusals(
      [
        badInput('input.title', 'must not be blank'),
        badInput('input.plannedEnd', 'must not be before 2021-04-01'),
      ],
      { fields: { title: 'title', plannedEnd: 'plannedEnd-day' }, enter: { title: 'a title' } },
    );
    expect(errors.byField).toEqual({
      title: 'Enter a title',
      'plannedEnd-day': 'Must not be before 1 April 2021',
    });
    // Input validation names the field first.
    const checked = refusals([badInput('input.title', 'title must not be blank')], {
      fields: { title: 'title' },
      enter: { title: 'a title' },
    });
    expect(checked.byField).toEqual({ title: 'Enter a title' });
  });

  it('says a length limit the GOV.UK way, with the field named', () => {
    const errors = refusals(
      [
        badInputs(
          ['input.source', 'source must be shorter than or equal to 500 characters'],
          ['input.note', 'note must be shorter than or equal to 4000 characters'],
        ),
      ],
      { fields: { source: 'source', note: 'note' } },
    );
    expect(errors.byField).toEqual({
      source: 'Source must be 500 characters or fewer',
      note: 'Note must be 4,000 characters or fewer',
    });
  });

  it("names a field by its label, not the API's name for it, and money in pounds", () => {
    const errors = refusals([badInput('input.amountPence', 'amountPence must be more than 0 pence')], {
      fields: { amountPence: 'amount' },
      labels: { amount: 'Amount' },
    });
    expect(errors.summary).toEqual([{ text: 'Amount must be more than £0', href: '#amount' }]);
  });

  it('keeps a refusal of the whole form (no field) linked to the page, not to a field', () => {
    const errors = refusals(
      [{ code: 'CONFLICT', message: 'The item is already published', extensions: {} }],
      { fields: {} },
    );
    expect(errors.summary).toEqual([{ text: 'The item is already published', href: '#main-content' }]);
    const kept = keptState('publish', {}, errors);
    expect(kept.errors).toEqual([{ field: '', text: 'The item is already published' }]);
    expect(shownState(kept).errors).toEqual({ summary: errors.summary, byField: {} });
  });
});

describe('the expectedRevision and commandId a form sends back', () => {
  it('takes a whole revision and the commandId, and leaves out what is blank or not a revision', () => {
    expect(commandFields({ commandId: 'c', expectedRevision: '7' })).toEqual({
      commandId: 'c',
      expectedRevision: 7,
    });
    expect(commandFields({ commandId: '', expectedRevision: '' })).toEqual({});
    expect(commandFields({ expectedRevision: 'x' })).toEqual({});
    expect(commandFields({ expectedRevision: '-1' })).toEqual({});
  });
});
