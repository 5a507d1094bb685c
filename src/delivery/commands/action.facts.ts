import { type EventStore, fold, loadStream } from '@iap/event-store';
import { type ActionStatus, actionDecider, actionStream } from '../domain/action.js';

/** What the delivery context's streams tell other contexts' commands (strongly consistent). */

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
