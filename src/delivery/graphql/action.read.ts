import { BadUserInputError, UUID, decodeCursor, requireAreaCode } from '@iap/common';
import { type EventStore, type Position, comparePositions } from '@iap/event-store';
import { type Queryable, readCheckpoint } from '@iap/projections';
import type { DataSource } from 'typeorm';
import { isIsoDate } from '../../shared/periods.js';
import { THEME_CODE } from '../../themes/public-api.js';
import {
  ACTION_EVENT_TYPES,
  ACTION_STATUSES,
  type ActionEvent,
  type ActionStatus,
} from '../domain/action.js';
import { ACTION_ROW_COLUMNS, ALL_THEMES } from '../projections/actions.projection.js';
import type { ActionCountKey, ActionCountType, ActionType } from './action.types.js';

/** Reading the actions read model: an action, pages of actions, their totals and counts. */

/** Checks a list filter's values, naming the offending field. */
export function checkFilter(
  filter: { areaCode?: string | null; status?: string | null; theme?: string | null } | null | undefined,
  prefix = 'filter',
): ActionCountKey {
  const { areaCode, status, theme } = filter ?? {};
  if (areaCode != null) requireAreaCode(areaCode, `${prefix}.areaCode`);
  if (status != null && !(ACTION_STATUSES as readonly string[]).includes(status)) {
    throw BadUserInputError.field(
      `${prefix}.status`,
      `must be one of ${ACTION_STATUSES.join(', ')}, got "${status}"`,
    );
  }
  if (theme != null && !THEME_CODE.test(theme)) {
    throw BadUserInputError.field(
      `${prefix}.theme`,
      `must be a theme code such as ENGLISH_LANGUAGE, got "${theme}"`,
    );
  }
  return {
    areaCode: areaCode ?? null,
    status: (status as ActionStatus | undefined) ?? null,
    theme: theme ?? null,
  };
}

/** The keyset position after which a page starts: [plannedStart, id]. */
export function keysetAfter(after: string | null | undefined): [string, string] | null {
  if (after == null) return null;
  const values = decodeCursor(after, 'after');
  const [start, id] = values;
  if (
    values.length !== 2 ||
    typeof start !== 'string' ||
    !isIsoDate(start) ||
    typeof id !== 'string' ||
    !UUID.test(id)
  ) {
    throw BadUserInputError.field('after', 'is not a cursor of this list');
  }
  return [start, id];
}

export const actionKey = (a: ActionType): [string, string] => [a.plannedStart, a.id];

/** Columns of `actions` as the Action type's fields (dates as ISO strings). */
const ACTION_COLUMNS = `${ACTION_ROW_COLUMNS},
  revision::int AS revision, created_at AS "createdAt", updated_at AS "updatedAt"`;

export async function actionById(db: Queryable, id: string): Promise<ActionType | null> {
  const [row] = await db.query<ActionType[]>(`SELECT ${ACTION_COLUMNS} FROM actions WHERE id = $1`, [id]);
  return row ?? null;
}

/** `limit` actions matching the filter, by planned start then id, after the keyset position [plannedStart, id]. */
export function actionsPage(
  db: Queryable,
  key: ActionCountKey,
  after: readonly [string, string] | null,
  limit: number,
): Promise<ActionType[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const param = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (key.areaCode) where.push(`area_code = ${param(key.areaCode)}`);
  if (key.status) where.push(`status = ${param(key.status)}`);
  if (key.theme) where.push(`themes @> ARRAY[${param(key.theme)}::text]`);
  if (after) where.push(`(planned_start, id) > (${param(after[0])}::date, ${param(after[1])}::uuid)`);
  return db.query<ActionType[]>(
    `SELECT ${ACTION_COLUMNS} FROM actions ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY planned_start, id LIMIT ${param(limit)}`,
    params,
  );
}

/**
 * Each area's first `limit` actions matching the status and theme, after the keyset position, in one query for
 * the whole list of areas, ordered by area, planned start and id.
 */
