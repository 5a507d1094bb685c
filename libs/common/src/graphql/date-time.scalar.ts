import { GraphQLScalarType, Kind, type ValueNode, print } from 'graphql';
import { ScalarInputError } from '../errors.js';

/**
 * An instant as ISO 8601 / RFC 3339 text: a calendar date, a time (seconds and fractions optional) and a zone
 * (`Z` or `±hh:mm`), e.g. `2019-12-03T09:54:33Z`. A date alone (`2019-12-03`) means its start in UTC.
 */
const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?([Zz]|[+-]\d{2}:?\d{2}))?$/;

const MESSAGE = 'must be an ISO 8601 date-time such as 2019-12-03T09:54:33Z';

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

function refuse(found: string): ScalarInputError {
  return new ScalarInputError(`DateTime ${MESSAGE}, got ${found}`);
}

function fromText(value: unknown, shown: () => string): Date {
  if (typeof value !== 'string' || value.length > 64) throw refuse(shown());
  const date = parseInstant(value);
  if (!date) throw refuse(shown());
  return date;
}

/**
 * The `DateTime` scalar of the whole schema (in place of @nestjs/graphql's GraphQLISODateTime, which turns any
 * text into an Invalid Date that fails later as an internal error): a malformed or impossible instant is refused
 * while the request is validated, as BAD_USER_INPUT naming the argument (see graphql-errors.ts).
 */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description:
    'An instant as ISO 8601 text with a zone, such as 2019-12-03T09:54:33Z (a date alone, 2019-12-03, is its start in UTC)',
  parseValue(value) {
    return fromText(value, () => JSON.stringify(value)?.slice(0, 80) ?? String(value));
  },
  parseLiteral(ast: ValueNode) {
    if (ast.kind !== Kind.STRING) throw refuse(print(ast).slice(0, 80));
    return fromText(ast.value, () => JSON.stringify(ast.value.slice(0, 80)));
  },
  serialize(value) {
    if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
    if (typeof value === 'string') {
      const date = parseInstant(value) ?? new Date(value);
      if (!Number.isNaN(date.getTime())) return date.toISOString();
    }
    return null as unknown as string; // as GraphQLISODateTime did: a non-null field then reports it
  },
});
