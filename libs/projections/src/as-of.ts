import { DataSource, type DataSourceOptions, type QueryRunner } from 'typeorm';
import { historyTable, isVersionBookkeeping, liveVersionColumns } from './versioned-table.js';
import type { AsOfSql, Projection } from './projection.js';
import { ident } from './sql.js';

/** Something to run read queries on: the live pool, or an as-of snapshot's connection. */
export interface Queryable {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a drop-in for DataSource.query
  query<T = any>(sql: string, params?: unknown[]): Promise<T>;
}

export interface AsOfSnapshot extends Queryable {
  /** Returns the snapshot's connection to the pool. */
  release(): Promise<void>;
}

/** The session setting that holds the instant a snapshot answers for. */
const SETTING = 'iap.as_of';

/**
 * "As it stood then", as a query: on connections of a small pool of their own, every read-model table that a
 * projection can answer for at an instant (`Projection.asOf`) is shadowed by a temporary view of the same name
 * and columns, which reads the table's history (or derives from other such views) at the instant held in a
 * session setting. So every read query run through a snapshot answers from the past, by the very SQL that
 * answers the present, at the cost of a query: nothing is replayed and nothing is written.
 *
 * Each view reads a temporary SQL function (inlined by the planner, so the query's conditions reach the
 * history's indexes); a function's body names the tables it reads when it is planned, not when it is created,
 * so a rebuild that swaps fresh tables in leaves the views working. Views are created once per connection.
 */
export class AsOfViews {
  private pool: DataSource | null = null;
  private starting: Promise<DataSource> | null = null;
  private readonly prepared = new WeakSet<object>();

  constructor(
    private readonly live: DataSource,
    private readonly projections: readonly Projection[],
    private readonly maxConnections = 4,
  ) {}

  /** The tables that snapshots answer for from their history (the others are read as they are now). */
  get tables(): string[] {
    return this.projections.flatMap((p) => Object.keys(p.asOf?.(sqlFor('public')) ?? {}));
  }

  /** A snapshot of the read models as they stood at `instant` (every event recorded up to it, inclusive). */
  async open(instant: Date): Promise<AsOfSnapshot> {
    if (Number.isNaN(instant.getTime())) throw new Error('asOf must be a valid instant');
    const pool = await this.connect();
    const runner: QueryRunner = pool.createQueryRunner();
    const connection = (await runner.connect()) as object;
    try {
      if (!this.prepared.has(connection)) {
        await this.prepare(runner);
        this.prepared.add(connection);
      }
      await runner.query(`SELECT set_config('${SETTING}', $1, false)`, [instant.toISOString()]);
      // One snapshot for the whole request (a batch committed between two of its statements is not seen by the
      // second either). Read-only, it takes no transaction id, so it holds back no subscriber of the log.
      await runner.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    } catch (err) {
      await this.discard(runner, connection);
      throw err;
    }
    let released = false;
    // One connection serves the whole request: resolvers' concurrent queries wait their turn on it.
    let queue: Promise<unknown> = Promise.resolve();
    return {
      query: <T>(sql: string, params?: unknown[]) => {
        if (released) return Promise.reject(new Error('the asOf snapshot has been released'));
        const next = queue.then(
          () => runner.query(sql, params) as Promise<T>,
          () => runner.query(sql, params) as Promise<T>,
        );
        queue = next.catch(() => undefined);
        return next;
      },
      release: async () => {
        if (released) return;
        released = true;
        await queue;
        try {
          await runner.query('ROLLBACK');
          await runner.release();
        } catch {
          await this.discard(runner, connection);
        }
      },
    };
  }

  async close(): Promise<void> {
    const pool = this.pool ?? (await this.starting?.catch(() => null));
    this.pool = null;
    this.starting = null;
    if (pool?.isInitialized) await pool.destroy();
  }

