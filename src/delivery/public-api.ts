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

/** One area's actions counted by status and theme (theme `null` = all themes), for cross-area comparison. */
export interface ActionCountRow {
  readonly areaCode: string;
  readonly status: string;
  readonly theme: string | null;
  readonly count: number;
}

/**
 * Action counts for several areas from the read model: per status over all themes (`theme: null`), and per
 * status and theme. `db` may be the live pool or an as-of snapshot.
 */
export async function actionCountsByArea(
  db: { query<T>(sql: string, params?: unknown[]): Promise<T> },
  areaCodes: readonly string[],
): Promise<ActionCountRow[]> {
  const rows = await db.query<{ areaCode: string; status: string; theme: string; count: number }[]>(
    `SELECT area_code AS "areaCode", status, theme, count::int AS count FROM area_action_counts
      WHERE area_code = ANY($1) AND count > 0 ORDER BY area_code, status, theme`,
    [areaCodes],
  );
  return rows.map((r) => ({ ...r, theme: r.theme === ALL_THEMES ? null : r.theme }));
}

/** The ids of an area's actions (any status), from the read model: the streams behind its delivery figures. */
export async function actionIdsOfAreas(
  db: { query<T>(sql: string, params?: unknown[]): Promise<T> },
  areaCodes: readonly string[],
): Promise<{ areaCode: string; id: string }[]> {
  return db.query(`SELECT area_code AS "areaCode", id FROM actions WHERE area_code = ANY($1)`, [areaCodes]);
}

export { actionStream } from './domain/action.js';
