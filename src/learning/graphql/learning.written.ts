import { NotFoundError } from '@iap/common';
import type { RecordedEvent } from '@iap/event-store';
import { type LearningItemView, learningItemView } from '../domain/learning-view.js';
import type { LearningItemType } from './learning.types.js';

/** A learning item as its events make it (the domain's view), as the LearningItem type's fields. */
export function fromView(view: LearningItemView): LearningItemType {
  const { adoptions, themes, actionIds, indicatorCodes, evidenceLinks, ...rest } = view;
  return {
    ...rest,
    themes: [...themes],
    actionIds: [...actionIds],
    indicatorCodes: [...indicatorCodes],
    evidenceLinks: evidenceLinks.map((l) => ({ ...l })),
    adoptionsAsOf: adoptions.map((a) => ({ ...a })),
  };
}

/** A learning item as its stream's events wrote it: answered while the read model catches up. */
export function learningItemWritten(stream: readonly RecordedEvent[], itemId: string): LearningItemType {
  const view = learningItemView(stream);
  if (!view) throw new NotFoundError(`Learning item ${itemId} does not exist`);
  return fromView(view);
}
