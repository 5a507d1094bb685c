import { Injectable } from '@nestjs/common';
import type { RecordedEvent } from '@iap/event-store';
import {
  type AsOfSql,
  type Projection,
  type ProjectionContext,
  ReadModelProjection,
  VersionedRows,
  type VersionedTableSpec,
} from '@iap/projections';
import { ACTION_EVENT_TYPES, type ActionEvent, type ActionStatus } from '../domain/action.js';

/**
 * The `theme` under which `area_action_counts` keeps each status's total: an action with three themes counts once
 * under each of them, and once here (so totals are a read too, not a sum that would count it three times).
 */
export const ALL_THEMES = '*';

/** A milestone as the read model keeps it (in `actions.milestones`, in plan order). */
export interface MilestoneRow {
  id: string;
  title: string;
  dueDate: string;
  reachedOn: string | null;
  note: string | null;
}

/** The mutable part of an `actions` row, as read and written by the projection. */
export interface ActionRow {
  id: string;
  areaCode: string;
  title: string;
  description: string;
  status: ActionStatus;
  themes: string[];
  leadPartnerId: string;
  partnerIds: string[];
  plannedStart: string;
  plannedEnd: string;
  startedOn: string | null;
  completedOn: string | null;
  summary: string | null;
  pausedOn: string | null;
  pausedReason: string | null;
  cancelledOn: string | null;
  cancelledReason: string | null;
  milestones: MilestoneRow[];
}

/** The columns of `actions` that make an ActionRow (dates as ISO strings): the projection's and the readers'. */
export const ACTION_ROW_COLUMNS = `id, area_code AS "areaCode", title, description, status, themes,
  lead_partner_id AS "leadPartnerId", partner_ids AS "partnerIds",
  planned_start::text AS "plannedStart", planned_end::text AS "plannedEnd",
  started_on::text AS "startedOn", completed_on::text AS "completedOn", summary,
  paused_on::text AS "pausedOn", paused_reason AS "pausedReason",
  cancelled_on::text AS "cancelledOn", cancelled_reason AS "cancelledReason", milestones`;

/** An action's row as the batch leaves it. */
interface RowState {
  row: ActionRow;
  revision: string;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * Projects action streams into `actions` (one row per action) and `area_action_counts` (how many of each area's
 * actions are in each status, per theme and in total), which it keeps up to date as statuses and themes change.
 *
 * A batch is applied as a set: one read of the rows its events touch, every event folded in memory in log
 * order, then one write of the new rows, one of the changed rows and one per direction of count change. The
 * tables end exactly as event-by-event application would leave them, whatever the batch boundaries (a test
 * replays the same log in batches of different sizes and compares), in a handful of statements per batch.
 */
@ReadModelProjection()
@Injectable()
export class ActionsProjection implements Projection {
  readonly name = 'actions';
  readonly tables = [
    'actions',
    'actions_history',
    'action_status_counts',
    'action_status_counts_history',
    'area_action_counts',
    'action_year_spans',
    'action_year_spans_history',
  ];
  readonly eventTypes = ACTION_EVENT_TYPES;

  asOf(sql: AsOfSql): Record<string, string> {
    return {
      actions: sql.current(ACTIONS_TABLE),
      // The counts are what the actions then were: derived, so they need no history of their own.
      // Per area and status, how many actions there were under each theme (and in all, ALL_THEMES).
      area_action_counts: `SELECT c.area_code, c.status, e.key AS theme, e.value::int AS count
        FROM (${sql.current(STATUS_COUNTS, 'c')}) AS c CROSS JOIN LATERAL jsonb_each_text(c.counts) AS e
        WHERE e.value::int > 0`,
      action_year_spans: sql.current(YEAR_SPANS),
    };
  }

