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
import { LEARNING_EVENT_TYPES, type LearningEvent } from '../domain/learning.js';
import { financialYearOf, financialYearSql } from '../../shared/periods.js';

/** The projection's name: wait for it to read your own write, or listen to it for what was committed. */
export const LEARNING_PROJECTION = 'learning';

/**
 * An item's full-text search vector, English stemming: the title weighs most, then the summary, then the body
 * (`alias.` before each column, if given).
 */
const searchVector = (alias = ''): string =>
  `setweight(to_tsvector('english', ${alias}title), 'A') || setweight(to_tsvector('english', ${alias}summary), 'B') ||
   setweight(to_tsvector('english', ${alias}body), 'C')`;

/**
 * Of `learning_items`, every column an item's own events set keeps every version; its adoption count (and the
 * revision an adoption moves on) comes from `learning_adoptions`, whose rows never change once written.
 */
export const ITEMS_TABLE: VersionedTableSpec = {
  table: 'learning_items',
  key: ['id'],
  columns: [
    ['id', 'uuid'],
    ['area_code', 'text'],
    ['type', 'text'],
    ['title', 'text'],
    ['summary', 'text'],
    ['body', 'text'],
    ['themes', 'text[]'],
    ['action_ids', 'text[]'],
    ['indicator_codes', 'text[]'],
    ['evidence', 'jsonb'],
    ['status', 'text'],
    ['published_on', 'date'],
    ['published_at', 'timestamptz'],
    ['retracted_reason', 'text'],
    ['revision', 'bigint'],
    ['created_at', 'timestamptz'],
    ['updated_at', 'timestamptz'],
  ],
  // An adoption moves the item's revision on (see apply).
  overwritten: ['revision'],
  // Computed when a row is written (a generated column would be computed twice by each upsert of a row).
  computed: { search: searchVector() },
  scope: ['area_code'],
};

interface ItemRow extends Record<string, unknown> {
  id: string;
  area_code: string;
  status: string;
  published_on: string | null;
}

