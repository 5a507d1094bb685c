import { Injectable } from '@nestjs/common';
import type { RecordedEvent } from '@iap/event-store';
import { type Projection, type ProjectionContext, ReadModelProjection } from '@iap/projections';
import { LEARNING_EVENT_TYPES, type LearningEvent } from '../domain/learning.js';

/** The projection's name: wait for it to read your own write, or listen to it for what was committed. */
export const LEARNING_PROJECTION = 'learning';

/**
 * Projects learning item streams into `learning_items` (one row per item, with its full-text `search` vector
 * generated from the title, summary and body), `learning_adoptions` (one row per council adopting an item) and
 * `learning_adoption_counts_by_pilot` (adoptions of each pilot's items: how the programme measures dissemination).
 * Field for field it agrees with `learningItemView` (domain/learning-view.ts), which answers `asOf` queries.
 */
@ReadModelProjection()
@Injectable()
export class LearningProjection implements Projection {
  readonly name = LEARNING_PROJECTION;
  readonly tables = ['learning_items', 'learning_adoptions', 'learning_adoption_counts_by_pilot'];
  readonly eventTypes = LEARNING_EVENT_TYPES;

  async apply(events: readonly RecordedEvent[], ctx: ProjectionContext): Promise<void> {
    const items = ctx.table('learning_items');
    const counts = ctx.table('learning_adoption_counts_by_pilot');
    // Adoptions, the bulk of the stream, are gathered and written as sets once the batch's other events are in.
    const adoptions: Record<string, unknown>[] = [];
    const adoptedItems = new Map<string, { count: number; revision: string }>();
    for (const e of events as unknown as readonly (RecordedEvent & LearningEvent)[]) {
      const revision = e.revision.toString();
      switch (e.type) {
        case 'LearningDrafted': {
          const d = e.data;
          await ctx.query(
            `INSERT INTO ${items} (id, area_code, type, title, summary, body, themes, action_ids, indicator_codes,
               evidence, status, adoption_count, revision, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'DRAFT', 0, $11, $12, $12)`,
            [
              d.itemId,
              d.areaCode,
              d.type,
              d.title,
              d.summary,
              d.body,
              d.themes,
              d.actionIds,
              d.indicatorCodes,
              JSON.stringify(d.evidenceLinks),
              revision,
              e.recordedAt,
            ],
          );
          await ctx.query(
            `INSERT INTO ${counts} (area_code, adoptions) VALUES ($1, 0) ON CONFLICT (area_code) DO NOTHING`,
            [d.areaCode],
          );
          break;
        }
        case 'LearningRevised': {
          const d = e.data;
          await ctx.query(
            `UPDATE ${items} SET
               type = COALESCE($2, type),
               title = COALESCE($3, title),
               summary = COALESCE($4, summary),
               body = COALESCE($5, body),
               themes = COALESCE($6::text[], themes),
               action_ids = COALESCE($7::text[], action_ids),
               indicator_codes = COALESCE($8::text[], indicator_codes),
               evidence = COALESCE($9::jsonb, evidence),
               status = CASE WHEN status = 'RETRACTED' THEN 'DRAFT' ELSE status END,
               retracted_reason = NULL,
               revision = $10,
               updated_at = $11
             WHERE id = $1`,
            [
              d.itemId,
              d.type ?? null,
              d.title ?? null,
              d.summary ?? null,
              d.body ?? null,
              d.themes ?? null,
              d.actionIds ?? null,
              d.indicatorCodes ?? null,
              d.evidenceLinks ? JSON.stringify(d.evidenceLinks) : null,
              revision,
              e.recordedAt,
            ],
          );
          break;
        }
        case 'LearningPublished':
          await ctx.query(
            `UPDATE ${items} SET status = 'PUBLISHED', published_on = $2, published_at = $3, retracted_reason = NULL,
               revision = $4, updated_at = $3
             WHERE id = $1`,
            [e.data.itemId, e.data.on, e.recordedAt, revision],
          );
          break;
        case 'LearningRetracted':
          await ctx.query(
            `UPDATE ${items} SET status = 'RETRACTED', retracted_reason = $2, revision = $3, updated_at = $4 WHERE id = $1`,
            [e.data.itemId, e.data.reason, revision, e.recordedAt],
          );
          break;
        case 'LearningAdopted': {
          const d = e.data;
          adoptions.push({
            item_id: d.itemId,
            adopting_area_code: d.adoptingAreaCode,
            note: d.note,
            adopted_on: d.on,
            adopted_at: e.recordedAt,
          });
          // Adoptions are not a change to the item's content: updated_at stays; the stream's revision moves on.
          const n = adoptedItems.get(d.itemId);
          adoptedItems.set(d.itemId, { count: (n?.count ?? 0) + 1, revision });
          break;
        }
      }
    }
    if (adoptions.length === 0) return;
    await ctx.query(
      `INSERT INTO ${ctx.table('learning_adoptions')} (item_id, adopting_area_code, note, adopted_on, adopted_at)
       SELECT * FROM jsonb_to_recordset($1::jsonb)
         AS r(item_id uuid, adopting_area_code text, note text, adopted_on date, adopted_at timestamptz)`,
      [JSON.stringify(adoptions)],
    );
    const ids = [...adoptedItems.keys()];
    const tally = [
      ids,
      ids.map((id) => adoptedItems.get(id)!.count),
      ids.map((id) => adoptedItems.get(id)!.revision),
    ];
    // A stream's revisions only rise: the item keeps the later of its last adoption's and any other event's.
    await ctx.query(
      `UPDATE ${items} AS i SET adoption_count = i.adoption_count + a.n, revision = GREATEST(i.revision, a.revision)
         FROM unnest($1::uuid[], $2::int[], $3::bigint[]) AS a(id, n, revision)
        WHERE i.id = a.id`,
      tally,
    );
    await ctx.query(
      `UPDATE ${counts} AS c SET adoptions = c.adoptions + a.n
         FROM (SELECT i.area_code, sum(t.n)::int AS n
                 FROM unnest($1::uuid[], $2::int[]) AS t(id, n) JOIN ${items} AS i ON i.id = t.id
                GROUP BY i.area_code) AS a
        WHERE c.area_code = a.area_code`,
      tally.slice(0, 2),
    );
  }
}
