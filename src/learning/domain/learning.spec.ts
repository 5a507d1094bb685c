import { describe, expect, it } from '@jest/globals';
import { refusal } from '@iap/common/testing';
import { deciderSpecification } from '@iap/event-store/testing';
import { DEFAULT_THEMES, type ThemeCatalogue } from '../../themes/domain/public-api.js';
import {
  type ActionFacts,
  type AdoptLearning,
  type DraftLearning,
  LEARNING_LIMITS,
  type LearningContent,
  type LearningEvent,
  type ReviseLearning,
  learningDecider,
} from './learning.js';

const given = deciderSpecification(learningDecider);

const ITEM = '0b9f4a52-6f0e-4c3e-9a8c-2a1f3e0d7c11';
const PILOT = 'E06000008';
const OTHER = 'E07000012';
const ACTION = '5a0d2c1e-8b7f-4e6a-9c3d-1f2e3a4b5c6d';
const ELSEWHERE_ACTION = '7c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f';

const catalogue: ThemeCatalogue = new Map(
  DEFAULT_THEMES.map((t) => [t.code, { ...t, retired: t.code === 'RESPONSIBILITY' }]),
);
const actions: ActionFacts = new Map([
  [ACTION, { exists: true, areaCode: PILOT }],
  [ELSEWHERE_ACTION, { exists: true, areaCode: 'E08000032' }],
]);

const content: LearningContent = {
  type: 'CASE_STUDY',
  title: 'Schools Linking in Blackburn',
  summary: 'Pupils from different backgrounds mixed and gained confidence.',
  body: '# What we did\n\nWe linked 12 primary schools.',
  themes: ['EDUCATION_AND_YOUNG_PEOPLE', 'COMMON_GROUND'],
  actionIds: [ACTION],
  indicatorCodes: ['YOUNG_PEOPLE_MIXING'],
  evidenceLinks: [{ title: 'Evaluation report', url: 'https://example.org/report.pdf' }],
};

const draftCommand: DraftLearning = {
  type: 'DraftLearning',
  itemId: ITEM,
  areaCode: PILOT,
  content,
  area: { registered: true, kind: 'PILOT' },
  themeCatalogue: catalogue,
  actions,
};

const drafted: LearningEvent = {
  type: 'LearningDrafted',
  data: { itemId: ITEM, areaCode: PILOT, ...content },
};
const published: LearningEvent = { type: 'LearningPublished', data: { itemId: ITEM, on: '2019-11-04' } };
const retracted: LearningEvent = {
  type: 'LearningRetracted',
  data: { itemId: ITEM, reason: 'Figures were wrong' },
};

function revise(changes: Partial<LearningContent>, reason?: string): ReviseLearning {
  return { type: 'ReviseLearning', itemId: ITEM, changes, reason, themeCatalogue: catalogue, actions };
}

const adoptCommand: AdoptLearning = {
  type: 'AdoptLearning',
  itemId: ITEM,
  adoptingAreaCode: OTHER,
  note: 'Running it in our schools from January',
  adoptingArea: { registered: true, kind: 'NON_PILOT' },
  today: '2019-12-02',
};
const adopted: LearningEvent = {
  type: 'LearningAdopted',
  data: {
    itemId: ITEM,
    adoptingAreaCode: OTHER,
    note: 'Running it in our schools from January',
    on: '2019-12-02',
  },
};

function withContent(changes: Partial<LearningContent>): DraftLearning {
  return { ...draftCommand, content: { ...content, ...changes } };
}

