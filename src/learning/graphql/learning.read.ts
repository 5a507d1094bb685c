import { Inject, Injectable } from '@nestjs/common';
import type { Queryable } from '@iap/projections';
import { BadUserInputError, UUID, byText, decodeCursor, parseInstant, requireAreaCode } from '@iap/common';
import { isIsoDate } from '../../shared/periods.js';
import { loadThemeCatalogue } from '../../themes/public-api.js';
import { type AreaNameRow, areaNames } from '../../areas/public-api.js';
import { EventStore, loadStream } from '@iap/event-store';
import { ReadDb, markReadsLog } from '../../shared/read-db.js';
import {
  LEARNING_TYPES,
  type LearningStatus,
  type LearningType,
  learningStream,
} from '../domain/learning.js';
import { learningItemAsOf } from '../domain/learning-view.js';
import { fromView } from './learning.written.js';
import type {
  LearningAdoptionType,
  LearningAdoptionsByPilotType,
  LearningAreaType,
  LearningItemType,
  LearningLibraryFilter,
} from './learning.types.js';

/** Columns of `learning_items` as the LearningItem type's fields. */
const ITEM_COLUMNS = `id, area_code AS "areaCode", type, title, summary, body, themes,
  action_ids AS "actionIds", indicator_codes AS "indicatorCodes", evidence AS "evidenceLinks", status,
  published_on::text AS "publishedOn", published_at AS "publishedAt", retracted_reason AS "retractedReason",
  adoption_count AS "adoptionCount", revision::int AS revision, created_at AS "createdAt",
  updated_at AS "updatedAt"`;

const ADOPTION_COLUMNS = `item_id AS "itemId", adopting_area_code AS "adoptingAreaCode", note,
  adopted_on::text AS "adoptedOn", adopted_at AS "adoptedAt"`;

/** A checked library filter: null means "any". */
export interface LibraryQuery {
  readonly text: string | null;
  readonly themes: readonly string[] | null;
  readonly types: readonly LearningType[] | null;
  readonly areaCode: string | null;
  readonly publishedFrom: string | null;
  readonly publishedTo: string | null;
}

/** Where a page starts: after the row with this (rank, publishedAt, id). */
export type LibraryCursor = readonly [rank: number, publishedAt: string, id: string];

export type LibraryRow = LearningItemType & { rank: number; total: number };

export interface FeedEntryRow extends LearningItemType {
  areaName: string | null;
}

/** The key a library row is ordered by: (rank, publishedAt, id). */
export const libraryKey = (r: LibraryRow): [number, string, string] => [
  Number(r.rank),
  r.publishedAt!.toISOString(),
  r.id,
];

export function libraryCursor(after: string | null | undefined): LibraryCursor | null {
  if (after == null) return null;
  const values = decodeCursor(after, 'after');
  const [rank, publishedAt, id] = values;
  if (
    values.length !== 3 ||
    typeof rank !== 'number' ||
    !Number.isFinite(rank) ||
    typeof publishedAt !== 'string' ||
    !parseInstant(publishedAt) ||
    typeof id !== 'string' ||
    !UUID.test(id)
  ) {
    throw BadUserInputError.field('after', 'is not a cursor of the learning library');
  }
  return [rank, publishedAt, id];
}

const MAX_SEARCH_TEXT = 500;

/** The library filter, checked: naming the offending field (`filter.<name>`); theme codes from the catalogue. */
export async function libraryQuery(
  store: EventStore,
  filter: LearningLibraryFilter | null,
): Promise<LibraryQuery> {
  const f = filter ?? {};
  const text = f.text?.trim() || null;
  if (text && text.length > MAX_SEARCH_TEXT) {
    throw BadUserInputError.field('filter.text', `must be at most ${MAX_SEARCH_TEXT} characters`);
  }
  let themes: string[] | null = null;
  if (f.themes && f.themes.length > 0) {
    const catalogue = await loadThemeCatalogue(store);
    for (const code of f.themes) {
      // Retired themes still find the items tagged with them.
      if (!catalogue.has(code))
        throw BadUserInputError.field('filter.themes', `"${code}" is not a theme in the catalogue`);
    }
    themes = [...new Set(f.themes)];
  }
  let types: LearningType[] | null = null;
  if (f.types && f.types.length > 0) {
    for (const t of f.types) {
      if (!(LEARNING_TYPES as readonly string[]).includes(t)) {
        throw BadUserInputError.field(
          'filter.types',
          `must be among ${LEARNING_TYPES.join(', ')}, got "${t}"`,
        );
      }
    }
    types = [...new Set(f.types)];
  }
  if (f.areaCode != null) requireAreaCode(f.areaCode, 'filter.areaCode');
  for (const field of ['publishedFrom', 'publishedTo'] as const) {
    const value = f[field];
    if (value != null && !isIsoDate(value)) {
      throw BadUserInputError.field(
        `filter.${field}`,
        `must be an ISO 8601 date (YYYY-MM-DD), got "${value}"`,
      );
    }
  }
  if (f.publishedFrom != null && f.publishedTo != null && f.publishedTo < f.publishedFrom) {
    throw BadUserInputError.field('filter.publishedTo', 'must not be before filter.publishedFrom');
  }
  return {
    text,
    themes,
    types,
    areaCode: f.areaCode ?? null,
    publishedFrom: f.publishedFrom ?? null,
    publishedTo: f.publishedTo ?? null,
  };
}

