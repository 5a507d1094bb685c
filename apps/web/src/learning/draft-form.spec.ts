import { describe, expect, it } from '@jest/globals';
import * as draft from './draft-form.js';
import { refusals } from '../forms.js';
import { badInput } from '../testing.js';

describe('the learning drafting form', () => {
  const posted = {
    type: 'CASE_STUDY',
    title: 'Schools linked',
    summary: 'Pupils met',
    body: '## What we did',
    themes: ['EDUCATION_AND_YOUNG_PEOPLE', 'LEADERSHIP'],
    actionIds: '0b0c1f4e-8d6a-4b9e-9f0a-1c2d3e4f5a6b',
    'evidence-0-title': ' Evaluation ',
    'evidence-0-url': 'https://example.org/e.pdf',
    'evidence-1-title': '',
    'evidence-1-url': '',
    'evidence-2-title': 'Data',
    'evidence-2-url': 'https://example.org/d.csv',
  };

  it('reads the posted fields, one theme or several, dropping blank evidence rows', () => {
    const form = draft.draftFormFrom(posted);
    expect(draft.contentInput(form)).toEqual({
      type: 'CASE_STUDY',
      title: 'Schools linked',
      summary: 'Pupils met',
      body: '## What we did',
      themes: ['EDUCATION_AND_YOUNG_PEOPLE', 'LEADERSHIP'],
      actionIds: ['0b0c1f4e-8d6a-4b9e-9f0a-1c2d3e4f5a6b'],
      evidenceLinks: [
        { title: 'Evaluation', url: 'https://example.org/e.pdf' },
        { title: 'Data', url: 'https://example.org/d.csv' },
      ],
    });
    expect(draft.draftFormFrom({ ...posted, themes: 'LEADERSHIP' }).themes).toEqual(['LEADERSHIP']);
  });

  it('offers blank evidence rows after those given', () => {
    expect(draft.evidenceRows(draft.draftFormFrom(posted))).toHaveLength(3);
    const many = draft.draftFormOf({
      type: 'TOOLKIT',
      title: 't',
      summary: 's',
      body: 'b',
      themes: [],
      actionIds: [],
      evidenceLinks: [1, 2, 3].map((n) => ({ title: `L${n}`, url: `https://example.org/${n}` })),
    });
    expect(draft.evidenceRows(many)).toHaveLength(4);
    expect(draft.evidenceRows(many)[3]).toEqual({ title: '', url: '' });
  });

  it('asks for a type before sending anything', () => {
    expect(draft.typeMissing(draft.draftFormFrom({ ...posted, type: '' }), ['CASE_STUDY'])).toBe(true);
    expect(draft.typeMissing(draft.draftFormFrom(posted), ['CASE_STUDY'])).toBe(false);
  });

  it("shows the API's refusals beside the fields, in plain words", () => {
    const errors = refusals(
      [
        badInput('input.title', 'must not be blank'),
        badInput('input.evidenceLinks.1.url', 'must be an absolute http or https URL, got "x"'),
      ],
      { fields: draft.draftFields(), enter: draft.DRAFT_LABELS },
    );
    expect(errors.summary).toEqual([
      { text: 'Enter a title', href: '#title' },
      { text: 'Must be an absolute http or https URL, got "x"', href: '#evidence-1-url' },
    ]);
    expect(errors.byField.title).toBe('Enter a title');
  });

  it('says what the API said for a refusal that is not about a stale page', () => {
    const errors = refusals(
      [{ code: 'CONFLICT', message: 'E06000016 already recorded adopting it on 2026-12-07', extensions: {} }],
      { fields: {} },
    );
    expect(errors.summary).toEqual([
      { text: 'E06000016 already recorded adopting it on 7 December 2026', href: '#main-content' },
    ]);
    const stale = refusals(
      [
        {
          code: 'CONFLICT',
          message: 'learning-x has changed since you read it',
          extensions: { actualRevision: 3 },
        },
      ],
      { fields: {} },
    );
    expect(stale.summary[0]!.text).toMatch(/Someone else changed this record/);
  });
});
