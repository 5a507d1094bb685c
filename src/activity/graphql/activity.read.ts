import { NotFoundError } from '@iap/common';
import { type EventStore, type RecordedEvent, StreamNotFoundError } from '@iap/event-store';
import type { Queryable } from '@iap/projections';
import { markReadsLog } from '../../shared/read-db.js';
import { ALL_AREAS } from '../projections/activity.projection.js';
import { type Names, loadNames, summarise } from '../projections/activity.summary.js';
import type { ActivityType, HistoryEntryType } from './activity.types.js';

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

/**
 * History entries of events in log order, their summaries naming actions and areas: by the names the events
 * themselves give as they go (an action planned or retitled), else as the activity read model knows them.
 */
export async function toHistoryEntries(
  db: Queryable,
  events: readonly RecordedEvent[],
): Promise<HistoryEntryType[]> {
  const names = await loadNames(db, events);
  return events.map((e) => {
    names.learn(e);
    return toHistoryEntry(e, names);
  });
}

function toHistoryEntry(e: RecordedEvent, names?: Names): HistoryEntryType {
  return {
    eventId: e.id,
    type: e.type,
    streamId: e.streamId,
    revision: Number(e.revision),
    recordedAt: e.recordedAt,
    actorSubject: e.metadata.actor?.subject ?? null,
    actorName: e.metadata.actor?.name ?? null,
    actorRole: e.metadata.actor?.role ?? null,
    correlationId: e.metadata.correlationId ?? null,
    commandId: typeof e.metadata.commandId === 'string' ? e.metadata.commandId : null,
    summary: summarise(e, { names }),
    data: e.data,
  };
}

/** Which events of one stream a history shows: from a revision, at most `limit`, recorded up to `asOf` (all: null). */
export interface HistoryQuery {
  stream: string;
  fromRevision: number;
  limit: number;
  asOf: Date | null;
}

/** The events of one stream, oldest first, as history entries (read from the log: strongly consistent). */
export async function streamHistory(
  store: EventStore,
  db: Queryable,
  q: HistoryQuery,
): Promise<HistoryEntryType[]> {
  let events: RecordedEvent[];
  markReadsLog();
  try {
    events = await store.readStream(q.stream, { fromRevision: BigInt(q.fromRevision), maxCount: q.limit });
  } catch (err) {
    if (err instanceof StreamNotFoundError) throw new NotFoundError(`No history for ${q.stream}`);
    throw err;
  }
  return toHistoryEntries(
    db,
    events.filter((e) => !q.asOf || e.recordedAt <= q.asOf),
  );
}
