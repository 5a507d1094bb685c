import type { RecordedEvent } from '@iap/event-store';
import { DataSource, type DataSourceOptions, type QueryRunner } from 'typeorm';
import { ALL_EVENTS, type Projection } from './projection.js';
import { projectionContext } from './projection-runner.js';

/** Something to run read queries on: the live pool, or an as-of snapshot's connection. */
export interface Queryable {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a drop-in for DataSource.query
  query<T = any>(sql: string, params?: unknown[]): Promise<T>;
}

export interface AsOfSnapshot extends Queryable {
  /** Ends the snapshot's transaction (emptying its tables) and returns its connection to the pool. */
  release(): Promise<void>;
}

function ident(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Unsafe SQL identifier "${name}"`);
  return `"${name}"`;
}

/**
 * "As it stood then": replays the given events (already cut at the instant asked for) through the same
 * projections that build the live read models, into temporary copies of their tables on one connection.
 * Temporary tables shadow the live ones on that connection, so every read query run through the snapshot
 * answers from the past, by the very code that answers the present. Nothing is written to the live tables.
 *
 * The connections are a small pool of their own, never lent to live reads (on them the live tables are hidden).
 * Each keeps its temporary tables for its whole life, created on its first snapshot: a snapshot is one
 * transaction that fills them and is rolled back, which empties them again. So a snapshot costs its events,
 * not the creation of a dozen tables and their indexes.
 */
/**
 * Events a connection may replay (and roll back) before its temporary tables are truncated, and the size of one
 * replay after which they are truncated at once. (The truncation runs once the response has gone.)
 */
const REPLAYED_BEFORE_TRUNCATE = 20_000;
const BIG_REPLAY = 1_000;

export class AsOfSnapshots {
  private pool: DataSource | null = null;
  private starting: Promise<DataSource> | null = null;
  /**
   * Connections (pg clients) that hold the temporary tables, with how many events they have replayed since
   * their tables were last emptied for good: a rolled-back row still takes room, and nothing vacuums temporary
   * tables, so past a limit they are truncated.
   */
  private readonly prepared = new WeakMap<object, number>();

  constructor(
    private readonly live: DataSource,
    private readonly maxConnections = 4,
  ) {}

  /**
   * A snapshot of the given events (already cut at the instant asked for), in log order: an array, or pages of
   * them (so that a long history never sits in memory at once; projections do not depend on batch boundaries).
   */
  async create(
    projections: readonly Projection[],
    events: readonly RecordedEvent[] | AsyncIterable<readonly RecordedEvent[]>,
  ): Promise<AsOfSnapshot> {
    const pool = await this.connect();
    const runner: QueryRunner = pool.createQueryRunner();
    const connection = (await runner.connect()) as object;
    const tables = [...new Set(projections.flatMap((p) => p.tables))];
    let ok = false;
    let replayed = 0;
    try {
      if (!this.prepared.has(connection)) {
        const [{ schema }] = await runner.query('SELECT current_schema() AS schema');
        await runner.query(
          tables
            .map(
              (t) =>
                `CREATE TEMP TABLE IF NOT EXISTS ${ident(t)} (LIKE ${ident(schema)}.${ident(t)} INCLUDING ALL)`,
            )
            .join(';\n'),
        );
        this.prepared.set(connection, 0);
      }
      await runner.startTransaction();
      const pages: AsyncIterable<readonly RecordedEvent[]> | (readonly RecordedEvent[])[] = isPages(events)
        ? events
        : [events];
      for await (const page of pages) {
        replayed += page.length;
        for (const p of projections) {
          const types = new Set(p.eventTypes);
          const relevant = types.has(ALL_EVENTS) ? page : page.filter((e) => types.has(e.type));
          if (relevant.length === 0) continue;
          // Unqualified names resolve to the temporary tables first on this connection.
          const names = new Map(p.tables.map((t) => [t, ident(t)]));
          const ctx = projectionContext(runner.manager, names);
          await p.apply(relevant, ctx);
          await ctx.flush();
        }
      }
      ok = true;
    } finally {
      if (!ok) await this.discard(runner, connection);
    }
    let released = false;
    // One connection serves the whole request: resolvers' concurrent queries wait their turn on it.
    let queue: Promise<unknown> = Promise.resolve();
    return {
      query: <T>(sql: string, params?: unknown[]) => {
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
          await runner.rollbackTransaction();
          // After a big replay at once (its dead rows would slow the next small one), or many small ones.
          const total = (this.prepared.get(connection) ?? 0) + replayed;
          this.prepared.set(connection, total);
          if (replayed > BIG_REPLAY || total > REPLAYED_BEFORE_TRUNCATE) {
            await runner.query(`TRUNCATE ${tables.map(ident).join(', ')}`);
            this.prepared.set(connection, 0);
          }
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

  /** A connection whose state is in doubt: its temporary tables go, and it leaves the pool. */
  private async discard(runner: QueryRunner, connection: object): Promise<void> {
    this.prepared.delete(connection);
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    await runner.query('DISCARD TEMP').catch(() => undefined);
    await runner.release().catch(() => undefined);
  }

  private connect(): Promise<DataSource> {
    if (this.pool) return Promise.resolve(this.pool);
    this.starting ??= (async () => {
      const options = this.live.options as DataSourceOptions & { extra?: Record<string, unknown> };
      const pool = new DataSource({
        ...options,
        extra: { ...options.extra, max: this.maxConnections, idleTimeoutMillis: 10 * 60_000 },
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

function isPages(
  events: readonly RecordedEvent[] | AsyncIterable<readonly RecordedEvent[]>,
): events is AsyncIterable<readonly RecordedEvent[]> {
  return typeof (events as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';
}
