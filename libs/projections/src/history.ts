import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { ProjectionContext } from './projection.js';
import { ident } from './sql.js';

/** Column names and their SQL types. */
export type ColumnTypes = readonly (readonly [column: string, sqlType: string])[];

/**
 * A read-model table whose every version is kept: the live table holds each row as it stands now, and
 * `<table>_history` holds each version a row has had, valid from the instant of the event that made it
 * (inclusive) to the instant of the next one (exclusive; 'infinity' while it is current). "As it stood then"
 * is then a query (`valid_from <= t AND valid_to > t`), not a replay of the log. The projection writes the
 * versions in the batch's transaction, with the live rows, so a crash loses none and applies none twice.
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
   * The columns that most reads filter on (an area's code, ...): the history gets a GiST index of them with each
   * version's validity, so "the rows of this area at that instant" finds just those (needs btree_gist).
   */
  readonly scope?: readonly string[];
  /** Further btree indexes of the history, as SQL: `(columns) [INCLUDE (columns)]`. */
  readonly historyIndexes?: readonly string[];
  /** False for a history without a live table (a narrow projection of another table's rows, for reads at an instant). */
  readonly live?: boolean;
}

export const historyTable = (table: string): string => `${table}_history`;

type Row = Record<string, unknown>;

/**
 * The rows of one versioned table that a batch touches, folded in memory in log order: `load` reads the ones
 * that exist, `get`/`put` read and change them (each `put` is a version, from the event's instant), and
 * `flush` writes, in one statement, the live rows as the batch leaves them, the close of the versions that
 * were current before the batch, and every version the batch made. Versions within one millisecond collapse
 * to the last (an instant in an `asOf` query is a millisecond).
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
    if (this.spec.live === false) throw new Error(`${this.spec.table} has no live table to load from`);
    const key = this.spec.key;
    const selected = this.spec.columns.map(([c, t]) =>
      t === 'date' ? `t.${ident(c)}::text AS ${ident(c)}` : `t.${ident(c)}`,
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
    const names = columns.map(([c]) => ident(c));
    const history = ctx.table(historyTable(this.spec.table));
    const nonKey = columns.filter(([c]) => !key.includes(c)).map(([c]) => ident(c));
    const closes: Row[] = [];
    const rows: Row[] = [];
    for (const [id, list] of this.versions) {
      const first = list[0].row;
      // A key looked up and not found has no version to close; one never looked up may have.
      const isNew = this.looked.has(id) && !this.found.has(id);
      if (!isNew)
        closes.push({ ...Object.fromEntries(key.map((c) => [c, first[c]])), at: new Date(list[0].at) });
      list.forEach((v, i) =>
        rows.push({
          ...v.row,
          from_at: new Date(v.at),
          to_at: i + 1 < list.length ? new Date(list[i + 1].at) : 'infinity',
        }),
      );
    }
    const versions = recordSet([...columns, ['from_at', 'timestamptz'], ['to_at', 'timestamptz']], rows, 1);
    const current = recordSet([...this.keyTypes, ['at', 'timestamptz']], closes, versions.params.length + 1);
    const match = key.map((c) => `h.${ident(c)} = c.${ident(c)}`).join(' AND ');
    // One statement (one round trip): the versions the batch made go to the history, the last of each row to
    // the live table; the version current before the batch ends where the batch's first begins, and one that
    // began at that very millisecond (an earlier batch's) is superseded outright, as within one batch. A row's
    // versions never start before its current one (an event recorded a moment earlier by a racing writer, or by
    // a client whose clock is behind, lands in the log later): they are moved up to its start, so versions never
    // overlap. (The parts see the same snapshot and touch different rows, so their order does not matter.)
    await ctx.query(
      `WITH c0 AS (${current.select}),
       c AS MATERIALIZED (
         SELECT c0.*, h.valid_from AS floor, GREATEST(c0.at, h.valid_from) AS at_or_after
           FROM c0 LEFT JOIN ${history} AS h ON ${key.map((k) => `h.${ident(k)} = c0.${ident(k)}`).join(' AND ')}
                                              AND h.valid_to = 'infinity'),
       v AS MATERIALIZED (
         SELECT r.*, GREATEST(r.from_at, c.floor) AS valid_from, GREATEST(r.to_at, c.floor) AS valid_to
           FROM (${versions.select}) AS r
           LEFT JOIN c ON ${key.map((k) => `c.${ident(k)} = r.${ident(k)}`).join(' AND ')}),
       superseded AS (DELETE FROM ${history} AS h USING c
                       WHERE ${match} AND h.valid_to = 'infinity' AND h.valid_from >= c.at_or_after),
       closed AS (UPDATE ${history} AS h SET valid_to = c.at_or_after FROM c
                   WHERE ${match} AND h.valid_to = 'infinity' AND h.valid_from < c.at_or_after),
       versions AS (INSERT INTO ${history} (${names.join(', ')}, valid_from, valid_to)
                    SELECT ${names.join(', ')}, valid_from, valid_to FROM v)
       ${
         this.spec.live === false
           ? 'SELECT 1'
           : `INSERT INTO ${ctx.table(this.spec.table)} AS t (${names.join(', ')})
       SELECT ${names.join(', ')} FROM v WHERE valid_to = 'infinity'
       ON CONFLICT (${key.map(ident).join(', ')}) DO ${
         nonKey.length === 0
           ? 'NOTHING'
           : `UPDATE SET ${nonKey.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}`
       }`
       }`,
      [...versions.params, ...current.params],
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
): { select: string; params: (string | null)[][] } {
  const params = columns.map(([c, type]) => rows.map((r) => asText(r[c], type)));
  const aliases = columns.map((_, i) => `c${i}`);
  return {
    select: `SELECT ${columns.map(([c, type], i) => `x.${aliases[i]}::${type} AS ${ident(c)}`).join(', ')}
               FROM unnest(${columns.map((_, i) => `$${first + i}::text[]`).join(', ')}) AS x(${aliases.join(', ')})`,
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

/** Creates `<table>_history` for a versioned table (in a migration). */
export async function createHistoryTable(q: QueryRunner, spec: VersionedTableSpec): Promise<void> {
  const h = ident(historyTable(spec.table));
  const key = spec.key.map(ident).join(', ');
  await q.query(`CREATE TABLE ${h} (
    ${spec.columns.map(([c, t]) => `${ident(c)} ${t}`).join(',\n    ')},
    valid_from timestamptz NOT NULL,
    valid_to timestamptz NOT NULL DEFAULT 'infinity'
  )`);
  // The current version of each row, found at once when the next one closes it. (Not UNIQUE: the close and the
  // next version are written by one statement, whose parts run in no fixed order.)
  await q.query(
    `CREATE INDEX ${ident(`${spec.table}_history_current`)} ON ${h} (${key}) WHERE valid_to = 'infinity'`,
  );
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
