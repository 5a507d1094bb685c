import type { CommandEnvelope } from '../../shared/commands.js';
import type { LearningContent } from '../domain/learning.js';

/** A command as a client asks for it: the domain command without the facts the handler loads from elsewhere. */
export type LearningRequest =
  | {
      readonly type: 'DraftLearning';
      readonly itemId: string;
      readonly areaCode: string;
      readonly content: LearningContent;
    }
  | {
      readonly type: 'ReviseLearning';
      readonly itemId: string;
      readonly changes: Partial<LearningContent>;
      readonly reason?: string;
    }
  | { readonly type: 'PublishLearning'; readonly itemId: string }
  | { readonly type: 'RetractLearning'; readonly itemId: string; readonly reason: string }
  | {
      readonly type: 'AdoptLearning';
      readonly itemId: string;
      readonly adoptingAreaCode: string;
      readonly note: string;
    };

/** Any command on one learning item's stream (the request says which). */
export class LearningItemCommand {
  constructor(
    readonly request: LearningRequest,
    readonly envelope: CommandEnvelope,
  ) {}
}
