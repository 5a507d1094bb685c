import {
  type LearningContent,
  type LearningEvent,
  type LearningStatus,
  revisedContent,
  statusAfterRevision,
} from './learning.js';

/** An event of an item's stream as recorded: when, and at which stream revision. */
export interface HistoricEvent {
  readonly type: string;
  readonly data: unknown;
  readonly recordedAt: Date;
  readonly revision: bigint;
}

export interface LearningAdoptionView {
  readonly itemId: string;
  readonly adoptingAreaCode: string;
  readonly note: string;
  readonly adoptedOn: string;
  readonly adoptedAt: Date;
}

/** A learning item as the read model shows it (the projection and `learningItemAsOf` agree field by field). */
export interface LearningItemView extends LearningContent {
  readonly id: string;
  readonly areaCode: string;
  readonly status: LearningStatus;
  readonly publishedOn: string | null;
  readonly publishedAt: Date | null;
  readonly retractedReason: string | null;
  readonly adoptionCount: number;
  readonly revision: number;
  readonly createdAt: Date;
  /** The last change to the content or the status (adoptions do not count). */
  readonly updatedAt: Date;
  readonly adoptions: readonly LearningAdoptionView[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * The item as it stood at `asOf`: the fold of the events recorded up to and including that instant, so a past
 * report can be reproduced exactly even after later corrections. Null when the item did not exist yet.
 */
export function learningItemAsOf(events: readonly HistoricEvent[], asOf: Date): LearningItemView | null {
  return learningItemView(events.filter((e) => e.recordedAt.getTime() <= asOf.getTime()));
}

/** The item after all the given events (in stream order); null before it was drafted. */
export function learningItemView(events: readonly HistoricEvent[]): LearningItemView | null {
  let view: Mutable<LearningItemView> | null = null;
  for (const recorded of events) {
    const e = { type: recorded.type, data: recorded.data } as LearningEvent;
    if (e.type === 'LearningDrafted') {
      const { itemId, areaCode, ...content } = e.data;
      view = {
        id: itemId,
        areaCode,
        ...content,
        status: 'DRAFT',
        publishedOn: null,
        publishedAt: null,
        retractedReason: null,
        adoptionCount: 0,
        revision: 0,
        createdAt: recorded.recordedAt,
        updatedAt: recorded.recordedAt,
        adoptions: [],
      };
    } else if (view) {
      switch (e.type) {
        case 'LearningRevised': {
          const { itemId: _itemId, reason: _reason, ...changes } = e.data;
          const current: LearningContent = view;
          Object.assign(view, revisedContent(current, changes));
          view.status = statusAfterRevision(view.status);
          view.retractedReason = null;
          view.updatedAt = recorded.recordedAt;
          break;
        }
        case 'LearningPublished':
          view.status = 'PUBLISHED';
          view.publishedOn = e.data.on;
          view.publishedAt = recorded.recordedAt;
          view.retractedReason = null;
          view.updatedAt = recorded.recordedAt;
          break;
        case 'LearningRetracted':
          view.status = 'RETRACTED';
          view.retractedReason = e.data.reason;
          view.updatedAt = recorded.recordedAt;
          break;
        case 'LearningAdopted':
          view.adoptions = [
            ...view.adoptions,
            {
              itemId: view.id,
              adoptingAreaCode: e.data.adoptingAreaCode,
              note: e.data.note,
              adoptedOn: e.data.on,
              adoptedAt: recorded.recordedAt,
            },
          ];
          view.adoptionCount = view.adoptions.length;
          break;
      }
    }
    if (view) view.revision = Number(recorded.revision);
  }
  return view;
}
