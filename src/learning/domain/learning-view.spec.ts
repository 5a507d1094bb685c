import { describe, expect, it } from '@jest/globals';
import type { LearningEvent } from './learning.js';
import { type HistoricEvent, learningItemAsOf, learningItemView } from './learning-view.js';

const ITEM = '0b9f4a52-6f0e-4c3e-9a8c-2a1f3e0d7c11';
const at = (s: string) => new Date(`2019-11-${s}Z`);

function history(...events: [string, LearningEvent][]): HistoricEvent[] {
  return events.map(([when, e], i) => ({ ...e, recordedAt: at(when), revision: BigInt(i) }));
}

const events = history(
  [
    '01T09:00:00.000',
    {
      type: 'LearningDrafted',
      data: {
        itemId: ITEM,
        areaCode: 'E06000008',
        type: 'CASE_STUDY',
        title: 'Mixed schools',
        summary: 'S',
        body: 'B',
        themes: ['COMMON_GROUND'],
        actionIds: [],
        indicatorCodes: [],
        evidenceLinks: [],
      },
    },
  ],
  ['02T09:00:00.000', { type: 'LearningPublished', data: { itemId: ITEM, on: '2019-11-02' } }],
  [
    '03T09:00:00.000',
    {
      type: 'LearningAdopted',
      data: { itemId: ITEM, adoptingAreaCode: 'E07000012', note: 'Trying it', on: '2019-11-03' },
    },
  ],
  [
    '04T09:00:00.000',
    { type: 'LearningRevised', data: { itemId: ITEM, title: 'Mixing schools', reason: 'Typo' } },
  ],
  ['05T09:00:00.000', { type: 'LearningRetracted', data: { itemId: ITEM, reason: 'Wrong figures' } }],
);

describe('a learning item as of an instant', () => {
  it('is null before the item was drafted', () => {
    expect(learningItemAsOf(events, at('01T08:59:59.999'))).toBeNull();
  });

  it('includes an event recorded exactly at the instant', () => {
    expect(learningItemAsOf(events, at('01T09:00:00.000'))).toMatchObject({ status: 'DRAFT', revision: 0 });
  });

  it('shows what was known then, even after later corrections', () => {
    const then = learningItemAsOf(events, at('03T12:00:00.000'));
    expect(then).toMatchObject({
      title: 'Mixed schools',
      status: 'PUBLISHED',
      publishedOn: '2019-11-02',
      publishedAt: at('02T09:00:00.000'),
      updatedAt: at('02T09:00:00.000'),
      adoptionCount: 1,
      revision: 2,
    });
    expect(then?.adoptions).toEqual([
      {
        itemId: ITEM,
        adoptingAreaCode: 'E07000012',
        note: 'Trying it',
        adoptedOn: '2019-11-03',
        adoptedAt: at('03T09:00:00.000'),
      },
    ]);
    expect(learningItemAsOf(events, at('04T12:00:00.000'))).toMatchObject({
      title: 'Mixing schools',
      status: 'PUBLISHED',
    });
  });

  it('ends with the whole history', () => {
    expect(learningItemView(events)).toMatchObject({
      id: ITEM,
      title: 'Mixing schools',
      status: 'RETRACTED',
      retractedReason: 'Wrong figures',
      adoptionCount: 1,
      revision: 4,
      createdAt: at('01T09:00:00.000'),
      updatedAt: at('05T09:00:00.000'),
    });
  });
});
