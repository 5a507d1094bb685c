import type { ProjectionContext } from './projection.js';
import { type ColumnTypes, type Row, asText, copyLine, recordSet } from './record-set.js';
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
 *
 * Kept (`VersionedRows.kept`, what a rebuild gives a projection through `ctx.rows`): the rows of a table that
 * was empty when the rebuild began, kept in memory across its pages. `load` reads nothing while every row is in
 * memory (a row it never saw does not exist), `flush` closes versions in memory and appends the closed ones to the
 * history with COPY, and the live rows are written once, with COPY, by `writeLive` at the end. So that memory
 * stays bounded, once more than `capacity` rows are in memory, the least recently changed are written out
 * (COPY, or an upsert for rows read back) and from then on `load` (and `flush`, for rows put without it and not
 * known new) reads back the rows not in memory. The tables end as the statements above would have left them,
 * page by page.
 */
export class VersionedRows<R extends Row = Row> {
  /** The rows put in this batch (kept: in this page), by key. */
  private readonly current = new Map<string, R>();
  /**
   * Kept: each row's live version in memory, from `at` on, as of the last flush (least recently changed first);
   * `seq` orders it against `overwrite`s, and `now` holds the overwritten values a row read back had.
   */
  private readonly live: Map<string, KeptRow<R>> | null;
  /** Kept: whether rows have been written out (so that a row not in memory may be in the table). */
  private writtenOut = false;
  /** Kept: the keys this batch put as new (`isNew`), which the table cannot hold. */
  private readonly fresh = new Set<string>();
  /** Kept: per overwritten column, its scope column and per value of it ('' for every row), the value set and when. */
  private readonly overrides = new Map<
    string,
    { scope: string | null; values: Map<string, { value: string; seq: number }> }
  >();
  private seq = 0;
  /** Keys looked up in the table, and those of them it held. */
  private readonly looked = new Set<string>();
  private readonly found = new Set<string>();
  private readonly versions = new Map<string, { at: number; row: R }[]>();
  /** The key's columns with their types. */
  private readonly keyTypes: ColumnTypes;