describe('drafting a learning item', () => {
  it('drafts an item with its content', () => {
    given([]).when(draftCommand).then([drafted]);
  });

  it('trims the text it is given', () => {
    given([])
      .when(withContent({ title: '  Schools Linking in Blackburn ', summary: `  ${content.summary}\n` }))
      .then([drafted]);
  });

  it('refuses to draft the same item twice', () => {
    given([drafted]).when(draftCommand).thenThrows(refusal('CONFLICT'));
  });

  it('refuses an area that is not registered', () => {
    given([])
      .when({ ...draftCommand, area: { registered: false } })
      .thenThrows(refusal('BAD_USER_INPUT', 'areaCode', /not a registered area/));
  });

  it('refuses an area that is not a pilot (the library holds the pilots’ learning)', () => {
    given([])
      .when({ ...draftCommand, area: { registered: true, kind: 'NON_PILOT' } })
      .thenThrows(refusal('BAD_USER_INPUT', 'areaCode', /not a pilot/));
  });

  it('refuses a malformed area code', () => {
    given([])
      .when({ ...draftCommand, areaCode: 'E0600000' })
      .thenThrows(refusal('BAD_USER_INPUT', 'areaCode'));
  });

  it('refuses an unknown type', () => {
    given([])
      .when(withContent({ type: 'BLOG_POST' as LearningContent['type'] }))
      .thenThrows(refusal('BAD_USER_INPUT', 'type'));
  });

  it.each([
    ['title', { title: '   ' }],
    ['summary', { summary: '' }],
    ['body', { body: '\n\n' }],
  ] as const)('refuses a blank %s', (field, changes) => {
    given([])
      .when(withContent(changes))
      .thenThrows(refusal('BAD_USER_INPUT', field, /blank/));
  });

  it.each([
    ['title', { title: 'x'.repeat(LEARNING_LIMITS.title + 1) }],
    ['summary', { summary: 'x'.repeat(LEARNING_LIMITS.summary + 1) }],
    ['body', { body: 'x'.repeat(LEARNING_LIMITS.body + 1) }],
  ] as const)('refuses a %s that is too long', (field, changes) => {
    given([])
      .when(withContent(changes))
      .thenThrows(refusal('BAD_USER_INPUT', field, /at most/));
  });

  it('accepts text at the maximum lengths', () => {
    const long = withContent({
      title: 'x'.repeat(LEARNING_LIMITS.title),
      summary: 'y'.repeat(LEARNING_LIMITS.summary),
      body: 'z'.repeat(LEARNING_LIMITS.body),
    });
    expect(learningDecider.decide(long, learningDecider.initialState())).toHaveLength(1);
  });

  it('refuses a title of more than one line, and control characters', () => {
    given([])
      .when(withContent({ title: 'Line one\nLine two' }))
      .thenThrows(refusal('BAD_USER_INPUT', 'title', /one line/));
    given([])
      .when(withContent({ summary: 'Bell \u0007 here' }))
      .thenThrows(refusal('BAD_USER_INPUT', 'summary', /control/));
  });

  it('keeps line breaks in the Markdown body', () => {
    const [event] = learningDecider.decide(
      withContent({ body: 'Para one\n\n\tIndented\r\nPara two' }),
      learningDecider.initialState(),
    );
    expect((event.data as LearningContent).body).toBe('Para one\n\n\tIndented\r\nPara two');
  });

  it('takes themes from the catalogue: known, in use, at least one, not repeated', () => {
    given([])
      .when(withContent({ themes: ['NOT_A_THEME'] }))
      .thenThrows(refusal('BAD_USER_INPUT', 'themes', /not a theme/));
    given([])
      .when(withContent({ themes: ['RESPONSIBILITY'] }))
      .thenThrows(refusal('BAD_USER_INPUT', 'themes', /retired/));
    given([])
      .when(withContent({ themes: [] }))
      .thenThrows(refusal('BAD_USER_INPUT', 'themes', /at least one/));
    given([])
      .when(withContent({ themes: ['COMMON_GROUND', 'COMMON_GROUND'] }))
      .thenThrows(refusal('BAD_USER_INPUT', 'themes', /repeat/));
  });

  it.each([
    ['ftp://example.org/report.pdf', /http or https/],
    ['javascript:alert(1)', /http or https/],
    ['example.org/report.pdf', /absolute/],
    ['https://exa mple.org/', /spaces/],
    ['https://user:secret@example.org/', /password/],
    [`https://example.org/${'a'.repeat(LEARNING_LIMITS.url)}`, /at most/],
  ])('refuses the evidence URL %p', (url, message) => {
    given([])
      .when(withContent({ evidenceLinks: [{ title: 'Report', url }] }))
      .thenThrows(refusal('BAD_USER_INPUT', 'evidenceLinks.0.url', message));
  });

  it('accepts http and https evidence links, and refuses a blank link title or a repeated link', () => {
    const ok = withContent({
      evidenceLinks: [
        { title: 'Report', url: 'http://example.org/a' },
        { title: 'Data', url: 'https://data.example.org/b?x=1&y=2' },
      ],
    });
    expect(learningDecider.decide(ok, learningDecider.initialState())).toHaveLength(1);
    given([])
      .when(
        withContent({
          evidenceLinks: [
            { title: 'A', url: 'https://a.org/' },
            { title: ' ', url: 'https://b.org/' },
          ],
        }),
      )
      .thenThrows(refusal('BAD_USER_INPUT', 'evidenceLinks.1.title'));
    given([])
      .when(
        withContent({
          evidenceLinks: [
            { title: 'A', url: 'https://a.org/' },
            { title: 'B', url: 'https://a.org/' },
          ],
        }),
      )
      .thenThrows(refusal('BAD_USER_INPUT', 'evidenceLinks.1.url', /repeats/));
  });

  it('links only existing actions of the item’s own area', () => {
    given([])
      .when(withContent({ actionIds: ['9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a'] }))
      .thenThrows(refusal('BAD_USER_INPUT', 'actionIds', /no action/));
    given([])
      .when(withContent({ actionIds: [ELSEWHERE_ACTION] }))
      .thenThrows(refusal('BAD_USER_INPUT', 'actionIds', /belongs to E08000032/));
    given([])
      .when(withContent({ actionIds: ['not-a-uuid'] }))
      .thenThrows(refusal('BAD_USER_INPUT', 'actionIds', /UUID/));
    given([])
      .when(withContent({ actionIds: [ACTION, ACTION] }))
      .thenThrows(refusal('BAD_USER_INPUT', 'actionIds', /repeat/));
  });

  it('normalises action ids to lower case', () => {
    const [event] = learningDecider.decide(
      withContent({ actionIds: [ACTION.toUpperCase()] }),
      learningDecider.initialState(),
    );
    expect((event.data as LearningContent).actionIds).toEqual([ACTION]);
  });

  it('names indicators by their catalogue codes, once each', () => {
    given([])
      .when(withContent({ indicatorCodes: ['esol'] }))
      .thenThrows(refusal('BAD_USER_INPUT', 'indicatorCodes'));
    given([])
      .when(withContent({ indicatorCodes: ['ESOL_ENROLMENTS', 'ESOL_ENROLMENTS'] }))
      .thenThrows(refusal('BAD_USER_INPUT', 'indicatorCodes', /repeat/));
  });

  it('limits how many links, actions and indicators an item has', () => {
    const links = Array.from({ length: LEARNING_LIMITS.evidenceLinks + 1 }, (_, i) => ({
      title: `L${i}`,
      url: `https://e.org/${i}`,
    }));
    given([])
      .when(withContent({ evidenceLinks: links }))
      .thenThrows(refusal('BAD_USER_INPUT', 'evidenceLinks', /at most/));
    const codes = Array.from({ length: LEARNING_LIMITS.indicatorCodes + 1 }, (_, i) => `CODE_${i}`);
    given([])
      .when(withContent({ indicatorCodes: codes }))
      .thenThrows(refusal('BAD_USER_INPUT', 'indicatorCodes', /at most/));
    const ids = Array.from({ length: LEARNING_LIMITS.actionIds + 1 }, () => ACTION);
    given([])
      .when(withContent({ actionIds: ids }))
      .thenThrows(refusal('BAD_USER_INPUT', 'actionIds', /at most/));
  });
});