/** Ids of the learning items authored by these areas (any status): the streams behind their learning figures. */
export async function learningIdsOfAreas(
  db: Queryable,
  areaCodes: readonly string[],
): Promise<{ areaCode: string; id: string }[]> {
  return db.query(`SELECT area_code AS "areaCode", id FROM learning_items WHERE area_code = ANY($1)`, [
    areaCodes,
  ]);
}

/**
 * Per authoring area, for one financial year: its items published in the year (published on a day in it, and
 * published still) and the adoptions of its items made in the year, as the projection keeps them
 * (`learning_year_counts`: a row per area and year). `db`: live pool or as-of snapshot.
 */
export async function learningCountsByAreaInYear(
  db: Queryable,
  areaCodes: readonly string[],
  year: { name: string },
): Promise<{ areaCode: string; published: number; adoptions: number }[]> {
  return db.query(
    `SELECT area_code AS "areaCode", published, adoptions FROM learning_year_counts
      WHERE area_code = ANY($1) AND year = $2`,
    [areaCodes, year.name],
  );
}

/** The area that drafted an item (its first event), read from its stream; null if there is no such item. */
export async function draftingArea(store: EventStore, itemId: string): Promise<string | null> {
  const [drafted] = await store.readStream(learningStream(itemId), { maxCount: 1 }).catch(() => []);
  const area = (drafted?.data as { areaCode?: unknown } | undefined)?.areaCode;
  return typeof area === 'string' ? area : null;
}

/** Reads the learning read models (written only by the 'learning' projection). */
@Injectable()
export class LearningReadModel {
  constructor(
    @Inject(ReadDb) private readonly db: ReadDb,
    @Inject(EventStore) private readonly store: EventStore,
  ) {}

  async item(id: string): Promise<LearningItemType | null> {
    const [row] = await this.db.query(`SELECT ${ITEM_COLUMNS} FROM learning_items WHERE id = $1`, [id]);
    return row ?? null;
  }

  /** An item as it stood at `asOf`, from its events recorded up to then (null if it did not exist yet). */
  async itemAsOf(id: string, asOf: Date): Promise<LearningItemType | null> {
    markReadsLog();
    const view = learningItemAsOf(await loadStream(this.store, learningStream(id)), asOf);
    return view ? fromView(view) : null;
  }

  /**
   * Published items matching the filter: ranked by ts_rank_cd against websearch_to_tsquery('english', text)
   * when there is text (rank 0 for all otherwise), then newest first, then by id. Keyset pagination over
   * (rank, published_at, id), all descending, is stable however many pages are read. `limit + 1` rows come
   * back so the caller can tell whether there is a next page; `total` counts the matches across all pages.
   */
  async library(
    q: LibraryQuery,
    limit: number,
    after: LibraryCursor | null,
  ): Promise<{ rows: LibraryRow[]; total: number }> {
    const rows: LibraryRow[] = await this.db.query(
      `WITH query AS (SELECT CASE WHEN $1::text IS NULL THEN NULL ELSE websearch_to_tsquery('english', $1::text) END AS q),
       matches AS (
         SELECT ${ITEM_COLUMNS},
                CASE WHEN query.q IS NULL THEN 0::real ELSE ts_rank_cd(search, query.q) END AS rank
           FROM learning_items, query
          WHERE status = 'PUBLISHED'
            AND (query.q IS NULL OR search @@ query.q)
            AND ($2::text[] IS NULL OR themes && $2::text[])
            AND ($3::text[] IS NULL OR type = ANY($3::text[]))
            AND ($4::text IS NULL OR area_code = $4::text)
            AND ($5::date IS NULL OR published_on >= $5::date)
            AND ($6::date IS NULL OR published_on <= $6::date)
       )
       SELECT *, (SELECT count(*)::int FROM matches) AS total
         FROM matches
        WHERE $7::real IS NULL OR (rank, "publishedAt", id) < ($7::real, $8::timestamptz, $9::uuid)
        ORDER BY rank DESC, "publishedAt" DESC, id DESC
        LIMIT $10`,
      [
        q.text,
        q.themes,
        q.types,
        q.areaCode,
        q.publishedFrom,
        q.publishedTo,
        after?.[0] ?? null,
        after?.[1] ?? null,
        after?.[2] ?? null,
        limit + 1,
      ],
    );
    if (rows.length > 0 || after === null) return { rows, total: rows[0]?.total ?? 0 };
    // Past the last page: no row carries the count, so ask for it alone.
    const { total } = await this.library(q, 1, null);
    return { rows, total };
  }

