import { type EventStore, type Position, comparePositions, fold, loadStream } from '@iap/event-store';
import { readCheckpoint } from '@iap/projections';
import type { DataSource } from 'typeorm';
import {
  ACTION_EVENT_TYPES,
  ACTION_STATUSES,
  type ActionEvent,
  type ActionStatus,
  actionDecider,
  actionStream,
} from './domain/action.js';
import { ALL_THEMES } from './projections/actions.projection.js';

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

/** The status an action is in after one of its events (null: the event leaves its status as it was). */
function statusAfter(type: ActionEvent['type']): ActionStatus | null {
  switch (type) {
    case 'ActionPlanned':
      return 'PLANNED';
    case 'ActionStarted':
    case 'ActionResumed':
      return 'IN_PROGRESS';
    case 'ActionPaused':
      return 'PAUSED';
    case 'ActionCompleted':
      return 'COMPLETED';
    case 'ActionCancelled':
      return 'CANCELLED';
    case 'ActionRevised':
    case 'MilestoneReached':
      return null;
  }
}

/** How many events of the log one read takes while following the read model's tail. */
const TAIL_PAGE = 1000;

/**
 * How many of the area's actions are in each status, counting every action event the log holds, not only those
 * the read model has applied (strongly consistent: for figures a command writes into the log, such as a return's
 * snapshot). The read model's counts and its checkpoint are read in one snapshot (a batch commits both
 * together), then the events of the log after that checkpoint move them on: an action planned there adds to
 * PLANNED, a status change moves one action from the status it had to the new one. Every status is present.
 */
export async function actionStatusCountsAtHead(
  db: DataSource,
  store: EventStore,
  areaCode: string,
): Promise<Record<string, number>> {
  const runner = db.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const checkpoint = await readCheckpoint(runner.manager, 'actions');
    const rows: { status: string; count: number }[] = await runner.query(
      `SELECT status, count::int AS count FROM area_action_counts WHERE area_code = $1 AND theme = $2`,
      [areaCode, ALL_THEMES],
    );
    const counts: Record<string, number> = Object.fromEntries(ACTION_STATUSES.map((s) => [s, 0]));
    for (const r of rows) counts[r.status] = r.count;

    // The action events the read model has not applied yet, in log order.
    const types = new Set<string>(ACTION_EVENT_TYPES);
    const tail: { actionId: string; type: ActionEvent['type']; areaCode?: string }[] = [];
    let after: Position | null = checkpoint;
    for (;;) {
      const page = (await store.readAll({ fromPosition: after ?? 'start', maxCount: TAIL_PAGE })).filter(
        (e) => after === null || comparePositions(e.position, after) > 0,
      );
      if (page.length === 0) break;
      for (const e of page)
        if (types.has(e.type)) {
          const d = e.data as { actionId: string; areaCode?: string };
          tail.push({ actionId: d.actionId, type: e.type as ActionEvent['type'], areaCode: d.areaCode });
        }
      after = page[page.length - 1].position;
    }
    if (tail.length === 0) return counts;

    // Where the tail's actions stood in the read model (in the same snapshot as the counts).
    const known: { id: string; areaCode: string; status: ActionStatus }[] = await runner.query(
      `SELECT id, area_code AS "areaCode", status FROM actions WHERE id = ANY($1::uuid[])`,
      [[...new Set(tail.map((e) => e.actionId))]],
    );
    const actions = new Map(known.map((a) => [a.id, { areaCode: a.areaCode, status: a.status }]));
    for (const e of tail) {
      const next = statusAfter(e.type);
      if (next === null) continue;
      const before = actions.get(e.actionId);
      const area = before?.areaCode ?? e.areaCode;
      if (area === areaCode) {
        if (before) counts[before.status]--;
        counts[next]++;
      }
      if (area !== undefined) actions.set(e.actionId, { areaCode: area, status: next });
    }
    return counts;
  } finally {
    await runner.query('ROLLBACK').catch(() => undefined);
    await runner.release();
  }
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

/**
 * Action counts for several areas, like `actionCountsByArea`, of the actions active at some time in the
 * financial year starting 1 April `yearStart`: begun (started; while not started, due to start by its planned
 * start; or cancelled before that) on or before the year's last day, and not completed or cancelled before its
 * first day. Each is counted under its status now (or at the asOf instant). Summed from `action_year_spans`
 * (per area, status, theme and span of years, how many actions; an open span's `last` is later than any year):
 * a few hundred rows per area, however many actions it has.
 */
export async function actionCountsByAreaInYear(
  db: { query<T>(sql: string, params?: unknown[]): Promise<T> },
  areaCodes: readonly string[],
  yearStart: number,
): Promise<ActionCountRow[]> {
  const rows = await db.query<{ areaCode: string; status: string; theme: string; count: number }[]>(
    `SELECT area_code AS "areaCode", status, theme, sum(count)::int AS count
       FROM action_year_spans
      WHERE area_code = ANY($1) AND first <= $2 AND last >= $2 AND count > 0
      GROUP BY area_code, status, theme
      ORDER BY 1, 2, 3`,
    [areaCodes, yearStart],
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
export { ActionCommandMessage, type ActionRequest } from './commands/action.command.js';