describe('revising a learning item', () => {
  it('records only the fields that changed, with the reason', () => {
    given([drafted])
      .when(revise({ title: 'Schools Linking: what worked', summary: content.summary }, 'Clearer title'))
      .then([
        {
          type: 'LearningRevised',
          data: { itemId: ITEM, title: 'Schools Linking: what worked', reason: 'Clearer title' },
        },
      ]);
  });

  it('records nothing when nothing changed', () => {
    given([drafted])
      .when(revise({ title: ` ${content.title}`, themes: [...content.themes] }))
      .then([]);
  });

  it('keeps a published item published (the library shows the latest text)', () => {
    const g = given([
      drafted,
      published,
      { type: 'LearningRevised', data: { itemId: ITEM, title: 'New title' } },
    ]);
    expect(g.state).toMatchObject({
      status: 'PUBLISHED',
      content: { title: 'New title' },
      publishedOn: '2019-11-04',
    });
  });

  it('refuses to revise an item that does not exist', () => {
    given([])
      .when(revise({ title: 'X' }))
      .thenThrows(refusal('NOT_FOUND'));
  });

  it('applies the drafting rules to what changes', () => {
    given([drafted])
      .when(revise({ title: '' }))
      .thenThrows(refusal('BAD_USER_INPUT', 'title'));
    given([drafted])
      .when(revise({ themes: ['NOPE'] }))
      .thenThrows(refusal('BAD_USER_INPUT', 'themes'));
    given([drafted])
      .when(revise({ evidenceLinks: [{ title: 'X', url: 'file:///etc/passwd' }] }))
      .thenThrows(refusal('BAD_USER_INPUT', 'evidenceLinks.0.url'));
    given([drafted])
      .when(revise({ actionIds: [ELSEWHERE_ACTION] }))
      .thenThrows(refusal('BAD_USER_INPUT', 'actionIds'));
    given([drafted])
      .when(revise({ type: 'ESSAY' as LearningContent['type'] }))
      .thenThrows(refusal('BAD_USER_INPUT', 'type'));
  });

  it('refuses an over-long reason', () => {
    given([drafted])
      .when(revise({ title: 'New' }, 'r'.repeat(LEARNING_LIMITS.reason + 1)))
      .thenThrows(refusal('BAD_USER_INPUT', 'reason'));
  });

  it('brings a retracted item back to draft, so it can be checked and published again', () => {
    const revised: LearningEvent = {
      type: 'LearningRevised',
      data: { itemId: ITEM, body: 'Corrected figures.' },
    };
    given([drafted, published, retracted])
      .when(revise({ body: 'Corrected figures.' }))
      .then([revised]);
    const g = given([drafted, published, retracted, revised]);
    expect(g.state).toMatchObject({ status: 'DRAFT', retractedReason: null });
    g.when({ type: 'PublishLearning', itemId: ITEM, today: '2020-01-06' }).then([
      { type: 'LearningPublished', data: { itemId: ITEM, on: '2020-01-06' } },
    ]);
  });
});