  /** Creates this connection's functions and views (in dependency order: derived views read other views). */
  private async prepare(runner: QueryRunner): Promise<void> {
    const [{ schema }] = await runner.query('SELECT current_schema() AS schema');
    const sql = sqlFor(schema);
    const statements: string[] = [];
    for (const p of this.projections) {
      for (const [table, select] of Object.entries(p.asOf?.(sql) ?? {})) {
        const all: { name: string; type: string }[] = await runner.query(
          `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type
             FROM pg_attribute a
            WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attnum`,
          [`${ident(schema)}.${ident(table)}`],
        );
        if (all.length === 0) throw new Error(`asOf: no live table ${table}`);
        // A versioned table's bookkeeping of its current version is not part of what it stood at.
        const names = new Set(all.map((c) => c.name));
        const columns = all.filter((c) => !isVersionBookkeeping(c.name, names));
        const fn = `pg_temp.${ident(`as_of_${table}`)}`;
        statements.push(
          `CREATE FUNCTION ${fn}() RETURNS TABLE (${columns.map((c) => `${ident(c.name)} ${c.type}`).join(', ')})
             LANGUAGE sql STABLE AS $as_of$
             SELECT ${columns.map((c) => `x.${ident(c.name)}::${c.type}`).join(', ')} FROM (${select}) AS x
           $as_of$`,
          `CREATE TEMP VIEW ${ident(table)} AS SELECT * FROM ${fn}()`,
        );
      }
    }
    await runner.query('BEGIN');
    try {
      // Bodies are checked when first planned: a derived view's function may name a view created after it.
      await runner.query('SET LOCAL check_function_bodies = off');
      for (const s of statements) await runner.query(s);
      await runner.query('COMMIT');
    } catch (err) {
      await runner.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }

  /** A connection whose state is in doubt: its temporary objects go, and it leaves the pool. */
  private async discard(runner: QueryRunner, connection: object): Promise<void> {
    this.prepared.delete(connection);
    await runner.query('ROLLBACK').catch(() => undefined);
    await runner.query('DISCARD TEMP').catch(() => undefined);
    await runner.release().catch(() => undefined);
  }

  private connect(): Promise<DataSource> {
    if (this.pool) return Promise.resolve(this.pool);
    this.starting ??= (async () => {
      const options = this.live.options as DataSourceOptions & { extra?: Record<string, unknown> };
      const pool = new DataSource({
        ...options,
        // A request waits at most 30 s for a snapshot connection (then fails), not forever.
        extra: {
          ...options.extra,
          max: this.maxConnections,
          idleTimeoutMillis: 10 * 60_000,
          connectionTimeoutMillis: 30_000,
        },
        migrationsRun: false,
        synchronize: false,
      } as DataSourceOptions);
      await pool.initialize();
      this.pool = pool;
      return pool;
    })();
    return this.starting;
  }
}

/** The names an `asOf` definition writes its SQL with, for tables in `schema`. */
export function sqlFor(schema: string): AsOfSql {
  const s = ident(schema);
  const at = `current_setting('${SETTING}')::timestamptz`;
  return {
    at,
    live: (table) => `${s}.${ident(table)}`,
    history: (table) => `${s}.${ident(historyTable(table))}`,
    view: (table) => `pg_temp.${ident(table)}`,
    // The versions valid at the instant: those closed since, from the history, and the live rows whose version
    // had begun by then (valid to 'infinity'). The condition stands outside the UNION ALL, which PostgreSQL
    // then flattens and pushes it into each side (where, for the live rows, `valid_to > instant` is decided
    // once): a side with a WHERE of its own is planned apart, unordered, so that a query asking for the first
    // rows in an index's order would sort every version valid then instead of merging the two sides' index
    // scans and stopping after a page. A history with a GiST index of (scope, validity) is read through it (the
    // range); the others through their btree indexes (the bounds). One form only: with both, the planner counts
    // the condition twice and misjudges how many rows it keeps. A live row that no version wrote (valid_from null)
    // was not there then: the bounds leave it out, the range (unbounded below) needs telling.
    current: (spec, alias = 'h') => {
      const columns = spec.columns.map(([c]) => `${alias}.${ident(c)}`);
      return `SELECT ${columns.join(', ')}, ${alias}.valid_from, ${alias}.valid_to
          FROM (SELECT ${columns.join(', ')}, ${alias}.valid_from, ${alias}.valid_to
                  FROM ${s}.${ident(historyTable(spec.table))} AS ${alias}
                UNION ALL
                SELECT ${liveVersionColumns(spec, alias).join(', ')}, ${alias}.valid_from,
                       'infinity'::timestamptz AS valid_to
                  FROM ${s}.${ident(spec.table)} AS ${alias}) AS ${alias}
         WHERE ${
           spec.scope
             ? `tstzrange(${alias}.valid_from, ${alias}.valid_to) @> ${at} AND ${alias}.valid_from IS NOT NULL`
             : `${alias}.valid_from <= ${at} AND ${alias}.valid_to > ${at}`
         }`;
    },
  };
}