  constructor(
    readonly spec: VersionedTableSpec,
    kept = false,
    private readonly capacity = Infinity,
  ) {
    this.live = kept ? new Map() : null;
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

  /** Rows kept in memory across a rebuild's pages, at most `capacity` of them (see the class comment). */
  static kept<R extends Row = Row>(spec: VersionedTableSpec, capacity = Infinity): VersionedRows<R> {
    return new VersionedRows<R>(spec, true, capacity);
  }

  /** Reads the rows with these keys that the table holds (keys already known are not read again). */
  async load(ctx: ProjectionContext, keys: readonly Partial<R>[]): Promise<void> {
    const wanted = new Map<string, Partial<R>>();
    for (const k of keys) {
      const id = this.keyOf(k);
      if (
        this.live
          ? this.writtenOut && !this.live.has(id) && !this.fresh.has(id)
          : !this.looked.has(id) && !this.current.has(id)
      )
        wanted.set(id, k);
    }
    if (wanted.size === 0) return;
    const key = this.spec.key;
    const selected = this.spec.columns.map(
      ([c, t]) => `t.${ident(liveSource(this.spec, c))}${t === 'date' ? '::text' : ''} AS ${ident(c)}`,
    );
    // Kept: a row read back, with when its version began and the values overwritten on it.
    const overwritten = this.spec.overwritten ?? [];
    if (this.live)
      selected.push(
        't.valid_from AS "valid_from "',
        ...overwritten.map((c) => `t.${ident(c)}::text AS "${c} "`),
      );
    const wantedKeys = recordSet(this.keyTypes, [...wanted.values()], 1);
    const rows = await ctx.query<R>(
      `SELECT ${selected.join(', ')} FROM ${ctx.table(this.spec.table)} AS t
         JOIN (${wantedKeys.select}) AS k ON ${key.map((c) => `t.${ident(c)} = k.${ident(c)}`).join(' AND ')}`,
      wantedKeys.params,
    );
    if (this.live) {
      const seq = ++this.seq;
      for (const r of rows) {
        const id = this.keyOf(r);
        const at = (r['valid_from '] as Date).getTime();
        delete r['valid_from '];
        const now: Record<string, string> = {};
        for (const c of overwritten) {
          now[c] = r[`${c} `] as string;
          delete r[`${c} `];
        }
        this.live.set(id, { at, row: r, seq, now, inTable: true });
      }
      return;
    }
    for (const id of wanted.keys()) this.looked.add(id);
    for (const r of rows) {
      const id = this.keyOf(r);
      this.current.set(id, r);
      this.found.add(id);
    }
  }

  /** The row as the batch has left it so far (after `load`, or a `put` in this batch). */
  get(key: Partial<R>): R | undefined {
    const id = this.keyOf(key);
    return this.current.get(id) ?? this.live?.get(id)?.row;
  }

  /**
   * The row from `at` on (a new version; the object must not be changed afterwards). `isNew`: the projection
   * knows the table does not hold it yet (saves looking for a version to close).
   */
  put(row: R, at: Date, isNew = false): void {
    const id = this.keyOf(row);
    if (isNew && !this.versions.has(id)) {
      if (this.live) this.fresh.add(id);
      else this.looked.add(id);
    }
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
    if (this.live) return this.flushKept(ctx);
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

  /**
   * Sets `column` (one of the spec's `overwritten`) of every live row whose `scope` column has a value in
   * `values` to that value (no scope: every row to `values.get('')`), where it differs; the rows' versions keep
   * their own values. Call it after `flush`. Kept: remembered, and applied to the live rows by `writeLive`.
   */
  async overwrite(
    ctx: ProjectionContext,
    column: string,
    scope: string | null,
    values: ReadonlyMap<string, string>,
  ): Promise<void> {
    if (values.size === 0) return;
    if (!this.spec.overwritten?.includes(column))
      throw new Error(`${column} is not overwritten in ${this.spec.table}`);
    const type = this.spec.columns.find(([c]) => c === column)![1];
    if (this.live) {
      const seq = ++this.seq;
      let set = this.overrides.get(column);
      if (!set) this.overrides.set(column, (set = { scope, values: new Map() }));
      if (set.scope !== scope) throw new Error(`${column} of ${this.spec.table} overwritten by two scopes`);
      for (const [s, value] of values) set.values.set(scope === null ? '' : s, { value, seq });
      // The rows written out take it in the table too.
      if (!this.writtenOut) return;
    }
    const c = ident(column);
    if (scope === null) {
      await ctx.query(
        `UPDATE ${ctx.table(this.spec.table)} SET ${c} = $1::${type} WHERE ${c} IS DISTINCT FROM $1::${type}`,
        [values.get('')],
      );
      return;
    }
    const s = ident(scope);
    const keys = [...values.keys()];
    await ctx.query(
      `UPDATE ${ctx.table(this.spec.table)} AS t SET ${c} = r.v
         FROM unnest($1::text[], $2::${type}[]) AS r(s, v)
        WHERE t.${s} = r.s AND t.${c} IS DISTINCT FROM r.v`,
      [keys, keys.map((k) => values.get(k)!)],
    );
  }

  /**
   * Kept: the batch's versions close the live ones in memory (as the statement of `flush` closes them in the
   * table), the closed versions go to the history with COPY, and the last of each row becomes its live one.
   */
  private async flushKept(ctx: ProjectionContext): Promise<void> {
    const live = this.live!;
    // Rows written out, changed without being read back: read back now, so that their versions close.
    if (this.writtenOut)
      await this.load(
        ctx,
        [...this.versions.values()].map((list) => list[0].row),
      );
    const seq = ++this.seq;
    const columns = this.spec.columns;
    const closed: string[] = [];
    const close = (row: R, from: number, to: number) => {
      if (from < to) closed.push(copyLine([...this.values(row), iso(from), iso(to)]));
    };
    for (const [id, list] of this.versions) {
      const open = live.get(id);
      const floor = open ? open.at : -Infinity;
      if (open) {
        close(open.row, open.at, Math.max(list[0].at, open.at));
        live.delete(id); // set again below: the most recently changed go last
      }
      const inTable = open?.inTable ?? false;
      for (let i = 0; i < list.length; i++) {
        const from = Math.max(list[i].at, floor);
        if (i + 1 < list.length) close(list[i].row, from, Math.max(list[i + 1].at, floor));
        else live.set(id, { at: from, row: list[i].row, seq, now: null, inTable });
      }
    }
    this.versions.clear();
    this.current.clear();
    this.fresh.clear();
    if (closed.length > 0)
      await ctx.copy(
        ctx.table(historyTable(this.spec.table)),
        [...columns.map(([c]) => ident(c)), 'valid_from', 'valid_to'],
        closed,
      );
    if (live.size > this.capacity) {
      // The least recently changed rows, down to three quarters of the capacity, are written out.
      const out: string[] = [];
      for (const id of live.keys()) {
        if (live.size - out.length <= Math.floor(this.capacity * 0.75)) break;
        out.push(id);
      }
      await this.writeOut(ctx, out);
    }
  }

  /**
   * Kept: writes every live row still in memory, with the values `overwrite` set, and forgets them. Once it has
   * run, the table is as the statements would have left it.
   */
  async writeLive(ctx: ProjectionContext): Promise<void> {
    if (!this.live) throw new Error('writeLive is for rows kept across a rebuild');
    await this.writeOut(ctx, [...this.live.keys()]);
    this.writtenOut = false;
    this.overrides.clear();
  }

  /**
   * Kept: writes these rows to the live table, as they stand (each version's own values beside the values
   * overwritten since), and forgets them: COPY for rows not there yet, one upsert for those read back.
   */
  private async writeOut(ctx: ProjectionContext, ids: readonly string[]): Promise<void> {
    const live = this.live!;
    if (this.spec.computed && Object.keys(this.spec.computed).length > 0)
      throw new Error(
        `${this.spec.table} has computed columns, which COPY cannot write: keep its rows per batch`,
      );
    const spec = this.spec;
    const overwritten = (spec.overwritten ?? []).map((c) => ({
      column: c,
      at: spec.columns.findIndex(([name]) => name === c),
      set: this.overrides.get(c),
    }));
    const names = [
      ...spec.columns.map(([c]) => ident(c)),
      ...overwritten.map(({ column }) => ident(versionColumn(column))),
      'valid_from',
    ];
    /** A row's values as written: the overwritten columns as last set, their versions' own values beside. */
    const valuesOf = ({ at, row, seq, now }: KeptRow<R>): (string | null)[] => {
      const own = this.values(row);
      const line = [...own];
      for (const { column, at: i, set } of overwritten) {
        // The value last set for the row's scope, if set after the row's version was written (or read back).
        const last = set?.values.get(set.scope === null ? '' : String(row[set.scope]));
        if (last && last.seq > seq) line[i] = last.value;
        else if (now) line[i] = now[column];
      }
      for (const { at: i } of overwritten) line.push(own[i]);
      line.push(iso(at));
      return line;
    };
    const fresh: KeptRow<R>[] = [];
    const again: KeptRow<R>[] = [];
    for (const id of ids) {
      const kept = live.get(id)!;
      (kept.inTable ? again : fresh).push(kept);
      live.delete(id);
    }
    this.writtenOut = true;
    if (fresh.length > 0) {
      function* lines(): Generator<string> {
        for (const kept of fresh) yield copyLine(valuesOf(kept));
      }
      await ctx.copy(ctx.table(spec.table), names, lines());
    }
    if (again.length > 0) {
      const types: ColumnTypes = [
        ...spec.columns,
        ...overwritten.map(({ column, at }) => [versionColumn(column), spec.columns[at][1]] as const),
        ['valid_from', 'timestamptz'],
      ];
      const rows = again.map(valuesOf);
      const set = recordSet(
        [],
        [],
        1,
        types.map(([c, type], i) => [c, type, rows.map((r) => r[i])] as const),
      );
      const keyNames = new Set(spec.key.map(ident));
      await ctx.query(
        `INSERT INTO ${ctx.table(spec.table)} (${names.join(', ')}) ${set.select}
         ON CONFLICT (${spec.key.map(ident).join(', ')}) DO UPDATE SET ${names
           .filter((c) => !keyNames.has(c))
           .map((c) => `${c} = EXCLUDED.${c}`)
           .join(', ')}`,
        set.params,
      );
    }
  }

  /** The row's values as the text of their columns' types, in the spec's order. */
  private values(row: R): (string | null)[] {
    return this.spec.columns.map(([c, type]) => asText(row[c], type));
  }
}

/** A row kept in memory (see VersionedRows' `live`). */
interface KeptRow<R> {
  at: number;
  row: R;
  seq: number;
  now: Record<string, string> | null;
  /** Whether the live table holds the row (written out, then read back). */
  inTable: boolean;
}

const iso = (ms: number): string => new Date(ms).toISOString();
