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
    const adoptions = ctx.table('learning_adoptions');
    const counts = ctx.table('learning_adoption_counts_by_pilot');
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
          await ctx.query(
            `INSERT INTO ${adoptions} (item_id, adopting_area_code, note, adopted_on, adopted_at) VALUES ($1, $2, $3, $4, $5)`,
            [d.itemId, d.adoptingAreaCode, d.note, d.on, e.recordedAt],
          );
          // Adoptions are not a change to the item's content: updated_at stays; the stream's revision moves on.
          await ctx.query(
            `UPDATE ${items} SET adoption_count = adoption_count + 1, revision = $2 WHERE id = $1`,
            [d.itemId, revision],
          );
          await ctx.query(
            `UPDATE ${counts} SET adoptions = adoptions + 1 WHERE area_code = (SELECT area_code FROM ${items} WHERE id = $1)`,
            [d.itemId],
          );
          break;
        }
      }
    }
  }
}