/** The financial year (`2019-20`) an item counts as published in: none unless it is published now. */
const publishedYear = (row: ItemRow | undefined): string | null =>
  row?.status === 'PUBLISHED' && row.published_on ? financialYearOf(row.published_on).name : null;

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
  readonly tables = [
    'learning_items',
    'learning_items_history',
    'learning_adoptions',
    'learning_adoption_counts_by_pilot',
    'learning_year_counts',
  ];
  readonly eventTypes = LEARNING_EVENT_TYPES;

  asOf(sql: AsOfSql): Record<string, string> {
    const adoptions = sql.view('learning_adoptions');
    return {
      learning_adoptions: `SELECT * FROM ${sql.live('learning_adoptions')} WHERE adopted_at <= ${sql.at}`,
      learning_items: `SELECT i.id, i.area_code, i.type, i.title, i.summary, i.body, i.themes, i.action_ids,
          i.indicator_codes, i.evidence, i.status, i.published_on, i.published_at, i.retracted_reason,
          COALESCE(a.n, 0) AS adoption_count, GREATEST(i.revision, a.revision) AS revision, i.created_at, i.updated_at,
          ${searchVector('i.')} AS search
        FROM (${sql.current(ITEMS_TABLE, 'h')}) AS i
        LEFT JOIN LATERAL (SELECT count(*)::int AS n, max(x.revision) AS revision FROM ${adoptions} AS x
                            WHERE x.item_id = i.id) AS a ON true`,
      learning_adoption_counts_by_pilot: `SELECT i.area_code, count(x.item_id)::int AS adoptions
        FROM (${sql.current(ITEMS_TABLE, 'h')}) AS i LEFT JOIN ${adoptions} AS x ON x.item_id = i.id
        GROUP BY i.area_code`,
      // Derived from the items and adoptions as they then stood, as the projection keeps it.
      learning_year_counts: `SELECT area_code, year, sum(published)::int AS published, sum(adoptions)::int AS adoptions
        FROM (SELECT i.area_code, ${financialYearSql('i.published_on')} AS year, 1 AS published, 0 AS adoptions
                FROM (${sql.current(ITEMS_TABLE, 'h')}) AS i WHERE i.status = 'PUBLISHED'
              UNION ALL
              SELECT i.area_code, ${financialYearSql('x.adopted_on')}, 0, 1
                FROM ${adoptions} AS x JOIN (${sql.current(ITEMS_TABLE, 'h')}) AS i ON i.id = x.item_id) AS c
        GROUP BY area_code, year`,
    };
  }

  async apply(events: readonly RecordedEvent[], ctx: ProjectionContext): Promise<void> {
    const typed = events as unknown as readonly (RecordedEvent & LearningEvent)[];
    const counts = ctx.table('learning_adoption_counts_by_pilot');
    const items = new VersionedRows<ItemRow>(ITEMS_TABLE);
    await items.load(
      ctx,
      typed.flatMap((e) =>
        e.type === 'LearningRevised' || e.type === 'LearningPublished' || e.type === 'LearningRetracted'
          ? [{ id: e.data.itemId }]
          : [],
      ),
    );
    const pilots = new Set<string>();
    // Adoptions, the bulk of the stream, are gathered and written as sets once the batch's items are in.
    const adoptions: Record<string, unknown>[] = [];
    const adoptedItems = new Map<string, { count: number; revision: string }>();
    /** Per area and financial year, how many more of its items are published in that year (JSON key). */
    const publishedMoves = new Map<string, number>();
    /** Each adoption's item and the financial year it was made in. */
    const adoptedIn: { itemId: string; year: string }[] = [];
    const put = (row: ItemRow, at: Date, isNew = false) => {
      const before = publishedYear(isNew ? undefined : items.get({ id: row.id }));
      const after = publishedYear(row);
      if (before !== after) {
        for (const [year, n] of [
          [before, -1],
          [after, +1],
        ] as const) {
          if (year === null) continue;
          const key = JSON.stringify([row.area_code, year]);
          publishedMoves.set(key, (publishedMoves.get(key) ?? 0) + n);
        }
      }
      items.put(row, at, isNew);
    };
    for (const e of typed) {
      const revision = e.revision.toString();
      const at = e.recordedAt;
      const item = () => {
        const row = items.get({ id: e.data.itemId });
        if (!row)
          throw new Error(`${e.type} for learning ${e.data.itemId}, which the read model does not hold`);
        return row;
      };
      switch (e.type) {
        case 'LearningDrafted': {
          const d = e.data;
          put(
            {
              id: d.itemId,
              area_code: d.areaCode,
              type: d.type,
              title: d.title,
              summary: d.summary,
              body: d.body,
              themes: d.themes,
              action_ids: d.actionIds,
              indicator_codes: d.indicatorCodes,
              evidence: d.evidenceLinks,
              status: 'DRAFT',
              published_on: null,
              published_at: null,
              retracted_reason: null,
              revision,
              created_at: at,
              updated_at: at,
            },
            at,
            true,
          );
          pilots.add(d.areaCode);
          break;
        }
        case 'LearningRevised': {
          const d = e.data;
          const row = item();
          put(
            {
              ...row,
              type: d.type ?? row.type,
              title: d.title ?? row.title,
              summary: d.summary ?? row.summary,
              body: d.body ?? row.body,
              themes: d.themes ?? row.themes,
              action_ids: d.actionIds ?? row.action_ids,
              indicator_codes: d.indicatorCodes ?? row.indicator_codes,
              evidence: d.evidenceLinks ?? row.evidence,
              status: row.status === 'RETRACTED' ? 'DRAFT' : row.status,
              retracted_reason: null,
              revision,
              updated_at: at,
            },
            at,
          );
          break;
        }
        case 'LearningPublished':
          put(
            {
              ...item(),
              status: 'PUBLISHED',
              published_on: e.data.on,
              published_at: at,
              retracted_reason: null,
              revision,
              updated_at: at,
            },
            at,
          );
          break;
        case 'LearningRetracted':
          put(
            { ...item(), status: 'RETRACTED', retracted_reason: e.data.reason, revision, updated_at: at },
            at,
          );
          break;
        case 'LearningAdopted': {
          const d = e.data;
          adoptions.push({
            item_id: d.itemId,
            adopting_area_code: d.adoptingAreaCode,
            note: d.note,
            adopted_on: d.on,
            adopted_at: at,
            revision,
          });
          // Adoptions are not a change to the item's content: updated_at stays; the stream's revision moves on.
          adoptedIn.push({ itemId: d.itemId, year: financialYearOf(d.on).name });
          const n = adoptedItems.get(d.itemId);
          adoptedItems.set(d.itemId, { count: (n?.count ?? 0) + 1, revision });
          break;
        }
      }
    }
    await items.flush(ctx);
    await writeYearCounts(ctx, publishedMoves, adoptedIn);
    if (pilots.size > 0)
      await ctx.query(
        `INSERT INTO ${counts} (area_code, adoptions) SELECT unnest($1::text[]), 0 ON CONFLICT (area_code) DO NOTHING`,
        [[...pilots]],
      );
    if (adoptions.length === 0) return;
    await ctx.query(
      `INSERT INTO ${ctx.table('learning_adoptions')} (item_id, adopting_area_code, note, adopted_on, adopted_at, revision)
       SELECT * FROM jsonb_to_recordset($1::jsonb)
         AS r(item_id uuid, adopting_area_code text, note text, adopted_on date, adopted_at timestamptz, revision bigint)`,
      [JSON.stringify(adoptions)],
    );
    const ids = [...adoptedItems.keys()];
    const tally = [
      ids,
      ids.map((id) => adoptedItems.get(id)!.count),
      ids.map((id) => adoptedItems.get(id)!.revision),
    ];
    // A stream's revisions only rise: the item keeps the later of its last adoption's and any other event's.
    const itemsTable = ctx.table('learning_items');
    await ctx.query(
      `UPDATE ${itemsTable} AS i SET adoption_count = i.adoption_count + a.n, revision = GREATEST(i.revision, a.revision)
         FROM unnest($1::uuid[], $2::int[], $3::bigint[]) AS a(id, n, revision)
        WHERE i.id = a.id`,
      tally,
    );
    await ctx.query(
      `UPDATE ${counts} AS c SET adoptions = c.adoptions + a.n
         FROM (SELECT i.area_code, sum(t.n)::int AS n
                 FROM unnest($1::uuid[], $2::int[]) AS t(id, n) JOIN ${itemsTable} AS i ON i.id = t.id
                GROUP BY i.area_code) AS a
        WHERE c.area_code = a.area_code`,
      tally.slice(0, 2),
    );
  }
}

