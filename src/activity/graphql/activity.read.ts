import type { ActivityType } from './activity.types.js';

/** The topic on which each new activity is published, once the projection has committed it. */
export const ACTIVITY_TOPIC = 'ACTIVITY_ADDED';

/** A row of `activity` as the feed's readers select it: an Activity and its position (c, p) for the cursor. */
export interface ActivityRow extends ActivityType {
  c: string;
  p: string;
}

export const ACTIVITY_COLUMNS = `commit_position::text AS c, prepare_position::text AS p, event_id AS "eventId",
  event_type AS type, stream_id AS "streamId", area_code AS "areaCode", actor_subject AS "actorSubject",
  actor_name AS "actorName", actor_role AS "actorRole", correlation_id AS "correlationId", summary,
  recorded_at AS "recordedAt"`;
