import type { RecordedEvent } from '@iap/event-store';
import type { DataSource } from 'typeorm';
import { ALL_EVENTS, type AsOfSnapshot, type Projection, projectionContext } from '@iap/projections';

const ident = (name: string) => `"${name}"`;

/**
 * The test oracle for "as it stood then" (and how the product answered it before history tables): replays the
 * given events (already cut at the instant asked for) through the same projections that build the live read
 * models, into temporary copies of their tables on one connection of the live pool. Temporary tables shadow
 * the live ones on that connection, so a query run through the snapshot answers from those events alone.
 * Nothing is written to the live tables; the temporary ones are dropped before the connection goes back.
 */
export async function replaySnapshot(
  live: DataSource,
  projections: readonly Projection[],
  events: readonly RecordedEvent[],
): Promise<AsOfSnapshot> {
  const runner = live.createQueryRunner();
  await runner.connect();
  const release = async () => {
    await runner.query('DISCARD TEMP');
    await runner.release();
  };
  try {
    const [{ schema }] = await runner.query('SELECT current_schema() AS schema');
    for (const t of new Set(projections.flatMap((p) => p.tables)))
      await runner.query(`CREATE TEMP TABLE ${ident(t)} (LIKE ${ident(schema)}.${ident(t)} INCLUDING ALL)`);
    await runner.startTransaction();
    for (const p of projections) {
      const types = new Set(p.eventTypes);
      const relevant = types.has(ALL_EVENTS) ? events : events.filter((e) => types.has(e.type));
      if (relevant.length === 0) continue;
      // Unqualified names resolve to the temporary tables first on this connection.
      const ctx = projectionContext(runner.manager, new Map(p.tables.map((t) => [t, ident(t)])));
      await p.apply(relevant, ctx);
      await ctx.flush();
    }
    await runner.commitTransaction();
  } catch (err) {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    await release();
    throw err;
  }
  return { query: (sql, params) => runner.query(sql, params), release };
}