/**
 * `learning_year_counts`: per area and financial year, its items published in the year (published on a day in
 * it, and published still) and the adoptions of its items made in it, moved by the batch's changes (an
 * adoption's area is its item's, read from the items the batch has written). A row whose counts fall to zero is
 * removed, so the table holds what counting the items and adoptions gives, whatever the batch boundaries.
 */
async function writeYearCounts(
  ctx: ProjectionContext,
  publishedMoves: ReadonlyMap<string, number>,
  adoptedIn: readonly { itemId: string; year: string }[],
): Promise<void> {
  const counts = ctx.table('learning_year_counts');
  const moves = [...publishedMoves]
    .filter(([, n]) => n !== 0)
    .map(([k, n]) => [...(JSON.parse(k) as string[]), n]);
  if (moves.length > 0)
    await ctx.query(
      `INSERT INTO ${counts} AS c (area_code, year, published, adoptions)
       SELECT area_code, year, n, 0 FROM unnest($1::text[], $2::text[], $3::int[]) AS m(area_code, year, n)
       ON CONFLICT (area_code, year) DO UPDATE SET published = c.published + EXCLUDED.published`,
      [moves.map((m) => m[0]), moves.map((m) => m[1]), moves.map((m) => m[2])],
    );
  if (adoptedIn.length > 0)
    await ctx.query(
      `INSERT INTO ${counts} AS c (area_code, year, published, adoptions)
       SELECT i.area_code, a.year, 0, count(*)::int
         FROM unnest($1::uuid[], $2::text[]) AS a(item_id, year) JOIN ${ctx.table('learning_items')} AS i ON i.id = a.item_id
        GROUP BY i.area_code, a.year
       ON CONFLICT (area_code, year) DO UPDATE SET adoptions = c.adoptions + EXCLUDED.adoptions`,
      [adoptedIn.map((a) => a.itemId), adoptedIn.map((a) => a.year)],
    );
  if (moves.some((m) => (m[2] as number) < 0))
    await ctx.query(
      `DELETE FROM ${counts} AS c USING unnest($1::text[], $2::text[]) AS m(area_code, year)
        WHERE c.area_code = m.area_code AND c.year = m.year AND c.published = 0 AND c.adoptions = 0`,
      [moves.map((m) => m[0]), moves.map((m) => m[1])],
    );
}
