/** What other contexts (and the server's wiring) may use from the learning context. */
export { LEARNING_PROJECTION } from './projections/learning.projection.js';
export {
  LEARNING_EVENT_TYPES,
  type LearningEvent,
  type LearningEventType,
  learningStream,
} from './domain/learning.js';

/** Ids of the learning items authored by these areas (any status): the streams behind their learning figures. */
export async function learningIdsOfAreas(
  db: { query<T>(sql: string, params?: unknown[]): Promise<T> },
  areaCodes: readonly string[],
): Promise<{ areaCode: string; id: string }[]> {
  return db.query(`SELECT area_code AS "areaCode", id FROM learning_items WHERE area_code = ANY($1)`, [
    areaCodes,
  ]);
}

/** Published items and adoptions of them, per authoring area (`db`: live pool or as-of snapshot). */
export async function learningCountsByArea(
  db: { query<T>(sql: string, params?: unknown[]): Promise<T> },
  areaCodes: readonly string[],
): Promise<{ areaCode: string; published: number; adoptions: number }[]> {
  return db.query(
    `SELECT area_code AS "areaCode", count(*) FILTER (WHERE status = 'PUBLISHED')::int AS published,
            COALESCE(sum(adoption_count), 0)::int AS adoptions
       FROM learning_items WHERE area_code = ANY($1) GROUP BY area_code`,
    [areaCodes],
  );
}

/**
 * Per authoring area, for one financial year: its items published in the year (published on a day in it, and
 * published still) and the adoptions of its items made in the year, as the projection keeps them
 * (`learning_year_counts`: a row per area and year). `db`: live pool or as-of snapshot.
 */
export async function learningCountsByAreaInYear(
  db: { query<T>(sql: string, params?: unknown[]): Promise<T> },
  areaCodes: readonly string[],
  year: { name: string },
): Promise<{ areaCode: string; published: number; adoptions: number }[]> {
  return db.query(
    `SELECT area_code AS "areaCode", published, adoptions FROM learning_year_counts
      WHERE area_code = ANY($1) AND year = $2`,
    [areaCodes, year.name],
  );
}
export { LearningItemCommand, type LearningRequest } from './commands/learning.command.js';
