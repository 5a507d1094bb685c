import { type EventStore, type Position, type RecordedEvent, comparePositions } from '@iap/event-store';
import type { DataSource, EntityManager } from 'typeorm';
import { lockCheckpoint, saveCheckpoint } from './checkpoints.js';
import { ALL_EVENTS, type Projection } from './projection.js';
import { projectionContext } from './projection-runner.js';

export interface RebuildOptions {
  readonly pageSize?: number;
  readonly onProgress?: (applied: number, read: number) => void;
}

export interface RebuildResult {
  readonly eventsRead: number;
  readonly eventsApplied: number;
  readonly position: Position | null;
}

function ident(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Unsafe SQL identifier "${name}"`);
  return `"${name}"`;
}

/**
 * Rebuilds a projection from position zero into fresh tables beside the live ones (in a schema of their own),
 * then, holding the projection's checkpoint lock so that no live runner writes meanwhile, applies the last
 * events and swaps the fresh tables in within one transaction. Readers see the old tables until the commit,
 * then the new ones: never a half-built model. The log is streamed in pages, so memory stays flat.
 */
export async function rebuildProjection(
  store: EventStore,
  dataSource: DataSource,
  projection: Projection,
  options: RebuildOptions = {},
): Promise<RebuildResult> {
  const pageSize = options.pageSize ?? 1000;
  const types = new Set(projection.eventTypes);
  const all = types.has(ALL_EVENTS);
  const [{ schema: liveSchema }] = await dataSource.query('SELECT current_schema() AS schema');
  const fresh = ident(`rebuild_${projection.name.replace(/[^a-z0-9]+/gi, '_').toLowerCase()}`);
  const retired = ident(`retired_${projection.name.replace(/[^a-z0-9]+/gi, '_').toLowerCase()}`);
  const live = ident(liveSchema);
  const tables = new Map(projection.tables.map((t) => [t, `${fresh}.${ident(t)}`]));

  await dataSource.transaction(async (m) => {
    await m.query(`DROP SCHEMA IF EXISTS ${fresh} CASCADE`);
    await m.query(`CREATE SCHEMA ${fresh}`);
    for (const t of projection.tables) {
      await m.query(`CREATE TABLE ${fresh}.${ident(t)} (LIKE ${live}.${ident(t)} INCLUDING ALL)`);
    }
  });

  let position: Position | null = null;
  let read = 0;
  let applied = 0;
  /** Reads and applies one page after `position`; false once the log is exhausted. */
  const step = async (manager: EntityManager): Promise<boolean> => {
    const page: RecordedEvent[] = await store.readAll({
      fromPosition: position ?? 'start',
      maxCount: pageSize + 1,
    });
    const next = position ? page.filter((e) => comparePositions(e.position, position!) > 0) : page;
    if (next.length === 0) return false;
    const relevant = all ? next : next.filter((e) => types.has(e.type));
    if (relevant.length > 0) {
      const ctx = projectionContext(manager, tables);
      await projection.apply(relevant, ctx);
      await ctx.flush();
    }
    position = next[next.length - 1].position;
    read += next.length;
    applied += relevant.length;
    options.onProgress?.(applied, read);
    return true;
  };

  // Catch up without holding any lock: one transaction per page.
  while (await dataSource.transaction(step));

  // Swap in: the checkpoint lock stops live runners; apply what arrived meanwhile, then move the tables.
  await dataSource.transaction(async (m) => {
    await lockCheckpoint(m, projection.name);
    while (await step(m));
    await m.query(`DROP SCHEMA IF EXISTS ${retired} CASCADE`);
    await m.query(`CREATE SCHEMA ${retired}`);
    for (const t of projection.tables) {
      await m.query(`ALTER TABLE ${live}.${ident(t)} SET SCHEMA ${retired}`);
      await m.query(`ALTER TABLE ${fresh}.${ident(t)} SET SCHEMA ${live}`);
    }
    await m.query(`DROP SCHEMA ${retired} CASCADE`);
    await m.query(`DROP SCHEMA ${fresh} CASCADE`);
    if (position) await saveCheckpoint(m, projection.name, position);
    else await m.query('DELETE FROM projection_checkpoints WHERE name = $1', [projection.name]);
  });
  return { eventsRead: read, eventsApplied: applied, position };
}
