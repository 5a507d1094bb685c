import {
  type EventStore,
  type Position,
  type RecordedEvent,
  type Subscription,
  comparePositions,
} from '@iap/event-store';
import type { DataSource, EntityManager } from 'typeorm';
import { isAfter, lockCheckpoint, readCheckpoint, saveCheckpoint } from './checkpoints.js';
import { BatchingProjectionContext } from './batched-context.js';
import { ALL_EVENTS, type CommittedListener, type Projection, type ProjectionContext } from './projection.js';

export interface ProjectionRunnerOptions {
  /** Most events applied in one transaction. */
  readonly batchSize?: number;
  /** Pause before a failed projection starts again from its stored checkpoint. */
  readonly retryDelayMs?: number;
  readonly log?: (message: string, error?: unknown) => void;
}

/**
 * The context for one batch: its writes are deferred and sent together (see BatchingProjectionContext); call
 * `flush()` after `apply` and before committing.
 */
export function projectionContext(
  manager: EntityManager,
  tables: ReadonlyMap<string, string>,
): ProjectionContext & { flush(): Promise<void> } {
  return new BatchingProjectionContext(manager, tables);
}

function identityTables(p: Projection): Map<string, string> {
  return new Map(p.tables.map((t) => [t, `"${t}"`]));
}

/**
 * Runs projections on catch-up subscriptions to the global log. Each batch of read-model writes and the
 * projection's checkpoint commit in one transaction, under a lock on the checkpoint row, and events at or
 * below the stored checkpoint are skipped: a crash loses nothing and nothing is applied twice, even with
 * two runners (two server instances, or a rebuild swapping in) on one database.
 */
export class ProjectionRunner {
  private readonly batchSize: number;
  private readonly retryDelayMs: number;
  private readonly log: (message: string, error?: unknown) => void;
  private readonly positions = new Map<string, Position | null>();
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly listeners = new Set<CommittedListener>();
  private waiters: { check: () => boolean; resolve: (ok: boolean) => void }[] = [];
  private loops: Promise<void>[] = [];
  private stopped = true;

  constructor(
    private readonly store: EventStore,
    private readonly dataSource: DataSource,
    readonly projections: readonly Projection[],
    options: ProjectionRunnerOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.retryDelayMs = options.retryDelayMs ?? 1000;
    this.log = options.log ?? (() => undefined);
    const names = new Set<string>();
    for (const p of projections) {
      if (names.has(p.name)) throw new Error(`Two projections are named "${p.name}"`);
      names.add(p.name);
    }
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.loops = this.projections.map((p) => this.run(p));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.subscriptions.values()].map((s) => s.unsubscribe()));
    await Promise.all(this.loops);
    for (const w of this.waiters) w.resolve(false);
    this.waiters = [];
  }

  /** Registers a listener called after each batch commits. Returns a function that removes it. */
  onCommitted(listener: CommittedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The position this runner last committed for a projection. */
  position(name: string): Position | null {
    return this.positions.get(name) ?? null;
  }

  /**
   * Resolves true once the named projections (all by default) have committed `position` or beyond, false
   * after `timeoutMs`. Lets a command's caller read its own write.
   */
  waitFor(position: Position, names?: readonly string[], timeoutMs = 5000): Promise<boolean> {
    const targets = names ?? this.projections.map((p) => p.name);
    const check = () =>
      targets.every((n) => {
        const at = this.positions.get(n);
        return at != null && comparePositions(at, position) >= 0;
      });
    if (check()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = {
        check,
        resolve: (ok: boolean) => {
          clearTimeout(timer);
          resolve(ok);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(false);
      }, timeoutMs);
      timer.unref();
      this.waiters.push(waiter);
    });
  }

  private async run(p: Projection): Promise<void> {
    const types = new Set(p.eventTypes);
    const all = types.has(ALL_EVENTS);
    while (!this.stopped) {
      try {
        const from = await readCheckpoint(this.dataSource.manager, p.name);
        this.advanced(p.name, from);
        const sub = this.store.subscribeToAll({ fromPosition: from ?? 'start' });
        this.subscriptions.set(p.name, sub);
        let batch: RecordedEvent[] = [];
        let upTo: Position | null = null;
        let seen = 0;
        const flush = async () => {
          if (upTo) await this.commit(p, batch, upTo);
          batch = [];
          upTo = null;
          seen = 0;
        };
        for await (const msg of sub) {
          if (msg.type === 'event') {
            upTo = msg.event.position;
            seen++;
            if (all || types.has(msg.event.type)) batch.push(msg.event);
            if (batch.length >= this.batchSize || seen >= this.batchSize * 10) await flush();
          } else {
            await flush();
          }
          if (this.stopped) break;
        }
        await sub.unsubscribe();
      } catch (err) {
        if (this.stopped) break;
        this.log(`Projection "${p.name}" failed; restarting from its checkpoint`, err);
        await new Promise((r) => setTimeout(r, this.retryDelayMs));
      }
    }
  }

  private async commit(p: Projection, events: RecordedEvent[], upTo: Position): Promise<void> {
    const applied = await this.dataSource.transaction(async (manager) => {
      const checkpoint = await lockCheckpoint(manager, p.name);
      if (!isAfter(upTo, checkpoint)) return []; // another runner (or a rebuild) got here first
      const fresh = events.filter((e) => isAfter(e.position, checkpoint));
      if (fresh.length > 0) {
        const ctx = projectionContext(manager, identityTables(p));
        await p.apply(fresh, ctx);
        await ctx.flush();
      }
      await saveCheckpoint(manager, p.name, upTo);
      return fresh;
    });
    this.advanced(p.name, upTo);
    if (applied.length > 0) {
      for (const l of this.listeners) {
        try {
          l(p.name, applied);
        } catch (err) {
          this.log(`A listener of projection "${p.name}" failed`, err);
        }
      }
    }
  }

  private advanced(name: string, position: Position | null): void {
    this.positions.set(name, position);
    const pending = this.waiters;
    this.waiters = [];
    for (const w of pending) {
      if (w.check()) w.resolve(true);
      else this.waiters.push(w);
    }
  }
}
