import { type EventStore, fold, loadStream } from '@iap/event-store';
import { type ActionStatus, actionDecider, actionStream } from './domain/action.js';

/** What other contexts may use from the delivery context. */

export { ACTION_STATUSES, type ActionStatus } from './domain/action.js';
/** An action and its milestones as the read model keeps them, and as the API answers them (`Action`, `Milestone`). */
export type { ActionRow, MilestoneRow } from './projections/actions.projection.js';

export type ActionSummary =
  | { exists: false }
  | {
      exists: true;
      areaCode: string;
      status: ActionStatus;
      title: string;
      plannedStart: string;
      plannedEnd: string;
    };

/** An action as it stands, read from its stream (strongly consistent: for validating other contexts' commands). */
export async function loadActionSummary(store: EventStore, actionId: string): Promise<ActionSummary> {
  const state = fold(actionDecider, await loadStream(store, actionStream(actionId)));
  if (!state.exists) return { exists: false };
  return {
    exists: true,
    areaCode: state.areaCode,
    status: state.status,
    title: state.plan.title,
    plannedStart: state.plan.plannedStart,
    plannedEnd: state.plan.plannedEnd,
  };
}

export { actionStream } from './domain/action.js';
export { ActionLifecycleCommand, type ActionRequest } from './commands/action.command.js';

/** Read-model queries other contexts may compose (`db`: live pool or as-of snapshot). */
export {
  type ActionCountRow,
  actionCountsByAreaInYear,
  actionIdsOfAreas,
  actionStatusCounts,
  actionStatusCountsAtHead,
} from './graphql/action.read.js';
