import { BadUserInputError, UUID, decodeCursor, toConnection } from '@iap/common';
import type { ActivityRow } from './activity.read.js';
import type { ActivityConnection } from './activity.types.js';

/** The position after which a page of the log starts ([commit, prepare, event id]), from a well-formed cursor. */
export function cursorOf(after: string): [string, string, string] {
  const values = decodeCursor(after, 'after');
  const [c, p, id] = values;
  if (
    values.length !== 3 ||
    typeof c !== 'string' ||
    !/^\d{1,20}$/.test(c) ||
    typeof p !== 'string' ||
    !/^\d{1,20}$/.test(p) ||
    typeof id !== 'string' ||
    !UUID.test(id)
  )
    throw BadUserInputError.field('after', 'is not a cursor of this list');
  return [c, p, id];
}

/** A page of the feed as a connection: `limit` of the rows read (one more says there is a next page). */
export function activityConnection(
  rows: readonly ActivityRow[],
  limit: number,
  total?: number,
): ActivityConnection {
  return toConnection(
    rows,
    limit,
    (r) => [r.c, r.p, r.eventId],
    ({ c: _c, p: _p, ...rest }) => rest,
    total,
  );
}