  /** Adoptions of each item, oldest first, in the order of `itemIds` (a DataLoader batch). */
  async adoptions(itemIds: readonly string[]): Promise<LearningAdoptionType[]> {
    return this.db.query(
      `SELECT ${ADOPTION_COLUMNS} FROM learning_adoptions WHERE item_id = ANY($1::uuid[])
        ORDER BY item_id, adopted_at, adopting_area_code`,
      [itemIds],
    );
  }

  /** Items by id, in any order (a DataLoader batch). */
  async items(ids: readonly string[]): Promise<LearningItemType[]> {
    return this.db.query(`SELECT ${ITEM_COLUMNS} FROM learning_items WHERE id = ANY($1::uuid[])`, [ids]);
  }

  /** What a council has recorded adopting, newest first. */
  async adoptionsBy(areaCode: string): Promise<LearningAdoptionType[]> {
    return this.db.query(
      `SELECT ${ADOPTION_COLUMNS} FROM learning_adoptions WHERE adopting_area_code = $1
        ORDER BY adopted_at DESC, item_id`,
      [areaCode],
    );
  }

  /** The names of areas (from the areas context's read model), for the items' `areaName`. */
  areaNames(codes: readonly string[]): Promise<AreaNameRow[]> {
    return areaNames(this.db, codes);
  }

  /**
   * The areas with published learning and how many items each has published, by name (their code where the
   * area is not registered), then code.
   */
  async areasWithLearning(): Promise<LearningAreaType[]> {
    const counts = await this.db.query<{ code: string; published: number }[]>(
      `SELECT area_code AS code, count(*)::int AS published FROM learning_items
        WHERE status = 'PUBLISHED' GROUP BY area_code`,
    );
    const names = await this.namesOf(counts.map((c) => c.code));
    return counts
      .map((c) => ({ ...c, name: names.get(c.code) ?? c.code }))
      .sort((a, b) => byText(a.name, b.name) || byText(a.code, b.code));
  }

  private async namesOf(codes: readonly string[]): Promise<Map<string, string>> {
    return new Map((await areaNames(this.db, [...new Set(codes)])).map((a) => [a.code, a.name]));
  }

  /** Items of the given areas, optionally in one status: published ones by publication, newest first. */
  async itemsOfAreas(
    areaCodes: readonly string[],
    status: LearningStatus | null,
  ): Promise<LearningItemType[]> {
    return this.db.query(
      `SELECT ${ITEM_COLUMNS} FROM learning_items
        WHERE area_code = ANY($1::text[]) AND ($2::text IS NULL OR status = $2::text)
        ORDER BY area_code, COALESCE(published_at, updated_at) DESC, id DESC`,
      [areaCodes, status],
    );
  }

  /** Adoptions of each pilot's items, most adopted first. */
  adoptionsByPilot(): Promise<LearningAdoptionsByPilotType[]> {
    return this.db.query(
      `SELECT area_code AS "areaCode", adoptions FROM learning_adoption_counts_by_pilot ORDER BY adoptions DESC, area_code`,
    );
  }

  /**
   * The newest published items (optionally with a theme) for the Atom feed, with their area's name (read from the
   * areas context's read model), and when the feed last changed: the latest change to any item it shows or
   * has shown (a retraction removes an entry, and that is a change too).
   */
  async feed(
    theme: string | null,
    limit: number,
  ): Promise<{ entries: FeedEntryRow[]; updated: Date | null }> {
    const items: LearningItemType[] = await this.db.query(
      `SELECT ${ITEM_COLUMNS} FROM learning_items
        WHERE status = 'PUBLISHED' AND ($1::text IS NULL OR themes @> ARRAY[$1::text])
        ORDER BY published_at DESC, id DESC
        LIMIT $2`,
      [theme, limit],
    );
    const names = await this.namesOf(items.map((i) => i.areaCode));
    const entries: FeedEntryRow[] = items.map((i) => ({ ...i, areaName: names.get(i.areaCode) ?? null }));
    const [{ updated }] = await this.db.query(
      `SELECT max(updated_at) AS updated FROM learning_items
        WHERE published_at IS NOT NULL AND ($1::text IS NULL OR themes @> ARRAY[$1::text])`,
      [theme],
    );
    return { entries, updated: updated ?? null };
  }
}
