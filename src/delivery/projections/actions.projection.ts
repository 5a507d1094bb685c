import { Injectable } from '@nestjs/common';
import type { RecordedEvent } from '@iap/event-store';
import { type Projection, type ProjectionContext, ReadModelProjection } from '@iap/projections';
import { ACTION_EVENT_TYPES, type ActionEvent, type ActionStatus } from '../domain/action.js';
import { ALL_THEMES } from './actions.migration.js';

/** A milestone as the read model keeps it (in `actions.milestones`, in plan order). */
export interface MilestoneRow {
  id: string;
  title: string;
  dueDate: string;
  reachedOn: string | null;
  note: string | null;
}

/** The mutable part of an `actions` row, as read and written by the projection. */
interface ActionRow {
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

const ROW_COLUMNS = `id, area_code AS "areaCode", title, description, status, themes,
  lead_partner_id AS "leadPartnerId", partner_ids AS "partnerIds",
  planned_start::text AS "plannedStart", planned_end::text AS "plannedEnd",
  started_on::text AS "startedOn", completed_on::text AS "completedOn", summary,
  paused_on::text AS "pausedOn", paused_reason AS "pausedReason",
  cancelled_on::text AS "cancelledOn", cancelled_reason AS "cancelledReason", milestones`;

/**
 * Projects action streams into `actions` (one row per action) and `area_action_counts` (how many of each area's
 * actions are in each status, per theme and in total), which it keeps up to date as statuses and themes change.
 */
@ReadModelProjection()
@Injectable()
export class ActionsProjection implements Projection {
  readonly name = 'actions';
  readonly tables = ['actions', 'area_action_counts'];
  readonly eventTypes = ACTION_EVENT_TYPES;

  async apply(events: readonly RecordedEvent[], ctx: ProjectionContext): Promise<void> {
    for (const e of events as unknown as readonly (RecordedEvent & ActionEvent)[]) {
      if (e.type === 'ActionPlanned') {
        await this.insert(e as RecordedEvent & Extract<ActionEvent, { type: 'ActionPlanned' }>, ctx);
        continue;
      }
      const [before] = await ctx.query<ActionRow>(
        `SELECT ${ROW_COLUMNS} FROM ${ctx.table('actions')} WHERE id = $1`,
        [e.data.actionId],
      );
      if (!before)
        throw new Error(`${e.type} for action ${e.data.actionId}, which the read model does not hold`);
      const after = evolveRow(before, e);
      await this.update(after, e, ctx);
      if (after.status !== before.status || !sameThemes(after.themes, before.themes)) {
        await adjustCounts(ctx, before.areaCode, before.status, before.themes, -1);
        await adjustCounts(ctx, after.areaCode, after.status, after.themes, +1);
      }
    }
  }

  private async insert(
    e: RecordedEvent & Extract<ActionEvent, { type: 'ActionPlanned' }>,
    ctx: ProjectionContext,
  ): Promise<void> {
    const d = e.data;
    const milestones: MilestoneRow[] = d.milestones.map((m) => ({
      id: m.milestoneId,
      title: m.title,
      dueDate: m.dueDate,
      reachedOn: null,
      note: null,
    }));
    await ctx.query(
      `INSERT INTO ${ctx.table('actions')} (id, area_code, title, description, status, themes, lead_partner_id, partner_ids,
         planned_start, planned_end, milestones, revision, created_at, updated_at)
       VALUES ($1, $2, $3, $4, 'PLANNED', $5, $6, $7, $8, $9, $10, $11, $12, $12)`,
      [
        d.actionId,
        d.areaCode,
        d.title,
        d.description,
        d.themes,
        d.leadPartnerId,
        d.partnerIds,
        d.plannedStart,
        d.plannedEnd,
        JSON.stringify(milestones),
        e.revision.toString(),
        e.recordedAt,
      ],
    );
    await adjustCounts(ctx, d.areaCode, 'PLANNED', d.themes, +1);
  }

  private async update(row: ActionRow, e: RecordedEvent, ctx: ProjectionContext): Promise<void> {
    await ctx.query(
      `UPDATE ${ctx.table('actions')} SET title = $2, description = $3, status = $4, themes = $5, lead_partner_id = $6,
         partner_ids = $7, planned_start = $8, planned_end = $9, started_on = $10, completed_on = $11, summary = $12,
         paused_on = $13, paused_reason = $14, cancelled_on = $15, cancelled_reason = $16, milestones = $17,
         revision = $18, updated_at = $19
       WHERE id = $1`,
      [
        row.id,
        row.title,
        row.description,
        row.status,
        row.themes,
        row.leadPartnerId,
        row.partnerIds,
        row.plannedStart,
        row.plannedEnd,
        row.startedOn,
        row.completedOn,
        row.summary,
        row.pausedOn,
        row.pausedReason,
        row.cancelledOn,
        row.cancelledReason,
        JSON.stringify(row.milestones),
        e.revision.toString(),
        e.recordedAt,
      ],
    );
  }
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

/** Adds `delta` to the area's count for the status under each theme and under ALL_THEMES; drops rows that reach 0. */
async function adjustCounts(
  ctx: ProjectionContext,
  areaCode: string,
  status: ActionStatus,
  themes: readonly string[],
  delta: 1 | -1,
): Promise<void> {
  const t = ctx.table('area_action_counts');
  const keys = [...themes, ALL_THEMES];
  if (delta > 0) {
    await ctx.query(
      `INSERT INTO ${t} AS c (area_code, status, theme, count)
       SELECT $1, $2, theme, 1 FROM unnest($3::text[]) AS theme
       ON CONFLICT (area_code, status, theme) DO UPDATE SET count = c.count + 1`,
      [areaCode, status, keys],
    );
    return;
  }
  // (An upsert cannot decrement: the CHECK on count applies to the row it would have inserted.)
  await ctx.query(
    `UPDATE ${t} SET count = count - 1 WHERE area_code = $1 AND status = $2 AND theme = ANY($3::text[])`,
    [areaCode, status, keys],
  );
  await ctx.query(`DELETE FROM ${t} WHERE area_code = $1 AND status = $2 AND count = 0`, [areaCode, status]);
}