export function areasActionsPages(
  db: Queryable,
  codes: readonly string[],
  status: ActionStatus | null,
  theme: string | null,
  after: readonly [string, string] | null,
  limit: number,
): Promise<ActionType[]> {
  // Each area's page is read on its own through the (area, planned_start, id) index: first the page's ids
  // (from the index alone), then their rows, one by one. Asked "as it stood then", actions are the history's
  // versions and the live rows together: the ids come from merging the two tables' index scans, and only
  // the page's rows are fetched.
  return db.query<ActionType[]>(
    `SELECT page.* FROM unnest($1::text[]) AS area(code)
     CROSS JOIN LATERAL (
       SELECT a.*
         FROM (SELECT id FROM actions
                WHERE area_code = area.code
                  AND ($2::text IS NULL OR status = $2)
                  AND ($3::text IS NULL OR themes @> ARRAY[$3::text])
                  AND ($4::date IS NULL OR (planned_start, id) > ($4::date, $5::uuid))
                ORDER BY planned_start, id
                LIMIT $6) AS k
         -- LIMIT 1: a lookup per id (not a join the planner may turn into a scan of every row)
         CROSS JOIN LATERAL (SELECT ${ACTION_COLUMNS} FROM actions WHERE id = k.id LIMIT 1) AS a
     ) page
     ORDER BY "areaCode", "plannedStart", id`,
    [codes, status, theme, after?.[0] ?? null, after?.[1] ?? null, limit],
  );
}

/** How many actions match each key (area or all, status or any, theme or all), from the counts table. */
export async function actionTotals(db: Queryable, keys: readonly ActionCountKey[]): Promise<number[]> {
  const rows = await db.query<{ i: number; n: number }[]>(
    `SELECT k.i::int AS i, coalesce(sum(c.count), 0)::int AS n
       FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS k(area_code, status, theme, i)
       LEFT JOIN area_action_counts c
         ON (k.area_code IS NULL OR c.area_code = k.area_code)
        AND (k.status IS NULL OR c.status = k.status)
        AND c.theme = k.theme
      GROUP BY k.i`,
    [keys.map((k) => k.areaCode), keys.map((k) => k.status), keys.map((k) => k.theme ?? ALL_THEMES)],
  );
  const byIndex = new Map(rows.map((r) => [Number(r.i), r.n]));
  return keys.map((_, i) => byIndex.get(i + 1) ?? 0);
}

/** These areas' action counts by status and theme (none of zero), by area, status in lifecycle order, theme. */
export function actionCountsOfAreas(
  db: Queryable,
  codes: readonly string[],
): Promise<(ActionCountType & { areaCode: string })[]> {
  return db.query<(ActionCountType & { areaCode: string })[]>(
    `SELECT area_code AS "areaCode", status, theme, count
       FROM area_action_counts
      WHERE area_code = ANY($1) AND theme <> $2 AND count > 0
      ORDER BY area_code, array_position($3::text[], status), theme`,
    [codes, ALL_THEMES, ACTION_STATUSES],
  );
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
 * Action counts for several areas, like `actionCountsByArea`, of the actions active at some time in the
 * financial year starting 1 April `yearStart`: begun (started; while not started, due to start by its planned
 * start; or cancelled before that) on or before the year's last day, and not completed or cancelled before its
 * first day. Each is counted under its status now (or at the asOf instant). Summed from `action_year_spans`
 * (per area, status, theme and span of years, how many actions; an open span's `last` is later than any year):
 * a few hundred rows per area, however many actions it has.
 */
export async function actionCountsByAreaInYear(
  db: Queryable,
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
  db: Queryable,
  areaCodes: readonly string[],
): Promise<{ areaCode: string; id: string }[]> {
  return db.query(`SELECT area_code AS "areaCode", id FROM actions WHERE area_code = ANY($1)`, [areaCodes]);
}
