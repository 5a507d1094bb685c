import type { RecordedEvent } from '@iap/event-store';
import { ONS_LOCAL_AUTHORITY_CODE } from '@iap/common';

/** `ActionStarted` → `Action started`. */
export function humanise(type: string): string {
  const words = type.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v : undefined;
}

/** One formatter for every summary: building one per call (as toLocaleString does) costs more than the event. */
const POUNDS = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

function pounds(pence: number): string {
  return `£${POUNDS.format(pence / 100)}`;
}

/** What an event names itself by (a title, a name, an indicator), if anything. */
export function labelOf(event: Pick<RecordedEvent, 'data'>): string | undefined {
  const d = (event.data ?? {}) as Record<string, unknown>;
  return str(d.title) ?? str(d.name) ?? str(d.indicatorCode);
}

/** What a summary may name: actions (title and area, by id) and areas (name, by code). */
export interface Names {
  readonly actions: ReadonlyMap<string, { readonly title: string; readonly areaCode: string | null }>;
  readonly areas: ReadonlyMap<string, string>;
}

/** Where a summary finds names an event does not carry. */
export interface SummaryContext {
  /** What the event's stream is about, when the event does not say. */
  readonly streamLabel?: string;
  /** The area the event's stream belongs to, when the event does not say. */
  readonly streamArea?: string | null;
  readonly names?: Names;
}

/**
 * A one-line account of an event, naming what it is about (its own title or name, else the title of the action
 * it concerns, else the stream's label) and the area it belongs to, by name: "Funds committed “Schools Linking”
 * for 2019-20 (£8,000.00), Blackburn with Darwen". An id or code shows only where no name is known.
 */
export function summarise(
  event: Pick<RecordedEvent, 'type' | 'data' | 'streamId'>,
  context: SummaryContext = {},
): string {
  const d = (event.data ?? {}) as Record<string, unknown>;
  const parts = [humanise(event.type)];
  const actionId = str(d.actionId);
  const action = actionId ? context.names?.actions.get(actionId) : undefined;
  const label = labelOf(event) ?? action?.title ?? context.streamLabel ?? actionId;
  if (label) parts.push(`“${label}”`);
  const period = str(d.quarter) ?? str(d.year) ?? str(d.periodLabel);
  if (period) parts.push(`for ${period}`);
  if (typeof d.amountPence === 'number') parts.push(`(${pounds(d.amountPence)})`);
  const code = areaOf(event) ?? action?.areaCode ?? context.streamArea ?? null;
  const area = code ? (context.names?.areas.get(code) ?? code) : undefined;
  return area && area !== label ? `${parts.join(' ')}, ${area}` : parts.join(' ');
}

/** Names being learnt from events in log order, over names known before them. */
export class NameBook implements Names {
  readonly actions = new Map<string, { title: string; areaCode: string | null }>();
  readonly areas = new Map<string, string>();
  /** The action ids and area codes whose names the events taught. */
  readonly changedActions = new Set<string>();
  readonly changedAreas = new Set<string>();

  /** Learns the names an event gives: an action's title and area (planned, or retitled), an area's name. */
  learn(event: Pick<RecordedEvent, 'type' | 'data'>): void {
    const d = (event.data ?? {}) as Record<string, unknown>;
    const actionId = str(d.actionId);
    if (event.type === 'ActionPlanned' && actionId && str(d.title)) {
      this.actions.set(actionId, { title: str(d.title)!, areaCode: str(d.areaCode) ?? null });
      this.changedActions.add(actionId);
    } else if (event.type === 'ActionRevised' && actionId) {
      const title = str((d.changes as Record<string, unknown> | undefined)?.title);
      const known = this.actions.get(actionId);
      if (title) {
        this.actions.set(actionId, { title, areaCode: known?.areaCode ?? null });
        this.changedActions.add(actionId);
      }
    } else if (event.type === 'AreaRegistered' && str(d.code) && str(d.name)) {
      this.areas.set(str(d.code)!, str(d.name)!);
      this.changedAreas.add(str(d.code)!);
    }
  }
}

/**
 * A book of the names the activity read model keeps (`activity_names`) for these events' actions and areas (and
 * `moreAreas`), and the areas of those actions. `table`: the table's name (a rebuild's fresh copy, or the live
 * one).
 */
export async function loadNames(
  db: { query(sql: string, params?: unknown[]): Promise<unknown> },
  events: readonly Pick<RecordedEvent, 'streamId' | 'data'>[],
  moreAreas: readonly string[] = [],
  table = 'activity_names',
): Promise<NameBook> {
  const book = new NameBook();
  const { actions, areas } = namesNeeded(events);
  if (actions.length === 0 && areas.length === 0 && moreAreas.length === 0) return book;
  const rows = (await db.query(
    `WITH a AS (SELECT id, name, area_code FROM ${table} WHERE kind = 'action' AND id = ANY($1::text[]))
     SELECT 'action' AS kind, id, name, area_code FROM a
     UNION ALL
     SELECT kind, id, name, area_code FROM ${table}
      WHERE kind = 'area' AND (id = ANY($2::text[]) OR id IN (SELECT area_code FROM a))`,
    [actions, [...areas, ...moreAreas]],
  )) as { kind: string; id: string; name: string; area_code: string | null }[];
  for (const r of rows) {
    if (r.kind === 'action') book.actions.set(r.id, { title: r.name, areaCode: r.area_code });
    else book.areas.set(r.id, r.name);
  }
  return book;
}

/** The action ids and area codes whose names summaries of these events may need. */
export function namesNeeded(events: readonly Pick<RecordedEvent, 'streamId' | 'data'>[]): {
  actions: string[];
  areas: string[];
} {
  const actions = new Set<string>();
  const areas = new Set<string>();
  for (const e of events) {
    const actionId = str((e.data as Record<string, unknown> | null)?.actionId);
    if (actionId) actions.add(actionId);
    const code = areaOf(e);
    if (code) areas.add(code);
  }
  return { actions: [...actions], areas: [...areas] };
}

export function areaOf(event: Pick<RecordedEvent, 'streamId' | 'data'>): string | null {
  const d = (event.data ?? {}) as Record<string, unknown>;
  for (const candidate of [d.areaCode, d.code, event.streamId.slice(event.streamId.indexOf('-') + 1)]) {
    if (typeof candidate === 'string' && ONS_LOCAL_AUTHORITY_CODE.test(candidate)) return candidate;
  }
  return null;
}
