import { ident } from './sql.js';

/** Column names and their SQL types. */
export type ColumnTypes = readonly (readonly [column: string, sqlType: string])[];

/** A row, by column name. */
export type Row = Record<string, unknown>;

/**
 * Rows to send as a set: one text array per column (parameters `$first`...), and the SELECT that turns them back
 * into typed rows (`unnest` of the arrays, each element cast to its column's type). PostgreSQL reads a text
 * array element by element with each type's own input function, about twice as fast as a JSON record set of the
 * same rows (which it parses into a document first).
 */
export function recordSet(
  columns: ColumnTypes,
  rows: readonly Row[],
  first: number,
  /** Further columns whose values are already text, one per row (in the rows' order). */
  given: readonly (readonly [column: string, sqlType: string, values: readonly (string | null)[]])[] = [],
): { select: string; params: (readonly (string | null)[])[] } {
  const params: (readonly (string | null)[])[] = columns.map(([c, type]) => {
    const values = new Array<string | null>(rows.length);
    for (let i = 0; i < rows.length; i++) values[i] = asText(rows[i][c], type);
    return values;
  });
  for (const [, , values] of given) params.push(values);
  const all: ColumnTypes = [...columns, ...given.map(([c, type]) => [c, type] as const)];
  const aliases = all.map((_, i) => `c${i}`);
  return {
    select: `SELECT ${all.map(([c, type], i) => `x.${aliases[i]}::${type} AS ${ident(c)}`).join(', ')}
               FROM unnest(${all.map((_, i) => `$${first + i}::text[]`).join(', ')}) AS x(${aliases.join(', ')})`,
    params,
  };
}

/** A value as the text its column's type reads (null stays null). */
export function asText(value: unknown, type: string): string | null {
  if (value === null || value === undefined) return null;
  if (type === 'jsonb' || type === 'json') return JSON.stringify(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return arrayLiteral(value);
  if (typeof value === 'object') throw new Error(`A ${type} column was given an object`);
  return String(value);
}

/** A one-dimensional SQL array literal: every element quoted, `"` and `\` escaped, NULL for null. */
function arrayLiteral(values: readonly unknown[]): string {
  return `{${values
    .map((v) =>
      v === null || v === undefined
        ? 'NULL'
        : `"${(v instanceof Date ? v.toISOString() : String(v)).replace(/[\\"]/g, '\\$&')}"`,
    )
    .join(',')}}`;
}

/**
 * One line of COPY's text format: each value (already as its column's text, null for NULL) with backslash,
 * newline, carriage return and tab escaped, separated by tabs, ended by a newline.
 */
export function copyLine(values: readonly (string | null)[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i > 0) line += '\t';
    line += v === null ? '\\N' : /[\\\n\r\t]/.test(v) ? v.replace(/[\\\n\r\t]/g, escapeForCopy) : v;
  }
  return line + '\n';
}

const COPY_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};
const escapeForCopy = (c: string): string => COPY_ESCAPES[c];
