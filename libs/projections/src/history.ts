import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { ProjectionContext } from './projection.js';
import { ident } from './sql.js';

/** Column names and their SQL types. */
export type ColumnTypes = readonly (readonly [column: string, sqlType: string])[];

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
const liveSource = (spec: VersionedTableSpec, column: string): string =>
  spec.overwritten?.includes(column) ? versionColumn(column) : column;

/** The live table's columns that hold a version's values, in the spec's order (named as the spec names them). */
export function liveVersionColumns(spec: VersionedTableSpec, alias: string): string[] {
  return spec.columns.map(([c]) => `${alias}.${ident(liveSource(spec, c))} AS ${ident(c)}`);
}

type Row = Record<string, unknown>;

/**
 * The rows of one versioned table that a batch touches, folded in memory in log order: `load` reads the ones
 * that exist, `get`/`put` read and change them (each `put` is a version, from the event's instant), and
 * `flush` writes, in one statement, the live rows as the batch leaves them (each with the instant its version
 * began), and to the history the versions that were current before the batch (now closed) and those the batch
 * made and closed again. Versions within one millisecond collapse to the last (an instant in an `asOf` query is
 * a millisecond), and a version that lasted no time is not kept.
 */
export class VersionedRows<R extends Row = Row> {
  private readonly current = new Map<string, R>();
  /** Keys looked up in the table, and those of them it held. */
  private readonly looked = new Set<string>();
  private readonly found = new Set<string>();
  private readonly versions = new Map<string, { at: number; row: R }[]>();
  /** The key's columns with their types. */
  private readonly keyTypes: ColumnTypes;

  constructor(readonly spec: VersionedTableSpec) {
    const types = new Map(spec.columns);
    this.keyTypes = spec.key.map((k) => {
      const type = types.get(k);
      if (!type) throw new Error(`Key column ${k} has no type`);
      return [k, type] as const;
    });
  }

  keyOf(row: Partial<R>): string {
    return JSON.stringify(this.spec.key.map((k) => String(row[k])));
  }

  /** Reads the rows with these keys that the table holds (keys already known are not read again). */
  async load(ctx: ProjectionContext, keys: readonly Partial<R>[]): Promise<void> {
    const wanted = new Map<string, Partial<R>>();
    for (const k of keys) {
      const id = this.keyOf(k);
      if (!this.looked.has(id) && !this.current.has(id)) wanted.set(id, k);
    }
    if (wanted.size === 0) return;
    const key = this.spec.key;
    const selected = this.spec.columns.map(
      ([c, t]) => `t.${ident(liveSource(this.spec, c))}${t === 'date' ? '::text' : ''} AS ${ident(c)}`,
    );
    const wantedKeys = recordSet(this.keyTypes, [...wanted.values()], 1);
    const rows = await ctx.query<R>(
      `SELECT ${selected.join(', ')} FROM ${ctx.table(this.spec.table)} AS t
         JOIN (${wantedKeys.select}) AS k ON ${key.map((c) => `t.${ident(c)} = k.${ident(c)}`).join(' AND ')}`,
      wantedKeys.params,
    );
    for (const id of wanted.keys()) this.looked.add(id);
    for (const r of rows) {
      const id = this.keyOf(r);
      this.current.set(id, r);
      this.found.add(id);
    }
  }

  /** The row as the batch has left it so far (after `load`, or a `put` in this batch). */
  get(key: Partial<R>): R | undefined {
    return this.current.get(this.keyOf(key));
  }

  /**
   * The row from `at` on (a new version; the object must not be changed afterwards). `isNew`: the projection
   * knows the table does not hold it yet (saves looking for a version to close).
   */
  put(row: R, at: Date, isNew = false): void {
    const id = this.keyOf(row);
    if (isNew && !this.versions.has(id)) this.looked.add(id);
    this.current.set(id, row);
    const list = this.versions.get(id);
    const ms = at.getTime();
    if (!list) this.versions.set(id, [{ at: ms, row }]);
    else {
      const last = list[list.length - 1];
      // Instants only move forward for a row (an event recorded a moment earlier by another writer is later
      // in the log): a version never starts before the one it follows.
      if (ms <= last.at) last.row = row;
      else list.push({ at: ms, row });
    }
  }

