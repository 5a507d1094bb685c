import { describe, expect, it } from '@jest/globals';
import { keptState, mergeErrors, refusals, shownState } from './area-forms.js';

describe("the area forms' refusals", () => {
  it('names the field in a message that starts with what it must be', () => {
    const errors = refusals(
      [
        {
          code: 'BAD_USER_INPUT',
          message: 'Invalid title: must not be blank',
          field: 'title',
          extensions: {},
        },
      ],
      { 'input.title': 'title' },
      { title: 'Title' },
    );
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
      { 'input.actionId': 'actionId', 'input.quarter': 'quarter' },
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
      {},
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
