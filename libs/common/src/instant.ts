/**
 * An instant as ISO 8601 / RFC 3339 text: a calendar date, a time (seconds and fractions optional) and a zone
 * (`Z` or `±hh:mm`), e.g. `2019-12-03T09:54:33Z`. A date alone (`2019-12-03`) means its start in UTC.
 */
const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?([Zz]|[+-]\d{2}:?\d{2}))?$/;

/** What an instant must look like, for the messages that refuse one. */
export const INSTANT_MESSAGE = 'must be an ISO 8601 date-time such as 2019-12-03T09:54:33Z';

/** The instant `text` names, or undefined when it is not a well-formed, real ISO 8601 date-time. */
export function parseInstant(text: string): Date | undefined {
  const m = INSTANT.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00'] = m;
  const hasTime = m[4] !== undefined;
  if (hasTime && m[8] === undefined) return undefined; // a time needs its zone: local time is ambiguous
  const month = Number(mo);
  const day = Number(d);
  const daysInMonth = new Date(Date.UTC(Number(y), month, 0)).getUTCDate();
  if (Number(y) < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth) return undefined;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  const date = new Date(hasTime ? text : `${text}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
