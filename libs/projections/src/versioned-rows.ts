import type { ProjectionContext } from './projection.js';
import { type ColumnTypes, type Row, recordSet } from './record-set.js';
import { ident } from './sql.js';
import {
  historyTable,
  liveSource,
  liveVersionColumns,
  versionColumn,
  type VersionedTableSpec,
} from './versioned-table.js';

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
