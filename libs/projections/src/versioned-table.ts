import { ident } from './sql.js';
import type { ColumnTypes } from './record-set.js';

/**
 * A read-model table whose every version is kept: the live table holds each row as it stands now, with the
 * instant its version began (`valid_from`), and `<table>_history` holds each version a row had before, valid
 * from the instant of the event that made it (inclusive) to the instant of the next one (exclusive). "As it
 * stood then" is then a query (the history's versions with `valid_from <= t AND valid_to > t`, and the live rows
 * with `valid_from <= t`), not a replay of the log. The projection writes the versions in the batch's
 * transaction, with the live rows, so a crash loses none and applies none twice.
 */
export interface VersionedTableSpec {
  /** The live table (as projections name it; `ctx.table` gives its physical name). */
  readonly table: string;
  /** The columns that identify a row. */
  readonly key: readonly string[];
  /**
   * Every column the projection keeps through this helper (keys included), with its SQL type. Other columns of
   * the live table (ones that a projection computes in SQL from other tables) are left alone by its writes.
   */
  readonly columns: ColumnTypes;
  /**
   * Columns of `columns` that SQL outside this helper also sets in the live table (every row of an area given
   * the area's latest revision, ...). The live table keeps the version's own value beside, in
   * `version_<column>`, and that is what the history keeps when the version closes.
   */
  readonly overwritten?: readonly string[];
  /**
   * The columns that most reads filter on (an area's code, ...): the history gets a GiST index of them with each
   * version's validity, so "the rows of this area at that instant" finds just those (needs btree_gist).
   */
  readonly scope?: readonly string[];
  /**
   * Columns of the live table that are computed in SQL from the version's columns (named as in `columns`) when
   * a live row is written, e.g. a text search vector: computed once per row written, and not versioned.
   */
  readonly computed?: Readonly<Record<string, string>>;
  /** Further btree indexes of the history, as SQL: `(columns) [INCLUDE (columns)]`. */
  readonly historyIndexes?: readonly string[];
  /**
   * False when the scope index serves reads by key as well (the scope begins the key and holds a handful of rows
   * at any instant): the history then has no btree index of (key, valid_to).
   */
  readonly historyKeyIndex?: boolean;
}

export const historyTable = (table: string): string => `${table}_history`;

/** The live table's column that keeps a version's own value of an `overwritten` column. */
export const versionColumn = (column: string): string => `version_${column}`;

/**
 * Whether a live table's column is the bookkeeping of its current version (`valid_from`, or `version_<column>`
 * beside a column of the table), given the names of all its columns.
 */
export function isVersionBookkeeping(column: string, columns: ReadonlySet<string>): boolean {
  return (
    column === 'valid_from' || (column.startsWith('version_') && columns.has(column.slice('version_'.length)))
  );
}

/** The live table's column that holds a version's value of the spec's `column`. */
export const liveSource = (spec: VersionedTableSpec, column: string): string =>
  spec.overwritten?.includes(column) ? versionColumn(column) : column;

/** The live table's columns that hold a version's values, in the spec's order (named as the spec names them). */
export function liveVersionColumns(spec: VersionedTableSpec, alias: string): string[] {
  return spec.columns.map(([c]) => `${alias}.${ident(liveSource(spec, c))} AS ${ident(c)}`);
}
