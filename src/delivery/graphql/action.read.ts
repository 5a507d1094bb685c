import { BadUserInputError, UUID, decodeCursor, requireAreaCode } from '@iap/common';
import type { Queryable } from '@iap/projections';
import { isIsoDate } from '../../shared/periods.js';
import { THEME_CODE } from '../../themes/public-api.js';
import { ACTION_STATUSES, type ActionStatus } from '../domain/action.js';
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