describe('publishing and retracting', () => {
  it('publishes a draft, dated today', () => {
    given([drafted]).when({ type: 'PublishLearning', itemId: ITEM, today: '2019-11-04' }).then([published]);
  });

  it('publishes only a draft', () => {
    given([drafted, published])
      .when({ type: 'PublishLearning', itemId: ITEM, today: '2019-11-05' })
      .thenThrows(refusal('CONFLICT', undefined, /already published/));
    given([])
      .when({ type: 'PublishLearning', itemId: ITEM, today: '2019-11-05' })
      .thenThrows(refusal('NOT_FOUND'));
  });

  it('refuses to publish a retracted item again without a revision', () => {
    given([drafted, published, retracted])
      .when({ type: 'PublishLearning', itemId: ITEM, today: '2019-11-05' })
      .thenThrows(refusal('CONFLICT', undefined, /revise it/));
  });

  it('retracts a published item with a reason', () => {
    given([drafted, published])
      .when({ type: 'RetractLearning', itemId: ITEM, reason: ' Figures were wrong ' })
      .then([retracted]);
  });

  it('retracts only a published item', () => {
    given([drafted])
      .when({ type: 'RetractLearning', itemId: ITEM, reason: 'x' })
      .thenThrows(refusal('CONFLICT', undefined, /draft/));
    given([drafted, published, retracted])
      .when({ type: 'RetractLearning', itemId: ITEM, reason: 'x' })
      .thenThrows(refusal('CONFLICT', undefined, /retracted/));
  });

  it('needs a reason to retract', () => {
    given([drafted, published])
      .when({ type: 'RetractLearning', itemId: ITEM, reason: '  ' })
      .thenThrows(refusal('BAD_USER_INPUT', 'reason'));
  });
});