  async apply(events: readonly RecordedEvent[], ctx: ProjectionContext): Promise<void> {
    const typed = events as unknown as readonly (RecordedEvent & ActionEvent)[];
    const plannedHere = new Set(typed.filter((e) => e.type === 'ActionPlanned').map((e) => e.data.actionId));
    const toLoad = [...new Set(typed.map((e) => e.data.actionId))].filter((id) => !plannedHere.has(id));
    const versions = ctx.rows<ActionRecord>(ACTIONS_TABLE);
    await versions.load(
      ctx,
      toLoad.map((id) => ({ id })),
    );
    const rows = new Map<string, RowState>();
    for (const id of toLoad) {
      const found = versions.get({ id });
      if (found) rows.set(id, stateOf(found));
    }
    const counted = countedAreas(typed, rows);
    const statusCounts = await StatusCounts.load(counted, ctx);
    const yearSpans = new YearSpans(ctx.rows<SpanRow>(YEAR_SPANS));
    const counts = new CountDeltas();

    for (const e of typed) {
      const id = e.data.actionId;
      if (e.type === 'ActionPlanned') {
        const row = plannedRow(e.data);
        rows.set(id, {
          row,
          revision: e.revision.toString(),
          createdAt: e.recordedAt,
          updatedAt: e.recordedAt,
        });
        counts.add(row.areaCode, row.status, row.themes, +1);
        versions.put(record(rows.get(id)!), e.recordedAt, true);
        statusCounts.move(null, row, e.recordedAt);
        yearSpans.move(null, row, e.recordedAt);
        continue;
      }
      const state = rows.get(id);
      if (!state) throw new Error(`${e.type} for action ${id}, which the read model does not hold`);
      const before = state.row;
      const after = evolveRow(before, e);
      state.row = after;
      state.revision = e.revision.toString();
      state.updatedAt = e.recordedAt;
      versions.put(record(state), e.recordedAt);
      if (after.status !== before.status || !sameThemes(after.themes, before.themes)) {
        counts.add(before.areaCode, before.status, before.themes, -1);
        counts.add(after.areaCode, after.status, after.themes, +1);
        statusCounts.move(before, after, e.recordedAt);
      }
      if (yearKeys(before).join() !== yearKeys(after).join()) yearSpans.move(before, after, e.recordedAt);
    }

    // The rows as the batch leaves them, and every version they had on the way (actions_history).
    await versions.flush(ctx);
    await statusCounts.flush(ctx);
    await yearSpans.flush(ctx);
    await counts.write(ctx);
  }
}

/**
 * An action's row folded from its stream alone, with the same fold the projection applies: what a mutation
 * answers when the read model has not caught up yet (see ReadYourWrites).
 */
export function actionRowOf(
  stream: readonly RecordedEvent[],
): ActionRow & { revision: number; createdAt: Date; updatedAt: Date } {
  const events = stream as unknown as readonly (RecordedEvent & ActionEvent)[];
  const planned = events[0];
  if (!planned || planned.type !== 'ActionPlanned')
    throw new Error('An action stream begins with ActionPlanned');
  let row = plannedRow(planned.data);
  for (const e of events.slice(1)) row = evolveRow(row, e);
  const last = events[events.length - 1];
  return {
    ...row,
    revision: Number(last.revision),
    createdAt: planned.recordedAt,
    updatedAt: last.recordedAt,
  };
}

/** The columns of `actions`, and their types. */
const COLUMN_TYPES: readonly (readonly [string, string])[] = [
  ['id', 'uuid'],
  ['area_code', 'text'],
  ['title', 'text'],
  ['description', 'text'],
  ['status', 'text'],
  ['themes', 'text[]'],
  ['lead_partner_id', 'text'],
  ['partner_ids', 'text[]'],
  ['planned_start', 'date'],
  ['planned_end', 'date'],
  ['started_on', 'date'],
  ['completed_on', 'date'],
  ['summary', 'text'],
  ['paused_on', 'date'],
  ['paused_reason', 'text'],
  ['cancelled_on', 'date'],
  ['cancelled_reason', 'text'],
  ['milestones', 'jsonb'],
  ['revision', 'bigint'],
  ['created_at', 'timestamptz'],
  ['updated_at', 'timestamptz'],
];

/**
 * `actions` keeps every version of its rows; an area's actions at an instant are listed, as now, in order of
 * planned start (so the first page is found without reading every action of the area).
 */
export const ACTIONS_TABLE: VersionedTableSpec = {
  table: 'actions',
  key: ['id'],
  columns: COLUMN_TYPES,
  historyIndexes: ['(area_code, planned_start, id, valid_to, valid_from)'],
};

/**
 * Per area and status, how many of its actions are under each theme (ALL_THEMES: in all), as one JSON object,
 * versioned at every change (`area_action_counts`, a row per theme, is what live reads use): the counts at an
 * instant are then a handful of rows, however many actions the area has.
 */
export const STATUS_COUNTS: VersionedTableSpec = {
  table: 'action_status_counts',
  key: ['area_code', 'status'],
  columns: [
    ['area_code', 'text'],
    ['status', 'text'],
    ['counts', 'jsonb'],
  ],
  scope: ['area_code'],
  // An area has a handful of statuses: its scope index finds one of them as well.
  historyKeyIndex: false,
};

/**
 * The areas whose action counts a batch may move: those of the actions it touches (none when it only reaches
 * milestones, which move no count).
 */
function countedAreas(
  events: readonly (RecordedEvent & ActionEvent)[],
  rows: ReadonlyMap<string, RowState>,
): string[] {
  if (events.every((e) => e.type === 'MilestoneReached')) return [];
  const areas = new Set([...rows.values()].map((s) => s.row.areaCode));
  for (const e of events) if (e.type === 'ActionPlanned') areas.add(e.data.areaCode);
  return [...areas];
}

/** The versions of STATUS_COUNTS a batch makes: read from the live counts once, moved action by action. */
class StatusCounts {
  private readonly maps = new Map<string, Record<string, number>>();

