import { GraphQLScalarType, Kind, type ValueNode, print } from 'graphql';
import { ScalarInputError } from '../errors.js';
import { INSTANT_MESSAGE, parseInstant } from '../instant.js';

function refuse(found: string): ScalarInputError {
  return new ScalarInputError(`DateTime ${INSTANT_MESSAGE}, got ${found}`);
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