  async flush(ctx: ProjectionContext): Promise<void> {
    if (this.versions.size === 0) return;
    const { key, columns } = this.spec;
    const overwritten = this.spec.overwritten ?? [];
    const names = columns.map(([c]) => ident(c));
    const history = ctx.table(historyTable(this.spec.table));
    const live = ctx.table(this.spec.table);
    // The rows that may have a current version to close (by their first version in the batch), and when it closes.
    const opens: R[] = [];
    const closeAt: string[] = [];
    // Each version's row as it was put, and its bounds beside (not copies of the rows with the bounds added).
    const rows: R[] = [];
    const fromAt: string[] = [];
    const toAt: string[] = [];
    for (const [id, list] of this.versions) {
      const first = list[0].row;
      // A key looked up and not found has no version to close; one never looked up may have.
      const isNew = this.looked.has(id) && !this.found.has(id);
      if (!isNew) {
        opens.push(first);
        closeAt.push(new Date(list[0].at).toISOString());
      }
      for (let i = 0; i < list.length; i++) {
        rows.push(list[i].row);
        fromAt.push(new Date(list[i].at).toISOString());
        toAt.push(i + 1 < list.length ? new Date(list[i + 1].at).toISOString() : 'infinity');
      }
    }
    const versions = recordSet(columns, rows, 1, [
      ['from_at', 'timestamptz', fromAt],
      ['to_at', 'timestamptz', toAt],
    ]);
    const open = recordSet(this.keyTypes, opens, versions.params.length + 1, [
      ['at', 'timestamptz', closeAt],
    ]);
    const on = (a: string, b: string) => key.map((k) => `${a}.${ident(k)} = ${b}.${ident(k)}`).join(' AND ');
    // The live columns written: the spec's, the version's own values of the overwritten ones, the computed ones,
    // the version's start.
    const computed = Object.entries(this.spec.computed ?? {});
    const written = [
      ...names,
      ...overwritten.map((c) => ident(versionColumn(c))),
      ...computed.map(([c]) => ident(c)),
      'valid_from',
    ];
    const values = [...names, ...overwritten.map(ident), ...computed.map(([, sql]) => sql), 'valid_from'];
    const keyNames = new Set(key.map(ident));
    const updated = written.filter((c) => !keyNames.has(c));
    // One statement (one round trip). The live row current before the batch (as the statement's snapshot shows
    // it) goes to the history, closed where the batch's first version begins, unless it began at that very
    // millisecond (an earlier batch's), when it is superseded outright, as within one batch; the batch's versions
    // that it closed itself go to the history too, and its last of each row to the live table. A row's versions
    // never start before its current one (an event recorded a moment earlier by a racing writer, or by a client
    // whose clock is behind, lands in the log later): they are moved up to its start, so versions never overlap,
    // and one left lasting no time is not kept. A live row that no version wrote (valid_from null: one that
    // other SQL inserted) has no version to close.
    await ctx.query(
      `WITH o AS MATERIALIZED (
         SELECT ${liveVersionColumns(this.spec, 't').join(', ')}, t.valid_from,
                GREATEST(k.at, t.valid_from) AS valid_to
           FROM (${open.select}) AS k JOIN ${live} AS t ON ${on('t', 'k')}),
       v AS MATERIALIZED (
         SELECT r.*, GREATEST(r.from_at, o.valid_from) AS valid_from, GREATEST(r.to_at, o.valid_from) AS valid_to
           FROM (${versions.select}) AS r LEFT JOIN o ON ${on('o', 'r')}),
       closed AS (INSERT INTO ${history} (${names.join(', ')}, valid_from, valid_to)
                  SELECT ${names.join(', ')}, valid_from, valid_to FROM o WHERE valid_from < valid_to
                  UNION ALL
                  SELECT ${names.join(', ')}, valid_from, valid_to FROM v
                   WHERE valid_to <> 'infinity' AND valid_from < valid_to)
       INSERT INTO ${live} AS t (${written.join(', ')})
       SELECT ${values.join(', ')} FROM v WHERE valid_to = 'infinity'
       ON CONFLICT (${key.map(ident).join(', ')}) DO UPDATE SET ${updated.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}`,
      [...versions.params, ...open.params],
    );
    this.versions.clear();
  }
}

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
function asText(value: unknown, type: string): string | null {
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
 * Creates `<table>_history` for a versioned table (in a migration). The live table gets its versions' columns
 * from `addVersionColumns`.
 */
export async function createHistoryTable(q: QueryRunner, spec: VersionedTableSpec): Promise<void> {
  const h = ident(historyTable(spec.table));
  const key = spec.key.map(ident).join(', ');
  await q.query(`CREATE TABLE ${h} (
    ${spec.columns.map(([c, t]) => `${ident(c)} ${t}`).join(',\n    ')},
    valid_from timestamptz NOT NULL,
    valid_to timestamptz NOT NULL DEFAULT 'infinity'
  )`);
  if (spec.historyKeyIndex !== false)
    await q.query(`CREATE INDEX ${ident(`${spec.table}_history_key`)} ON ${h} (${key}, valid_to)`);
  if (spec.scope) {
    await q.query('CREATE EXTENSION IF NOT EXISTS btree_gist');
    await q.query(
      `CREATE INDEX ${ident(`${spec.table}_history_scope`)} ON ${h}
         USING gist (${spec.scope.map(ident).join(', ')}, tstzrange(valid_from, valid_to))`,
    );
  }
  for (const [i, columns] of (spec.historyIndexes ?? []).entries())
    await q.query(`CREATE INDEX ${ident(`${spec.table}_history_${i + 1}`)} ON ${h} ${columns}`);
}

/** Adds to a versioned table's live table the columns of its current version: `valid_from`, `version_<column>`. */
export async function addVersionColumns(q: QueryRunner, spec: VersionedTableSpec): Promise<void> {
  const types = new Map(spec.columns);
  await q.query(
    `ALTER TABLE ${ident(spec.table)} ${[
      'ADD COLUMN IF NOT EXISTS valid_from timestamptz',
      ...(spec.overwritten ?? []).map(
        (c) => `ADD COLUMN IF NOT EXISTS ${ident(versionColumn(c))} ${types.get(c)}`,
      ),
    ].join(', ')}`,
  );
}

/**
 * A migration from histories that held every version, the current ones included (`valid_to` 'infinity'), to
 * live tables that hold the current version (with `valid_from`) and histories that hold the closed ones: the
 * current versions move, nothing is projected again.
 */
export function currentVersionsMigration(
  name: string,
  specs: readonly VersionedTableSpec[],
  /** Changes to make first (e.g. a live table that a history had none of). */
  before?: (q: QueryRunner) => Promise<void>,
  /** Changes to make last (e.g. an index of the new columns). */
  after?: (q: QueryRunner) => Promise<void>,
): new () => MigrationInterface {
  return class implements MigrationInterface {
    name = name;
    async up(q: QueryRunner): Promise<void> {
      await before?.(q);
      for (const spec of specs) {
        await addVersionColumns(q, spec);
        const h = ident(historyTable(spec.table));
        const on = spec.key.map((k) => `t.${ident(k)} = h.${ident(k)}`).join(' AND ');
        const set = [
          'valid_from = h.valid_from',
          ...(spec.overwritten ?? []).map((c) => `${ident(versionColumn(c))} = h.${ident(c)}`),
        ];
        await q.query(
          `UPDATE ${ident(spec.table)} AS t SET ${set.join(', ')} FROM ${h} AS h WHERE ${on} AND h.valid_to = 'infinity'`,
        );
        await q.query(`DELETE FROM ${h} WHERE valid_to = 'infinity'`);
        await q.query(`DROP INDEX IF EXISTS ${ident(`${spec.table}_history_current`)}`);
        if (spec.historyKeyIndex === false)
          await q.query(`DROP INDEX IF EXISTS ${ident(`${spec.table}_history_key`)}`);
      }
      await after?.(q);
    }
    async down(): Promise<void> {
      throw new Error(`${name} cannot be undone`);
    }
  };
}

/** A migration that adds history tables (and empties the projections' read models, to be projected anew). */
export function historyMigration(
  name: string,
  specs: readonly VersionedTableSpec[],
  projections: readonly { name: string; tables: readonly string[] }[],
  /** Further changes to the emptied tables (e.g. a column the history needs). */
  alsoUp?: (q: QueryRunner) => Promise<void>,
): new () => MigrationInterface {
  return class implements MigrationInterface {
    name = name;
    async up(q: QueryRunner): Promise<void> {
      for (const s of specs) await createHistoryTable(q, s);
      // Existing rows have no history: the projections start again from the first event.
      const tables = projections.flatMap((p) => p.tables).filter((t) => !t.endsWith('_history'));
      if (tables.length > 0) await q.query(`TRUNCATE ${tables.map(ident).join(', ')}`);
      await q.query('DELETE FROM projection_checkpoints WHERE name = ANY($1)', [
        projections.map((p) => p.name),
      ]);
      await alsoUp?.(q);
    }
    async down(q: QueryRunner): Promise<void> {
      for (const s of specs) await q.query(`DROP TABLE ${ident(historyTable(s.table))}`);
    }
  };
}