  private constructor(private readonly versions: VersionedRows) {}

  static async load(areas: readonly string[], ctx: ProjectionContext): Promise<StatusCounts> {
    const counts = new StatusCounts(ctx.rows(STATUS_COUNTS));
    if (areas.length === 0) return counts;
    const found = await ctx.query<{ area_code: string; status: string; theme: string; count: number }>(
      `SELECT area_code, status, theme, count FROM ${ctx.table('area_action_counts')} WHERE area_code = ANY($1)`,
      [areas],
    );
    for (const r of found) counts.map(r.area_code, r.status)[r.theme] = r.count;
    return counts;
  }

  private map(area: string, status: string): Record<string, number> {
    const key = JSON.stringify([area, status]);
    let m = this.maps.get(key);
    if (!m) this.maps.set(key, (m = {}));
    return m;
  }

  /** An action leaves `before`'s status and themes (null: it is new) for `after`'s. */
  move(before: ActionRow | null, after: ActionRow, at: Date): void {
    for (const [row, delta] of [
      [before, -1],
      [after, +1],
    ] as const) {
      if (!row) continue;
      const m = this.map(row.areaCode, row.status);
      for (const theme of [...row.themes, ALL_THEMES]) m[theme] = (m[theme] ?? 0) + delta;
      // Themes at 0 are left out, as the live table drops their rows.
      const counts = Object.fromEntries(Object.entries(m).filter(([, n]) => n !== 0));
      this.versions.put({ area_code: row.areaCode, status: row.status, counts }, at);
    }
  }

  flush(ctx: ProjectionContext): Promise<void> {
    return this.versions.flush(ctx);
  }
}

/**
 * The financial years an action is active in, as the start years of the first and last of them (2019 for
 * 2019-20; `last` null while it is open): from its actual start (its planned start while it has not started, or
 * its cancellation if it was cancelled before then) to its completion or cancellation. An action is "in" every
 * year from `first` to `last`, both included: active at some time in it.
 */
export function activeYears(row: {
  plannedStart: string;
  startedOn: string | null;
  completedOn: string | null;
  cancelledOn: string | null;
}): { first: number; last: number | null } {
  const begins = row.startedOn ?? [row.plannedStart, row.cancelledOn].filter((d) => d !== null).sort()[0];
  const ends = row.completedOn ?? row.cancelledOn;
  return { first: yearStartOf(begins), last: ends === null ? null : yearStartOf(ends) };
}

/** The calendar year in which the financial year holding `date` (YYYY-MM-DD) starts. */
function yearStartOf(date: string): number {
  const y = Number(date.slice(0, 4));
  return date.slice(5) >= '04-01' ? y : y - 1;
}

/** What an action counts under in `action_year_counts`: its status, and per theme (and ALL_THEMES) its years. */
function yearKeys(row: ActionRow): string[] {
  const { first, last } = activeYears(row);
  return [row.areaCode, row.status, ...[...row.themes, ALL_THEMES].map((t) => yearKey(t, first, last))];
}

const yearKey = (theme: string, first: number, last: number | null): string =>
  JSON.stringify([theme, first, last]);

/** `last` of a span whose actions are still open (not completed or cancelled): in every year from `first` on. */
export const OPEN_SPAN = 9999;

/** A row of `action_year_spans`. */
interface SpanRow extends Record<string, unknown> {
  area_code: string;
  status: string;
  theme: string;
  first: number;
  last: number;
  count: number;
}

/**
 * Per area, status and theme (ALL_THEMES: in all), how many of its actions are active in which financial years:
 * `first` and `last` are the start years of the first and last financial years they are active in (2019 for
 * 2019-20; `last` OPEN_SPAN while they are open), so the actions in a year are the rows with first ≤ year ≤ last.
 * Versioned at every change, so "as it stood then" reads its history. A span whose actions have all moved on
 * keeps its row, at 0.
 */
export const YEAR_SPANS: VersionedTableSpec = {
  table: 'action_year_spans',
  key: ['area_code', 'status', 'theme', 'first', 'last'],
  columns: [
    ['area_code', 'text'],
    ['status', 'text'],
    ['theme', 'text'],
    ['first', 'int'],
    ['last', 'int'],
    ['count', 'int'],
  ],
  scope: ['area_code'],
  // An area's spans at an instant are found through its scope index.
  historyKeyIndex: false,
};

/** The rows of YEAR_SPANS an action counts under (with its status, per theme and ALL_THEMES). */
function spanKeys(row: ActionRow): Pick<SpanRow, 'area_code' | 'status' | 'theme' | 'first' | 'last'>[] {
  const { first, last } = activeYears(row);
  return [...row.themes, ALL_THEMES].map((theme) => ({
    area_code: row.areaCode,
    status: row.status,
    theme,
    first,
    last: last ?? OPEN_SPAN,
  }));
}

/**
 * The versions of YEAR_SPANS a batch makes: its moves are gathered in log order, then the rows they touch are
 * read once and moved, a version each time.
 */
class YearSpans {
  private readonly moves: { keys: ReturnType<typeof spanKeys>; delta: number; at: Date }[] = [];

