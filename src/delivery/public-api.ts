import { type EventStore, fold, loadStream } from '@iap/event-store';
import type { DataSource } from 'typeorm';
import { ACTION_STATUSES, type ActionStatus, actionDecider, actionStream } from './domain/action.js';
import { ALL_THEMES } from './projections/actions.migration.js';

/** What other contexts may use from the delivery context. */

export { ACTION_STATUSES, type ActionStatus } from './domain/action.js';

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

/**
 * How many of the area's actions are in each status, from the read model (eventually consistent). Every status
 * is present, with 0 when the area has none in it.
 */
export async function actionStatusCounts(db: DataSource, areaCode: string): Promise<Record<string, number>> {
  const rows: { status: string; count: number }[] = await db.query(
    `SELECT status, count::int AS count FROM area_action_counts WHERE area_code = $1 AND theme = $2`,
    [areaCode, ALL_THEMES],
  );
  const counts: Record<string, number> = Object.fromEntries(ACTION_STATUSES.map((s) => [s, 0]));
  for (const r of rows) counts[r.status] = r.count;
  return counts;
}
