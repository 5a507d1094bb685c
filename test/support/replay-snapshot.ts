import type { RecordedEvent } from '@iap/event-store';
import { DataSource, type DataSourceOptions, type QueryRunner } from 'typeorm';
import { ALL_EVENTS, type AsOfSnapshot, type Projection, projectionContext } from '@iap/projections';

const ident = (name: string) => `"${name}"`;

/**
 * The test oracle for "as it stood then" (and how the product answered it before history tables): replays the given events (already cut at the instant asked for) through the same
 * projections that build the live read models, into temporary copies of their tables on one connection.
 * Temporary tables shadow the live ones on that connection, so every read query run through the snapshot
 * answers from the past, by the very code that answers the present. Nothing is written to the live tables.
 *
 * The connections are a small pool of their own, never lent to live reads (on them the live tables are hidden).
 * Each keeps its temporary tables for its whole life, created on its first snapshot: a snapshot fills them and
 * empties them when its request ends. So a snapshot costs its events, not the creation of a dozen tables and
 * their indexes.
 */
export class ReplaySnapshots {
  private pool: DataSource | null = null;
  private starting: Promise<DataSource> | null = null;
  /** Connections (pg clients) that hold the (empty) temporary tables. */
  private readonly prepared = new WeakSet<object>();

  constructor(
    private readonly live: DataSource,
    private readonly maxConnections = 4,
  ) {}

  /**
   * A snapshot of the given events (already cut at the instant asked for), in log order: an array, or pages of
   * them (so that a long history never sits in memory at once; projections do not depend on batch boundaries).
   *
   * Each page is replayed in a short transaction of its own and committed (temporary tables write no WAL, and
   * the commit does not wait for a flush): an open transaction would hold back, for as long as the request
   * ran, what every subscriber of the log may see (it reads below the oldest running transaction). The request
   * then reads outside any transaction, and the tables are emptied when it ends.
   */
  async create(
    projections: readonly Projection[],
    events: readonly RecordedEvent[] | AsyncIterable<readonly RecordedEvent[]>,
  ): Promise<AsOfSnapshot> {
    const pool = await this.connect();
    const runner: QueryRunner = pool.createQueryRunner();
    const connection = (await runner.connect()) as object;
    const tables = [...new Set(projections.flatMap((p) => p.tables))];
    const empty = async () => runner.query(`TRUNCATE ${tables.map(ident).join(', ')}`);
    let ok = false;
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
        this.prepared.add(connection);
      }
      const pages: AsyncIterable<readonly RecordedEvent[]> | (readonly RecordedEvent[])[] = isPages(events)
        ? events
        : [events];
      for await (const page of pages) {
        await runner.startTransaction();
        await runner.query('SET LOCAL synchronous_commit = off');
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
        await runner.commitTransaction();
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
          await empty();
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

function isPages(
  events: readonly RecordedEvent[] | AsyncIterable<readonly RecordedEvent[]>,
): events is AsyncIterable<readonly RecordedEvent[]> {
  return typeof (events as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';
}