describe('adopting a learning item', () => {
  it('records a council adopting a published item, dated today', () => {
    given([drafted, published]).when(adoptCommand).then([adopted]);
  });

  it('refuses adoption of a draft or a retracted item', () => {
    given([drafted])
      .when(adoptCommand)
      .thenThrows(refusal('CONFLICT', undefined, /draft/));
    given([drafted, published, retracted])
      .when(adoptCommand)
      .thenThrows(refusal('CONFLICT', undefined, /retracted/));
  });

  it('refuses adoption of an item that does not exist', () => {
    given([]).when(adoptCommand).thenThrows(refusal('NOT_FOUND'));
  });

  it('refuses adoption by an unregistered council', () => {
    given([drafted, published])
      .when({ ...adoptCommand, adoptingArea: { registered: false } })
      .thenThrows(refusal('BAD_USER_INPUT', 'adoptingAreaCode', /not a registered area/));
  });

  it('refuses adoption by the item’s own area', () => {
    given([drafted, published])
      .when({ ...adoptCommand, adoptingAreaCode: PILOT, adoptingArea: { registered: true, kind: 'PILOT' } })
      .thenThrows(refusal('BAD_USER_INPUT', 'adoptingAreaCode', /wrote this item/));
  });

  it('lets another pilot adopt it', () => {
    const bradford = {
      ...adoptCommand,
      adoptingAreaCode: 'E08000032',
      adoptingArea: { registered: true, kind: 'PILOT' },
    } as const;
    expect(learningDecider.decide(bradford, given([drafted, published]).state)).toHaveLength(1);
  });

  it('records one adoption per council: a second is a conflict', () => {
    given([drafted, published, adopted])
      .when(adoptCommand)
      .thenThrows(refusal('CONFLICT', 'adoptingAreaCode', /already/));
  });

  it('still counts earlier adoptions after a revision, so the council cannot adopt twice', () => {
    given([drafted, published, adopted, { type: 'LearningRevised', data: { itemId: ITEM, title: 'T2' } }])
      .when(adoptCommand)
      .thenThrows(refusal('CONFLICT', 'adoptingAreaCode'));
  });

  it('needs a short note', () => {
    given([drafted, published])
      .when({ ...adoptCommand, note: ' ' })
      .thenThrows(refusal('BAD_USER_INPUT', 'note'));
    given([drafted, published])
      .when({ ...adoptCommand, note: 'n'.repeat(LEARNING_LIMITS.note + 1) })
      .thenThrows(refusal('BAD_USER_INPUT', 'note', /at most/));
  });

  it('refuses a malformed adopting area code', () => {
    given([drafted, published])
      .when({ ...adoptCommand, adoptingAreaCode: 'Nowhere' })
      .thenThrows(refusal('BAD_USER_INPUT', 'adoptingAreaCode'));
  });
});
