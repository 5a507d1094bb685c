import { type EventStore, type Position, type RecordedEvent, comparePositions } from '@iap/event-store';
import type { DataSource, EntityManager } from 'typeorm';
import { BatchingProjectionContext } from './batched-context.js';
import { lockCheckpoint, saveCheckpoint } from './checkpoints.js';
import { ALL_EVENTS, type Projection } from './projection.js';
import { ident } from './sql.js';
import type { VersionedRows } from './versioned-rows.js';

/** Events per page read from the log and per transaction of each projection while catching up. */
export const DEFAULT_PAGE_SIZE = 5000;
/**
 * At most this many rows of each versioned table are kept in memory while catching up (see VersionedRows): the
 * least recently changed beyond it are written out, and read back if changed again.
 */
export const DEFAULT_KEPT_ROWS = 10_000;
/** How many pages the fastest projection may be ahead of the slowest while catching up. */
const PAGES_AHEAD = 2;
/** How many fresh tables get their indexes and statistics at once after catching up. */
const FINISHING_AT_ONCE = 2;

export interface RebuildOptions {
  readonly pageSize?: number;
  /** Rows of each versioned table kept in memory while catching up (DEFAULT_KEPT_ROWS). */
  readonly keptRows?: number;
  readonly onProgress?: (applied: number, read: number) => void;
}

export interface RebuildResult {
  readonly eventsRead: number;
  readonly eventsApplied: number;
  readonly position: Position | null;
  /** Time spent in this projection's page transactions (apply and commit), summed over the pages. */
  readonly busyMs: number;
  /**
   * Wall-clock milliseconds of the rebuild's stages (the same for every projection): catching up (every page
   * applied), writing the live rows kept in memory, finishing the tables (logged, indexed, analysed), and
   * applying what arrived meanwhile and swapping in.
   */
  readonly stagesMs: {
    readonly catchUp: number;
    readonly live: number;
    readonly finish: number;
    readonly swap: number;
  };
}

/** What one projection's rebuild needs: its filter and where its fresh and retired tables live. */
interface Plan {
  readonly projection: Projection;
  readonly accepts: (e: RecordedEvent) => boolean;
  readonly fresh: string;
  readonly retired: string;
  readonly tables: ReadonlyMap<string, string>;
  /** While catching up, the versioned rows the projection asked for (`ctx.rows`), kept across the pages. */
  readonly kept: Map<string, VersionedRows>;
  applied: number;
  busyMs: number;
}

function planFor(projection: Projection): Plan {
  const types = new Set(projection.eventTypes);
  const slug = projection.name.replace(/[^a-z0-9]+/gi, '_').toLowerCase();
  const fresh = ident(`rebuild_${slug}`);
  return {
    projection,
    accepts: types.has(ALL_EVENTS) ? () => true : (e) => types.has(e.type),
    fresh,
    retired: ident(`retired_${slug}`),
    tables: new Map(projection.tables.map((t) => [t, `${fresh}.${ident(t)}`])),
    kept: new Map(),
    applied: 0,
    busyMs: 0,
  };
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
  const [result] = await rebuildProjections(store, dataSource, [projection], options);
  return result;
}

/**
 * Rebuilds several projections (all of them, for a full rebuild) from one read of the log: each page is read
 * once, while the previous one is being applied, and applied to every projection at once, each in its own
 * transaction on its own connection. Then one transaction takes every projection's checkpoint lock, applies
 * what arrived meanwhile and swaps all the fresh tables in, so readers move from the old models to the new ones
 * together. `onProgress` reports the events applied across the projections and the events read.
 */
