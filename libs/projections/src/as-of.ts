import type { RecordedEvent } from '@iap/event-store';
import type { DataSource, QueryRunner } from 'typeorm';
import { ALL_EVENTS, type Projection } from './projection.js';
import { projectionContext } from './projection-runner.js';

/** Something to run read queries on: the live pool, or an as-of snapshot's connection. */
export interface Queryable {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a drop-in for DataSource.query
  query<T = any>(sql: string, params?: unknown[]): Promise<T>;
}

export interface AsOfSnapshot extends Queryable {
  /** Ends the snapshot's transaction (dropping its tables) and returns its connection to the pool. */
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
 * answers from the past, by the very code that answers the present. Nothing is written to the live tables;
 * the temporary tables vanish with the snapshot's transaction.
 */
export async function createAsOfSnapshot(
  dataSource: DataSource,
  projections: readonly Projection[],
  events: readonly RecordedEvent[],
): Promise<AsOfSnapshot> {
  const runner: QueryRunner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    const [{ schema }] = await runner.query('SELECT current_schema() AS schema');
    const tables = [...new Set(projections.flatMap((p) => p.tables))];
    for (const t of tables) {
      await runner.query(
        `CREATE TEMP TABLE ${ident(t)} (LIKE ${ident(schema)}.${ident(t)} INCLUDING ALL) ON COMMIT DROP`,
      );
    }
    for (const p of projections) {
      const types = new Set(p.eventTypes);
      const relevant = types.has(ALL_EVENTS) ? events : events.filter((e) => types.has(e.type));
      if (relevant.length === 0) continue;
      // Unqualified names resolve to the temporary tables first on this connection.
      const names = new Map(p.tables.map((t) => [t, ident(t)]));
      const ctx = projectionContext(runner.manager, names);
      await p.apply(relevant, ctx);
      await ctx.flush();
    }
  } catch (err) {
    await runner.rollbackTransaction().catch(() => undefined);
    await runner.release();
    throw err;
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
    async release() {
      if (released) return;
      released = true;
      await runner.rollbackTransaction().catch(() => undefined);
      await runner.release();
    },
  };
}
