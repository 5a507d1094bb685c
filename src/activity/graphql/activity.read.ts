import type { Queryable } from '@iap/projections';
import { ALL_AREAS } from '../projections/activity.projection.js';
import type { ActivityType } from './activity.types.js';

/** The topic on which each new activity is published, once the projection has committed it. */
export const ACTIVITY_TOPIC = 'ACTIVITY_ADDED';

/** A row of `activity` as the feed's readers select it: an Activity and its position (c, p) for the cursor. */
export interface ActivityRow extends ActivityType {
  c: string;
  p: string;
}

const ACTIVITY_COLUMNS = `commit_position::text AS c, prepare_position::text AS p, event_id AS "eventId",
  event_type AS type, stream_id AS "streamId", area_code AS "areaCode", actor_subject AS "actorSubject",
  actor_name AS "actorName", actor_role AS "actorRole", correlation_id AS "correlationId", summary,
  recorded_at AS "recordedAt"`;

/** A position in the log: [commit, prepare, event id] (from `cursorOf`). */
export type LogPosition = readonly [string, string, string];

const NEWEST_FIRST = 'ORDER BY commit_position DESC, prepare_position DESC, event_id DESC';

/**
 * A page of the feed (of one area, or every area's), newest first: `limit` rows before `after`, and how many
 * entries the feed has in all (kept by the projection with the feed: one row read, however long the feed).
 */
export async function activityPage(
  db: Queryable,
  areaCode: string | null,
  after: LogPosition | null,
  limit: number,
): Promise<{ rows: ActivityRow[]; total: number }> {
  const params: unknown[] = [limit];
  const where: string[] = [];
  if (areaCode) {
    params.push(areaCode);
    where.push(`area_code = $${params.length}`);
  }
  if (after) {
    params.push(...after);
    where.push(
      `(commit_position, prepare_position, event_id) < ($${params.length - 2}::numeric, $${params.length - 1}::numeric, $${params.length}::uuid)`,
    );
  }
  const [rows, [count]] = await Promise.all([
    db.query<ActivityRow[]>(
      `SELECT ${ACTIVITY_COLUMNS}
         FROM activity ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ${NEWEST_FIRST} LIMIT $1`,
      params,
    ),
    db.query<{ entries: string }[]>(
      'SELECT entries::text AS entries FROM activity_counts WHERE area_code = $1',
      [areaCode ?? ALL_AREAS],
    ),
  ]);
  return { rows, total: Number(count?.entries ?? 0) };
}

/** A page of what one subject did from `from` (inclusive) to `to` (exclusive), newest first. */
export function actorActivityPage(
  db: Queryable,
  subject: string,
  from: Date,
  to: Date,
  after: LogPosition | null,
  limit: number,
): Promise<ActivityRow[]> {
  const params: unknown[] = [subject, from, to, limit];
  let keyset = '';
  if (after) {
    params.push(...after);
    keyset = 'AND (commit_position, prepare_position, event_id) < ($5::numeric, $6::numeric, $7::uuid)';
  }
  return db.query<ActivityRow[]>(
    `SELECT ${ACTIVITY_COLUMNS}
       FROM activity
      WHERE actor_subject = $1 AND recorded_at >= $2 AND recorded_at < $3 ${keyset}
      ${NEWEST_FIRST} LIMIT $4`,
    params,
  );
}

/** The feed's rows of these events, in log order (as the feed holds them: with the area and label learnt before). */
export function activitiesOfEvents(db: Queryable, eventIds: readonly string[]): Promise<ActivityRow[]> {
  return db.query<ActivityRow[]>(
    `SELECT ${ACTIVITY_COLUMNS} FROM activity WHERE event_id = ANY($1)
      ORDER BY commit_position, prepare_position, event_id`,
    [eventIds],
  );
}
