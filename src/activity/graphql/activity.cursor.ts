import { BadUserInputError, UUID, decodeCursor } from '@iap/common';

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