export async function rebuildProjections(
  store: EventStore,
  dataSource: DataSource,
  projections: readonly Projection[],
  options: RebuildOptions = {},
): Promise<RebuildResult[]> {
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const names = projections.map((p) => p.name);
  if (new Set(names).size !== names.length) throw new Error(`Projections named twice in ${names.join(', ')}`);
  const plans = projections.map(planFor);
  const [{ schema: liveSchema }] = await dataSource.query('SELECT current_schema() AS schema');
  const live = ident(liveSchema);

  // Fresh tables get, while catching up, only the indexes that their writes need: the unique ones (keys and the
  // conflicts of upserts), the partial ones (small, and kept for what a write may look up by their condition) and
  // those the projection names in `indexesWhileProjecting` (its own reads). Every other index serves readers only and is
  // built once the tables are full, which is much faster than growing it row by row. Indexes keep their names.
  // Fresh tables keep the live tables' own storage parameters (not their TOAST tables'), but autovacuum stays off
  // them while they fill: it would vacuum each one again and again as it grows (CPU the catch-up needs; nothing
  // reads them yet). The swap sets it back as the live table had it, and autovacuum vacuums them after.
  // Fresh tables are UNLOGGED while they fill: their many inserts and updates write no WAL (a crash empties
  // them, and a rebuild that dies is started again from nothing anyway). Once full, each is made LOGGED, which
  // writes it to the WAL once, as it then stands, before its readers' indexes are built and it is swapped in.
  /** Per fresh table, the indexes built once it is full. */
  const deferredIndexes = new Map<string, string[]>();
  /** Per fresh table, how the swap sets its autovacuum back. */
  const autovacuum = new Map<string, string>();
  await dataSource.transaction(async (m) => {
    for (const plan of plans) {
      const keep = new Set(plan.projection.indexesWhileProjecting ?? []);
      await m.query(`DROP SCHEMA IF EXISTS ${plan.fresh} CASCADE`);
      await m.query(`CREATE SCHEMA ${plan.fresh}`);
      for (const t of plan.projection.tables) {
        const liveTable = `${live}.${ident(t)}`;
        const freshTable = `${plan.fresh}.${ident(t)}`;
        const [{ options }]: { options: string[] | null }[] = await m.query(
          'SELECT reloptions AS options FROM pg_class WHERE oid = $1::regclass',
          [liveTable],
        );
        // Each stored as `name=value`, the value as it was written: given back quoted, it reads the same.
        const parsed = (options ?? []).map((o) => {
          const at = o.indexOf('=');
          return { name: o.slice(0, at), value: `'${o.slice(at + 1).replace(/'/g, "''")}'` };
        });
        const liveSetting = parsed.find((o) => o.name === 'autovacuum_enabled');
        autovacuum.set(
          freshTable,
          liveSetting ? `SET (autovacuum_enabled = ${liveSetting.value})` : 'RESET (autovacuum_enabled)',
        );
        const own = parsed.filter((o) => o !== liveSetting).map((o) => `${o.name} = ${o.value}`);
        await m.query(
          `CREATE UNLOGGED TABLE ${freshTable} (LIKE ${liveTable} INCLUDING ALL EXCLUDING INDEXES)
             WITH (${[...own, 'autovacuum_enabled = false'].join(', ')})`,
        );
        const indexes: { name: string; def: string; constraint: string | null; needed: boolean }[] =
          await m.query(
            `SELECT ci.relname AS name, pg_get_indexdef(i.indexrelid) AS def,
                    (SELECT pg_get_constraintdef(c.oid) FROM pg_constraint c WHERE c.conindid = i.indexrelid
                        AND c.conrelid = i.indrelid AND c.contype IN ('p', 'u', 'x')) AS constraint,
                    i.indisunique OR i.indpred IS NOT NULL AS needed
               FROM pg_index i JOIN pg_class ci ON ci.oid = i.indexrelid
              WHERE i.indrelid = to_regclass($1)`,
            [liveTable],
          );
        for (const { name, def, constraint, needed } of indexes) {
          if (constraint) {
            await m.query(`ALTER TABLE ${freshTable} ADD CONSTRAINT ${ident(name)} ${constraint}`);
            continue;
          }
          const fresh = def.replace(/ ON (?:ONLY )?\S+ USING /, ` ON ${freshTable} USING `);
          if (fresh === def) throw new Error(`Cannot place index "${def}" on the rebuilt ${t}`);
          if (needed || keep.has(name)) await m.query(fresh);
          else deferredIndexes.set(freshTable, [...(deferredIndexes.get(freshTable) ?? []), fresh]);
        }
      }
    }
  });

  const stages: number[] = [performance.now()];
  let position: Position | null = null;
  let read = 0;
  /** The page after `from` (readAll's fromPosition is inclusive, so one more is asked for and cut). */
  const readPage = async (from: Position | null): Promise<RecordedEvent[]> => {
    const page = await store.readAll({ fromPosition: from ?? 'start', maxCount: pageSize + 1 });
    return from ? page.filter((e) => comparePositions(e.position, from) > 0) : page.slice(0, pageSize);
  };
  /** `catchingUp`: the projection's versioned rows are kept in memory across pages (see VersionedRows). */
  const applyPage = async (
    plan: Plan,
    page: readonly RecordedEvent[],
    manager: EntityManager,
    catchingUp = false,
  ) => {
    const relevant = page.filter(plan.accepts);
    if (relevant.length === 0) return;
    const ctx = catchingUp
      ? new BatchingProjectionContext(manager, plan.tables, plan.kept, options.keptRows ?? DEFAULT_KEPT_ROWS)
      : new BatchingProjectionContext(manager, plan.tables);
    await plan.projection.apply(relevant, ctx);
    await ctx.flush();
    plan.applied += relevant.length;
  };
  const report = () =>
    options.onProgress?.(
      plans.reduce((n, p) => n + p.applied, 0),
      read,
    );

  // Catch up without holding any lock: one transaction per page and projection. Each projection goes through
  // the pages at its own pace (a projection with little to do in a page does not wait for the busiest one); a
  // page is read once, when the first projection needs it, and let go once the last is done with it, and reading
  // stops while the slowest projection is more than PAGES_AHEAD pages behind, so memory stays bounded.
  const pages = new Map<number, Promise<RecordedEvent[]>>();
  const done = plans.map(() => 0);
  let slowest = 0;
  let failed = false;
  let wake: (() => void)[] = [];
  /** The last page asked for (a page is asked for after the one before it, which may already be let go). */
  let tail: { i: number; p: Promise<RecordedEvent[]> } | null = null;
  const page = (i: number): Promise<RecordedEvent[]> => {
    let p = pages.get(i);
    if (!p) {
      if (i !== (tail ? tail.i + 1 : 0)) throw new Error(`rebuild: page ${i} asked for out of order`);
      const previous: Promise<RecordedEvent[] | null> = tail ? tail.p : Promise.resolve(null);
      p = (async () => {
        const prev = await previous;
        if (prev && prev.length === 0) return [];
        while (i - slowest > PAGES_AHEAD && !failed) await new Promise<void>((r) => wake.push(r));
        if (failed) return [];
        const events = await readPage(prev ? prev[prev.length - 1].position : position);
        if (events.length > 0) {
          read += events.length;
          position = events[events.length - 1].position;
        }
        return events;
      })();
      p.catch(() => undefined); // awaited by the projections; a failure here fails them
      pages.set(i, p);
      tail = { i, p };
    }
    return p;
  };
  const finished = (k: number, i: number) => {
    done[k] = i + 1;
    const least = Math.min(...done);
    if (least <= slowest) return;
    for (let j = slowest; j < least; j++) pages.delete(j);
    slowest = least;
    const waiting = wake;
    wake = [];
    for (const w of waiting) w();
    report();
  };
  stages.push(performance.now());
  const outcomes = await Promise.allSettled(
    plans.map(async (plan, k) => {
      try {
        for (let i = 0; ; i++) {
          const events = await page(i);
          if (failed || events.length === 0) return;
          if (events.some(plan.accepts)) {
            const started = performance.now();
            await dataSource.transaction(async (m) => {
              // Nothing here needs to survive a crash: a rebuild that dies leaves only its fresh tables, which
              // the next attempt drops. So these commits need not wait for the WAL to reach the disk (the swap
              // does).
              await m.query('SET LOCAL synchronous_commit = off');
              await applyPage(plan, events, m, true);
            });
            plan.busyMs += performance.now() - started;
          }
          finished(k, i);
        }
      } catch (err) {
        // The others stop at their next page (and none is left waiting for this one): all have settled before
        // the rebuild reports the failure.
        failed = true;
        const waiting = wake;
        wake = [];
        for (const w of waiting) w();
        throw err;
      }
    }),
  );
  const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failure) throw failure.reason;
  stages.push(performance.now());

  // The live rows kept in memory while catching up are written once, with COPY (the fresh tables hold none of
  // them yet); from here on the projections read and write their tables batch by batch, as a live runner does.
  const written = await Promise.allSettled(
    plans.map(async (plan) => {
      if (plan.kept.size === 0) return;
      const started = performance.now();
      await dataSource.transaction(async (m) => {
        await m.query('SET LOCAL synchronous_commit = off');
        const ctx = new BatchingProjectionContext(m, plan.tables);
        for (const rows of plan.kept.values()) await rows.writeLive(ctx);
        await ctx.flush();
      });
      plan.kept.clear();
      plan.busyMs += performance.now() - started;
    }),
  );
  const unwritten = written.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (unwritten) throw unwritten.reason;
  stages.push(performance.now());

  // Then each fresh table is made LOGGED (written to the WAL once, with the indexes it has), gets its readers'
  // indexes and, as it has no statistics yet, is analysed before readers (and their query plans) see it:
  // FINISHING_AT_ONCE tables at a time: those with a GiST index first (built row by row, btree_gist having no
  // sorted build: the longest to finish, by far), then the largest first.
  const finish = async (table: string) => {
    await dataSource.query(`ALTER TABLE ${table} SET LOGGED`);
    for (const def of deferredIndexes.get(table) ?? []) await dataSource.query(def);
    await dataSource.query(`ANALYZE ${table}`);
  };
  const sizes: { table: string; bytes: string }[] = await dataSource.query(
    `SELECT t AS table, pg_relation_size(t::regclass)::text AS bytes FROM unnest($1::text[]) AS t`,
    [plans.flatMap((plan) => [...plan.tables.values()])],
  );
  const gist = (table: string) => (deferredIndexes.get(table) ?? []).some((def) => / USING gist /i.test(def));
  const toFinish = sizes
    .sort((a, b) => Number(gist(b.table)) - Number(gist(a.table)) || Number(b.bytes) - Number(a.bytes))
    .map((r) => r.table);
  const readied = await Promise.allSettled(
    Array.from({ length: FINISHING_AT_ONCE }, async () => {
      for (let table = toFinish.shift(); table; table = toFinish.shift()) {
        try {
          await finish(table);
        } catch (err) {
          toFinish.length = 0; // the other stops at its next table: the failure is reported without delay
          throw err;
        }
      }
    }),
  );
  const unfinished = readied.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (unfinished) throw unfinished.reason;

  // What arrived while the indexes were built, applied still without locks (so that the swap, which holds
  // every checkpoint lock, has only the last moments to apply).
  for (;;) {
    const events = await readPage(position);
    if (events.length === 0) break;
    for (const plan of plans) {
      if (!events.some(plan.accepts)) continue;
      await dataSource.transaction(async (m) => {
        await m.query('SET LOCAL synchronous_commit = off');
        await applyPage(plan, events, m);
      });
    }
    position = events[events.length - 1].position;
    read += events.length;
    report();
  }

  stages.push(performance.now());
  // Swap in: the checkpoint locks stop live runners; apply what arrived meanwhile, then move the tables.
  await dataSource.transaction(async (m) => {
    for (const plan of [...plans].sort((a, b) => a.projection.name.localeCompare(b.projection.name)))
      await lockCheckpoint(m, plan.projection.name);
    for (;;) {
      const page = await readPage(position);
      if (page.length === 0) break;
      for (const plan of plans) await applyPage(plan, page, m);
      position = page[page.length - 1].position;
      read += page.length;
      report();
    }
    for (const plan of plans) {
      await m.query(`DROP SCHEMA IF EXISTS ${plan.retired} CASCADE`);
      await m.query(`CREATE SCHEMA ${plan.retired}`);
      for (const t of plan.projection.tables) {
        await m.query(`ALTER TABLE ${live}.${ident(t)} SET SCHEMA ${plan.retired}`);
        await m.query(`ALTER TABLE ${plan.fresh}.${ident(t)} SET SCHEMA ${live}`);
        await m.query(`ALTER TABLE ${live}.${ident(t)} ${autovacuum.get(`${plan.fresh}.${ident(t)}`)}`);
      }
      await m.query(`DROP SCHEMA ${plan.retired} CASCADE`);
      await m.query(`DROP SCHEMA ${plan.fresh} CASCADE`);
      if (position) await saveCheckpoint(m, plan.projection.name, position);
      else await m.query('DELETE FROM projection_checkpoints WHERE name = $1', [plan.projection.name]);
    }
  });
  stages.push(performance.now());
  const ms = (i: number) => Math.round(stages[i + 1] - stages[i]);
  const stagesMs = { catchUp: ms(1), live: ms(2), finish: ms(3), swap: ms(4) };
  return plans.map((plan) => ({
    eventsRead: read,
    eventsApplied: plan.applied,
    position,
    busyMs: Math.round(plan.busyMs),
    stagesMs,
  }));
}
