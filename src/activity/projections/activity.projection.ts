import { Injectable } from '@nestjs/common';
import type { RecordedEvent } from '@iap/event-store';
import {
  ALL_EVENTS,
  type ColumnTypes,
  type Projection,
  type ProjectionContext,
  ReadModelProjection,
  copyLine,
} from '@iap/projections';
import { type NameBook, areaOf, labelOf, loadNames, summarise } from './activity.summary.js';

interface StreamFacts {
  area: string | null;
  label: string | null;
}

/** The columns of `activity` that the projection writes, and their types. */
const ACTIVITY_ROW: ColumnTypes = [
  ['commit_position', 'numeric(20, 0)'],
  ['prepare_position', 'numeric(20, 0)'],
  ['event_id', 'uuid'],
  ['event_type', 'text'],
  ['stream_id', 'text'],
  ['area_code', 'text'],
  ['actor_subject', 'text'],
  ['actor_name', 'text'],
  ['actor_role', 'text'],
  ['correlation_id', 'text'],
  ['summary', 'text'],
  ['recorded_at', 'timestamptz'],
];

/** The row of `activity_counts` that counts the whole feed (no area code is empty). */
export const ALL_AREAS = '';
const AREA_COLUMN = ACTIVITY_ROW.findIndex(([c]) => c === 'area_code');

@ReadModelProjection()
@Injectable()
export class ActivityProjection implements Projection {
  readonly name = 'activity';
  readonly tables = ['activity', 'activity_streams', 'activity_names', 'activity_counts'];
  readonly eventTypes = [ALL_EVENTS];

  async apply(events: readonly RecordedEvent[], ctx: ProjectionContext): Promise<void> {
    // What the batch's streams are about: known from earlier batches, else learnt as the batch goes.
    const streamIds = [...new Set(events.map((e) => e.streamId))];
    const known: { stream_id: string; area_code: string | null; label: string | null }[] = await ctx.query(
      `SELECT stream_id, area_code, label FROM ${ctx.table('activity_streams')} WHERE stream_id = ANY($1)`,
      [streamIds],
    );
    const facts = new Map<string, StreamFacts>(
      known.map((k) => [k.stream_id, { area: k.area_code, label: k.label }]),
    );
    const names = await loadNames(
      ctx,
      events,
      known.flatMap((k) => (k.area_code ? [k.area_code] : [])),
      ctx.table('activity_names'),
    );
    const changed = new Set<string>();
    const learn = (e: RecordedEvent): StreamFacts => {
      const f = facts.get(e.streamId) ?? { area: null, label: null };
      const area = f.area ?? areaOf(e);
      const label = f.label ?? labelOf(e) ?? null;
      if (area !== f.area || label !== f.label) {
        facts.set(e.streamId, { area, label });
        changed.add(e.streamId);
      }
      return { area, label };
    };

    // One COPY per batch: this projection sees every event. Its rows go as lines of COPY's text format, made
    // here (no row objects between: a batch has as many rows as events).
    if (events.length === 0) return;
    const lines = new Array<string>(events.length);
    const added = new Map<string, number>([[ALL_AREAS, events.length]]);
    events.forEach((e, i) => {
      const about = learn(e);
      names.learn(e);
      const actor = e.metadata.actor;
      const values = [
        e.position.commit.toString(),
        e.position.prepare.toString(),
        e.id,
        e.type,
        e.streamId,
        areaOf(e) ?? about.area,
        actor?.subject ?? null,
        actor?.name ?? null,
        actor?.role ?? null,
        e.metadata.correlationId ?? null,
        summarise(e, { streamLabel: about.label ?? undefined, streamArea: about.area, names }),
        e.recordedAt.toISOString(),
      ];
      lines[i] = copyLine(values);
      // The feed's size, in all (ALL_AREAS) and per area.
      const area = values[AREA_COLUMN];
      if (area) added.set(area, (added.get(area) ?? 0) + 1);
    });
    await ctx.copy(
      ctx.table('activity'),
      ACTIVITY_ROW.map(([c]) => c),
      lines,
    );
    await writeNames(names, ctx);
    await ctx.query(
      `INSERT INTO ${ctx.table('activity_counts')} AS c (area_code, entries)
       SELECT * FROM unnest($1::text[], $2::bigint[])
       ON CONFLICT (area_code) DO UPDATE SET entries = c.entries + EXCLUDED.entries`,
      [[...added.keys()], [...added.values()]],
    );
    if (changed.size > 0) {
      const ids = [...changed];
      await ctx.query(
        `INSERT INTO ${ctx.table('activity_streams')} (stream_id, area_code, label)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
         ON CONFLICT (stream_id) DO UPDATE SET area_code = EXCLUDED.area_code, label = EXCLUDED.label`,
        [ids, ids.map((id) => facts.get(id)!.area), ids.map((id) => facts.get(id)!.label)],
      );
    }
  }
}

/** The names a batch taught, upserted (one statement). */
async function writeNames(names: NameBook, ctx: ProjectionContext): Promise<void> {
  const rows = [
    ...[...names.changedActions].map((id) => {
      const a = names.actions.get(id)!;
      return ['action', id, a.title, a.areaCode] as const;
    }),
    ...[...names.changedAreas].map((code) => ['area', code, names.areas.get(code)!, null] as const),
  ];
  if (rows.length === 0) return;
  await ctx.query(
    `INSERT INTO ${ctx.table('activity_names')} (kind, id, name, area_code)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
     ON CONFLICT (kind, id) DO UPDATE SET name = EXCLUDED.name, area_code = EXCLUDED.area_code`,
    [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2]), rows.map((r) => r[3])],
  );
}