  constructor(private readonly versions: VersionedRows<SpanRow>) {}

  /** An action leaves `before`'s status, themes and years (null: it is new) for `after`'s. */
  move(before: ActionRow | null, after: ActionRow, at: Date): void {
    if (before) this.moves.push({ keys: spanKeys(before), delta: -1, at });
    this.moves.push({ keys: spanKeys(after), delta: +1, at });
  }

  async flush(ctx: ProjectionContext): Promise<void> {
    if (this.moves.length === 0) return;
    await this.versions.load(
      ctx,
      this.moves.flatMap((m) => m.keys),
    );
    for (const { keys, delta, at } of this.moves)
      for (const key of keys)
        this.versions.put({ ...key, count: (this.versions.get(key)?.count ?? 0) + delta }, at);
    await this.versions.flush(ctx);
  }
}

/** An `actions` row by column name (dates as ISO strings), as `record` makes it and `load` reads it. */
type ActionRecord = Record<string, unknown> & {
  id: string;
  revision: string | number;
  created_at: Date;
  updated_at: Date;
};

/** A row state from its record (the inverse of `record`). */
function stateOf(r: ActionRecord): RowState {
  const s = <T>(c: string) => r[c] as T;
  return {
    row: {
      id: r.id,
      areaCode: s('area_code'),
      title: s('title'),
      description: s('description'),
      status: s('status'),
      themes: s('themes'),
      leadPartnerId: s('lead_partner_id'),
      partnerIds: s('partner_ids'),
      plannedStart: s('planned_start'),
      plannedEnd: s('planned_end'),
      startedOn: s('started_on'),
      completedOn: s('completed_on'),
      summary: s('summary'),
      pausedOn: s('paused_on'),
      pausedReason: s('paused_reason'),
      cancelledOn: s('cancelled_on'),
      cancelledReason: s('cancelled_reason'),
      milestones: s('milestones'),
    },
    revision: String(r.revision),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** A row state as one element of the record set the writes read (keys are the column names). */
function record(s: RowState): ActionRecord {
  const r = s.row;
  return {
    id: r.id,
    area_code: r.areaCode,
    title: r.title,
    description: r.description,
    status: r.status,
    themes: r.themes,
    lead_partner_id: r.leadPartnerId,
    partner_ids: r.partnerIds,
    planned_start: r.plannedStart,
    planned_end: r.plannedEnd,
    started_on: r.startedOn,
    completed_on: r.completedOn,
    summary: r.summary,
    paused_on: r.pausedOn,
    paused_reason: r.pausedReason,
    cancelled_on: r.cancelledOn,
    cancelled_reason: r.cancelledReason,
    milestones: r.milestones,
    revision: s.revision,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
  };
}

function plannedRow(d: Extract<ActionEvent, { type: 'ActionPlanned' }>['data']): ActionRow {
  return {
    id: d.actionId,
    areaCode: d.areaCode,
    title: d.title,
    description: d.description,
    status: 'PLANNED',
    themes: [...d.themes],
    leadPartnerId: d.leadPartnerId,
    partnerIds: [...d.partnerIds],
    plannedStart: d.plannedStart,
    plannedEnd: d.plannedEnd,
    startedOn: null,
    completedOn: null,
    summary: null,
    pausedOn: null,
    pausedReason: null,
    cancelledOn: null,
    cancelledReason: null,
    milestones: d.milestones.map((m) => ({
      id: m.milestoneId,
      title: m.title,
      dueDate: m.dueDate,
      reachedOn: null,
      note: null,
    })),
  };
}

/** The row after one event (other than ActionPlanned). */
function evolveRow(row: ActionRow, e: ActionEvent): ActionRow {
  switch (e.type) {
    case 'ActionPlanned':
      return row;
    case 'ActionStarted':
      return { ...row, status: 'IN_PROGRESS', startedOn: e.data.on };
    case 'MilestoneReached':
      return {
        ...row,
        milestones: row.milestones.map((m) =>
          m.id === e.data.milestoneId ? { ...m, reachedOn: e.data.on, note: e.data.note || null } : m,
        ),
      };
    case 'ActionRevised': {
      const c = e.data.changes;
      return {
        ...row,
        title: c.title ?? row.title,
        description: c.description ?? row.description,
        themes: c.themes ? [...c.themes] : row.themes,
        leadPartnerId: c.leadPartnerId ?? row.leadPartnerId,
        partnerIds: c.partnerIds ? [...c.partnerIds] : row.partnerIds,
        plannedStart: c.plannedStart ?? row.plannedStart,
        plannedEnd: c.plannedEnd ?? row.plannedEnd,
        milestones: [
          ...row.milestones,
          ...(c.milestonesAdded ?? []).map((m) => ({
            id: m.milestoneId,
            title: m.title,
            dueDate: m.dueDate,
            reachedOn: null,
            note: null,
          })),
        ],
      };
    }
    case 'ActionCompleted':
      return { ...row, status: 'COMPLETED', completedOn: e.data.on, summary: e.data.summary };
    case 'ActionPaused':
      return { ...row, status: 'PAUSED', pausedOn: e.data.on, pausedReason: e.data.reason };
    case 'ActionResumed':
      return { ...row, status: 'IN_PROGRESS', pausedOn: null, pausedReason: null };
    case 'ActionCancelled':
      return { ...row, status: 'CANCELLED', cancelledOn: e.data.on, cancelledReason: e.data.reason };
  }
}

function sameThemes(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((t, i) => t === b[i]);
}

/**
 * Net changes to `area_action_counts` over a batch, per (area, status, theme) with ALL_THEMES beside each
 * action's own themes. Written in one upsert for the rises and one update for the falls, then rows that reach 0
 * are dropped. (An upsert cannot decrement: the CHECK on count applies to the row it would have inserted.)
 */
class CountDeltas {
  private readonly deltas = new Map<string, { area: string; status: string; theme: string; delta: number }>();

  add(area: string, status: ActionStatus, themes: readonly string[], delta: 1 | -1): void {
    for (const theme of [...themes, ALL_THEMES]) {
      const key = JSON.stringify([area, status, theme]);
      const d = this.deltas.get(key);
      if (d) d.delta += delta;
      else this.deltas.set(key, { area, status, theme, delta });
    }
  }

  async write(ctx: ProjectionContext): Promise<void> {
    const t = ctx.table('area_action_counts');
    const all = [...this.deltas.values()];
    const up = all.filter((d) => d.delta > 0);
    const down = all.filter((d) => d.delta < 0);
    const columns = (ds: typeof all) => [
      ds.map((d) => d.area),
      ds.map((d) => d.status),
      ds.map((d) => d.theme),
      ds.map((d) => Math.abs(d.delta)),
    ];
    if (up.length > 0)
      await ctx.query(
        `INSERT INTO ${t} AS c (area_code, status, theme, count)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[])
         ON CONFLICT (area_code, status, theme) DO UPDATE SET count = c.count + EXCLUDED.count`,
        columns(up),
      );
    if (down.length > 0) {
      await ctx.query(
        `UPDATE ${t} AS c SET count = c.count - d.n
           FROM unnest($1::text[], $2::text[], $3::text[], $4::int[]) AS d(area_code, status, theme, n)
          WHERE c.area_code = d.area_code AND c.status = d.status AND c.theme = d.theme`,
        columns(down),
      );
      await ctx.query(
        `DELETE FROM ${t} AS c USING unnest($1::text[], $2::text[]) AS d(area_code, status)
          WHERE c.area_code = d.area_code AND c.status = d.status AND c.count = 0`,
        [down.map((d) => d.area), down.map((d) => d.status)],
      );
    }
  }
}
