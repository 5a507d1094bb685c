import { createRequire } from 'node:module';
import pg from 'pg';
import type { EntityManager } from 'typeorm';
import { clientOf, copyRows } from './copy.js';
import type { ProjectionContext } from './projection.js';
import type { Row } from './record-set.js';
import { VersionedRows } from './versioned-rows.js';
import type { VersionedTableSpec } from './versioned-table.js';

/** pg's own conversion of a JS parameter to the text it sends (arrays, dates, JSON objects, numbers...). */
const { prepareValue } = createRequire(import.meta.url)('pg/lib/utils') as {
  prepareValue: (value: unknown) => unknown;
};

/** A write whose result nobody can need: INSERT/UPDATE/DELETE without RETURNING. */
const DEFERRABLE = /^\s*(INSERT|UPDATE|DELETE)\b/i;
const RETURNING = /\bRETURNING\b/i;

/**
 * Only writes with few, short parameters are deferred: a statement that writes a whole batch (many parameters,
 * or a JSON record set) saves nothing by waiting, and rewriting it into one string would cost more than the
 * round trip it saves.
 */
const MAX_DEFERRED_PARAMS = 32;
const MAX_DEFERRED_PARAM_CHARS = 2048;

function isSmall(params: readonly unknown[] | undefined): boolean {
  if (!params) return true;
  if (params.length > MAX_DEFERRED_PARAMS) return false;
  return params.every(
    (p) =>
      (typeof p !== 'string' || p.length <= MAX_DEFERRED_PARAM_CHARS) && !(Array.isArray(p) && p.length > 64),
  );
}

/** Deferred writes are sent once this many are waiting, or this much SQL text. */
const MAX_DEFERRED = 256;
const MAX_DEFERRED_CHARS = 1 << 20;

/**
 * The statement with its `$n` parameters replaced by SQL literals of exactly the text pg would send for them
 * (parameters go to PostgreSQL as untyped text, and an untyped literal is typed by its context the same way),
 * or null when the statement is not one we can rewrite with certainty (dollar-quoted or E'' strings, a
 * parameter that is not text once prepared, a placeholder without a parameter): such statements run as they are.
 */
export function inlineParameters(sql: string, params: readonly unknown[] | undefined): string | null {
  const values = params ?? [];
  const parts: string[] = [];
  const n = sql.length;
  // Jumps from one character that matters to the next, copying what lies between as one slice.
  const special = /['"$]|--|\/\*/g;
  let from = 0;
  for (;;) {
    special.lastIndex = from;
    const m = special.exec(sql);
    if (!m) break;
    const i = m.index;
    const token = m[0];
    if (token === "'" || token === '"') {
      // A quoted literal or identifier ('' and "" inside are two quotes in a row: the scan resumes after them).
      if (token === "'" && i > 0 && /[eE]/.test(sql[i - 1]) && (i < 2 || !/[\w$]/.test(sql[i - 2])))
        return null;
      const end = sql.indexOf(token, i + 1);
      if (end < 0) return null;
      parts.push(sql.slice(from, end + 1));
      from = end + 1;
      continue;
    }
    if (token === '--') {
      const end = sql.indexOf('\n', i);
      const stop = end < 0 ? n : end;
      parts.push(sql.slice(from, stop));
      from = stop;
      continue;
    }
    if (token === '/*') {
      const end = sql.indexOf('*/', i + 2);
      if (end < 0) return null;
      parts.push(sql.slice(from, end + 2));
      from = end + 2;
      continue;
    }
    // '$': a parameter placeholder, or a dollar-quoted string (which we do not rewrite).
    let j = i + 1;
    while (j < n && sql.charCodeAt(j) >= 48 && sql.charCodeAt(j) <= 57) j++;
    if (j === i + 1) return null;
    const index = Number(sql.slice(i + 1, j)) - 1;
    if (index < 0 || index >= values.length) return null;
    const prepared = prepareValue(values[index]);
    parts.push(sql.slice(from, i));
    if (prepared === null || prepared === undefined) parts.push('NULL');
    else if (typeof prepared === 'string') parts.push(pg.escapeLiteral(prepared));
    else return null; // e.g. a Buffer, which pg sends as binary
    from = j;
  }
  parts.push(sql.slice(from));
  return parts.join('');
}

/**
 * The context a projection writes through. Writes that return nothing (INSERT/UPDATE/DELETE without RETURNING)
 * are deferred and sent together, in order, in one round trip: before the next statement that reads, when
 * many are waiting, and when the batch ends (`flush`, called by the runner, the rebuild and the as-of replay
 * before they commit). Everything runs on the batch's transaction in the order the projection issued it, so a
 * read sees every earlier write; a failing write fails the batch, reported when the writes are sent. What it
 * saves is the round trip per write, which is most of a projection's time when it writes row by row.
 */
export class BatchingProjectionContext implements ProjectionContext {
  private deferred: string[] = [];
  private deferredChars = 0;

  /**
   * `kept`: during a rebuild's catch-up, the versioned rows it keeps across its pages, by table (those not yet
   * there are made kept, at most `keptRows` of them in memory per table, and added); otherwise each batch's rows
   * start empty.
   */
  constructor(
    readonly manager: EntityManager,
    private readonly tables: ReadonlyMap<string, string>,
    private readonly kept?: Map<string, VersionedRows>,
    private readonly keptRows = Infinity,
  ) {}

  rows<R extends Row = Row>(spec: VersionedTableSpec): VersionedRows<R> {
    if (!this.kept) return new VersionedRows<R>(spec);
    let rows = this.kept.get(spec.table);
    if (!rows) this.kept.set(spec.table, (rows = VersionedRows.kept(spec, this.keptRows)));
    return rows as unknown as VersionedRows<R>;
  }

  async copy(table: string, columns: readonly string[], lines: Iterable<string>): Promise<void> {
    await this.flush();
    await copyRows(await clientOf(this.manager), table, columns, lines);
  }

  async query<T = unknown>(sql: string, params?: unknown[]): Promise<T[]> {
    if (DEFERRABLE.test(sql) && !RETURNING.test(sql) && isSmall(params)) {
      const text = inlineParameters(sql, params);
      if (text !== null) {
        this.deferred.push(text);
        this.deferredChars += text.length;
        if (this.deferred.length >= MAX_DEFERRED || this.deferredChars >= MAX_DEFERRED_CHARS)
          await this.flush();
        return [];
      }
    }
    await this.flush();
    return this.manager.query(sql, params) as Promise<T[]>;
  }

  table(name: string): string {
    const physical = this.tables.get(name);
    if (!physical) throw new Error(`Table "${name}" is not declared by this projection`);
    return physical;
  }

  /** Sends the deferred writes (one simple-protocol query of `;`-separated statements). */
  async flush(): Promise<void> {
    if (this.deferred.length === 0) return;
    const text = this.deferred.join(';\n');
    this.deferred = [];
    this.deferredChars = 0;
    await this.manager.query(text);
  }
}
