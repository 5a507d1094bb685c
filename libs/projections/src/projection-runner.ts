import {
  type EventStore,
  type Position,
  type RecordedEvent,
  type Subscription,
  comparePositions,
} from '@iap/event-store';
import type { DataSource, EntityManager } from 'typeorm';
import { traced } from '@iap/tracing';
import {
  advanceCheckpoints,
  isAfter,
  lockCheckpoint,
  readCheckpoint,
  saveCheckpoint,
} from './checkpoints.js';
import { BatchingProjectionContext } from './batched-context.js';
import { ALL_CHECKPOINTS_SQL, storedPosition } from './checkpoint-schema.js';
import { ALL_EVENTS, type CommittedListener, type Projection, type ProjectionContext } from './projection.js';
import { type LeadershipOptions, ProjectionLeadership } from './leadership.js';

export interface ProjectionRunnerOptions {
  /** Most events applied in one transaction. */
  readonly batchSize?: number;
  /** Pause before a failed projection starts again from its stored checkpoint. */
  readonly retryDelayMs?: number;
  readonly log?: (message: string, error?: unknown) => void;
  /**
   * Run each projection only while this runner leads it (an advisory lock per projection; see
   * ProjectionLeadership), so that of several instances on one database one at a time reads the log for it.
   * Unset: this runner runs every projection.
   */
  readonly leadership?: LeadershipOptions;
  /** While someone waits for a position, how often the stored checkpoints are read (a missed notice). */
  readonly waitPollMs?: number;
  /**
   * How often, at most, a projection's checkpoint is moved past events it does not project (default 50 ms).
   * Such a stretch of the log applies nothing: it is not a transaction of its own, but one statement, sent at
   * most this often with the furthest position reached.
   */
  readonly skipSaveMs?: number;
}

/** A projection's checkpoint to move past events it does not project: the furthest position, and what was saved. */
interface Skip {
  position: Position;
  /** The furthest position saved (or being saved). */
  saved: Position | null;
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

/** The distinct correlation ids of a batch's events (the first 50). */
function correlationIds(events: readonly RecordedEvent[]): string[] {
  const ids = new Set<string>();
  for (const e of events) {
    if (e.metadata.correlationId) ids.add(e.metadata.correlationId);
    if (ids.size === 50) break;
  }
  return [...ids];
}

function identityTables(p: Projection): Map<string, string> {
  return new Map(p.tables.map((t) => [t, `"${t}"`]));
}

/**
 * Runs projections on catch-up subscriptions to the global log. Each batch of read-model writes and the
 * projection's checkpoint commit in one transaction, under a lock on the checkpoint row, and events at or
 * below the stored checkpoint are skipped: a crash loses nothing and nothing is applied twice, even with
 * two runners (two server instances, or a rebuild swapping in) on one database.
 *
 * With `leadership`, a runner runs only the projections it leads; it still knows every projection's committed
 * position (each batch announces its checkpoint with NOTIFY on commit, and the stored checkpoints are read
 * while someone waits), so `waitFor` answers whichever instance applied the events.
 */
export class ProjectionRunner {
  private readonly batchSize: number;
  private readonly retryDelayMs: number;
  private readonly log: (message: string, error?: unknown) => void;
  private readonly positions = new Map<string, Position | null>();
  private readonly subscriptions = new Map<string, Subscription>();
  /** Each listener, and the projections it follows (null: every one, as this runner commits them). */
  private readonly listeners = new Map<CommittedListener, ReadonlySet<string> | null>();
  private readonly relays = new Map<string, Promise<void>>();
  private waiters: { check: () => boolean; resolve: (ok: boolean) => void }[] = [];
  private readonly loops = new Map<string, Promise<void>>();
  private readonly leadership: ProjectionLeadership | null;
  private readonly waitPollMs: number;
  private readonly skipSaveMs: number;
  private readonly skips = new Map<string, Skip>();
  /** The projections' skips are saved together, by one statement at most every `skipSaveMs`. */
  private skipTimer: NodeJS.Timeout | null = null;
  private skipSaving: Promise<void> | null = null;
  private skipSavedAt = 0;
  private pollTimer: NodeJS.Timeout | null = null;
  private stopped = true;

  constructor(
    private readonly store: EventStore,
    /** Where the projections' batches and checkpoints are written (the server gives them a pool of their own). */
    readonly dataSource: DataSource,
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
    this.waitPollMs = options.waitPollMs ?? 250;
    this.skipSaveMs = options.skipSaveMs ?? 50;
    this.leadership = options.leadership
      ? new ProjectionLeadership(
          options.leadership,
          projections.map((p) => p.name),
          {
            gained: (name) => this.launch(projections.find((p) => p.name === name)!),
            lost: (name) => void this.subscriptions.get(name)?.unsubscribe(),
            checkpoint: (name, position) => this.followed(name, position),
            log: this.log,
          },
        )
      : null;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    if (this.leadership) this.leadership.start();
    else for (const p of this.projections) this.launch(p);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.leadership?.stop();
    await Promise.all([...this.subscriptions.values()].map((s) => s.unsubscribe()));
    await Promise.all(this.loops.values());
    this.loops.clear();
    await this.saveSkipsNow();
    for (const w of this.waiters) w.resolve(false);
    this.waiters = [];
    this.pollWhileWaiting();
  }

  /** Whether this runner runs the projection now (always, without leadership). */
  leads(name: string): boolean {
    return !this.stopped && (this.leadership?.leads(name) ?? true);
  }

  /** Starts the projection's loop, after its previous one (if any) has ended. */
  private launch(p: Projection): void {
    const previous = this.loops.get(p.name) ?? Promise.resolve();
    const loop = previous.then(() => this.run(p));
    this.loops.set(p.name, loop);
    void loop.finally(() => {
      if (this.loops.get(p.name) === loop) this.loops.delete(p.name);
    });
  }

  /**
   * Registers a listener called after each batch commits. Returns a function that removes it. With
   * `projections` named, it also hears of the batches another instance commits for them (this runner reads
   * those events from the log once it learns of the new checkpoint): live subscriptions hear of every change,
   * whichever instance projects it.
   */
  onCommitted(listener: CommittedListener, projections?: readonly string[]): () => void {
    this.listeners.set(listener, projections ? new Set(projections) : null);
    return () => this.listeners.delete(listener);
  }

  private tell(name: string, events: readonly RecordedEvent[], relayed: boolean): void {
    for (const [l, only] of this.listeners) {
      if (only ? !only.has(name) : relayed) continue;
      try {
        l(name, events);
      } catch (err) {
        this.log(`A listener of projection "${name}" failed`, err);
      }
    }
  }

  /** Another instance committed `name` up to `position`: relay its events to the listeners that follow it. */
  private followed(name: string, position: Position | null): void {
    const known = this.positions.get(name) ?? null;
    this.advanced(name, position);
    if (!known || !position || comparePositions(position, known) <= 0 || this.leads(name)) return;
    if (![...this.listeners.values()].some((only) => only?.has(name))) return;
    const p = this.projections.find((x) => x.name === name);
    if (!p) return;
    const previous = this.relays.get(name) ?? Promise.resolve();
    const relay = previous.then(() => this.relay(p, known, position));
    this.relays.set(name, relay);
    void relay.finally(() => {
      if (this.relays.get(name) === relay) this.relays.delete(name);
    });
  }

  private async relay(p: Projection, from: Position, to: Position): Promise<void> {
    const types = new Set(p.eventTypes);
    let at = from;
    try {
      for (;;) {
        const page = await this.store.readAll({ fromPosition: at, maxCount: 1000 });
        const fresh = page.filter((e) => isAfter(e.position, at) && comparePositions(e.position, to) <= 0);
        const wanted = fresh.filter((e) => types.has(ALL_EVENTS) || types.has(e.type));
        if (wanted.length > 0) this.tell(p.name, wanted, true);
        if (fresh.length === 0 || comparePositions(fresh[fresh.length - 1].position, to) >= 0) return;
        at = fresh[fresh.length - 1].position;
      }
    } catch (err) {
      this.log(`Could not tell the listeners of projection "${p.name}" of another instance's batch`, err);
    }
  }

  /** The position last committed for a projection, as far as this runner knows (by it or another instance). */
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
      this.pollWhileWaiting();
    });
  }

  /**
   * While someone waits, reads the stored checkpoints every `waitPollMs`: another instance's notice may be
   * missed (a dropped LISTEN connection), and a waiter must not depend on this runner leading the projection.
   */
  private pollWhileWaiting(): void {
    if (this.waiters.length === 0 || this.stopped) {
      if (this.pollTimer) clearTimeout(this.pollTimer);
      this.pollTimer = null;
      return;
    }
    if (this.pollTimer) return;
    this.pollTimer = setTimeout(async () => {
      try {
        const rows: { name: string; c: string; p: string }[] =
          await this.dataSource.query(ALL_CHECKPOINTS_SQL);
        for (const r of rows) this.advanced(r.name, storedPosition(r));
      } catch {
        // the database is away: the next poll tries again
      }
      this.pollTimer = null;
      this.pollWhileWaiting();
    }, this.waitPollMs);
    this.pollTimer.unref();
  }

  private async run(p: Projection): Promise<void> {
    const types = new Set(p.eventTypes);
    const all = types.has(ALL_EVENTS);
    while (this.leads(p.name)) {
      try {
        const from = await readCheckpoint(this.dataSource.manager, p.name);
        this.advanced(p.name, from);
        const sub = this.store.subscribeToAll({ fromPosition: from ?? 'start' });
        this.subscriptions.set(p.name, sub);
        if (!this.leads(p.name)) {
          await sub.unsubscribe(); // leadership was lost while subscribing
          break;
        }
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
          if (!this.leads(p.name)) break;
        }
        await sub.unsubscribe();
      } catch (err) {
        if (!this.leads(p.name)) break;
        this.log(`Projection "${p.name}" failed; restarting from its checkpoint`, err);
        await new Promise((r) => setTimeout(r, this.retryDelayMs));
      }
    }
  }

  private async commit(p: Projection, events: RecordedEvent[], upTo: Position): Promise<void> {
    if (events.length === 0) {
      // Nothing of this projection's up to there: its read model already holds `upTo`.
      this.advanced(p.name, upTo);
      this.skipTo(p.name, upTo);
      return;
    }
    // Each batch that applies events is a trace of its own, carrying the correlation ids of the requests whose
    // events it applies.
    const applied = await traced(
      'projection batch',
      () => ({
        'iap.projection': p.name,
        'iap.projection.events': events.length,
        'iap.correlation_ids': correlationIds(events),
      }),
      () => this.apply(p, events, upTo),
      { root: true },
    );
    const skip = this.skips.get(p.name);
    // The batch's checkpoint is as far or further: nothing of this projection's is left to save.
    if (skip && comparePositions(skip.position, upTo) <= 0) skip.saved = skip.position;
    this.advanced(p.name, upTo);
    if (applied.length > 0) this.tell(p.name, applied, false);
  }

  /**
   * Moves the stored checkpoint past events the projection does not project: with every other projection's due,
   * by one statement, now or once `skipSaveMs` has passed since the last.
   */
  private skipTo(name: string, position: Position): void {
    const skip = this.skips.get(name);
    if (!skip) this.skips.set(name, { position, saved: null });
    else if (comparePositions(position, skip.position) > 0) skip.position = position;
    this.scheduleSkipSave();
  }

  private scheduleSkipSave(): void {
    if (this.skipTimer || this.skipSaving || this.dueSkips().length === 0) return;
    this.skipTimer = setTimeout(
      () => void this.saveSkips(),
      Math.max(0, this.skipSavedAt + this.skipSaveMs - Date.now()),
    );
    this.skipTimer.unref();
  }

  private dueSkips(): { name: string; position: Position }[] {
    return [...this.skips]
      .filter(([, s]) => s.saved === null || comparePositions(s.position, s.saved) > 0)
      .map(([name, s]) => ({ name, position: s.position }));
  }

  /** Saves every skip due (what follows while it runs waits for the next). */
  private saveSkips(): Promise<void> {
    this.skipTimer = null;
    const due = this.dueSkips();
    if (due.length === 0) return Promise.resolve();
    for (const d of due) this.skips.get(d.name)!.saved = d.position;
    this.skipSavedAt = Date.now();
    this.skipSaving = advanceCheckpoints(this.dataSource.manager, due)
      .catch((err: unknown) =>
        this.log(
          `Could not move the checkpoints of ${due.map((d) => `"${d.name}"`).join(', ')} forward`,
          err,
        ),
      )
      .finally(() => {
        this.skipSaving = null;
        if (!this.stopped) this.scheduleSkipSave();
      });
    return this.skipSaving;
  }

  /**
   * Saves now every checkpoint still due to move past events not projected (on stop; and for a caller that
   * needs the stored checkpoints, the read-model version, to stand still once `waitFor` has answered).
   */
  async saveSkipsNow(): Promise<void> {
    await this.skipSaving;
    if (this.skipTimer) clearTimeout(this.skipTimer);
    await this.saveSkips();
  }

  /** Applies a batch and stores the checkpoint in one transaction; returns the events it applied. */
  private apply(p: Projection, events: RecordedEvent[], upTo: Position): Promise<RecordedEvent[]> {
    return this.dataSource.transaction(async (manager) => {
      const checkpoint = await lockCheckpoint(manager, p.name);
      if (!isAfter(upTo, checkpoint)) return []; // another runner (or a rebuild) got here first
      const fresh = events.filter((e) => isAfter(e.position, checkpoint));
      if (fresh.length > 0) {
        const ctx = projectionContext(manager, identityTables(p));
        await p.apply(fresh, ctx);
        await ctx.flush();
      }
      // Announced on commit: the other instances learn the position without reading the log.
      await saveCheckpoint(manager, p.name, upTo, true);
      return fresh;
    });
  }

  /** Records a committed position (never moving back: notices and reads may arrive out of order). */
  private advanced(name: string, position: Position | null): void {
    const known = this.positions.get(name);
    if (known != null && (position === null || comparePositions(position, known) <= 0)) return;
    this.positions.set(name, position);
    const pending = this.waiters;
    this.waiters = [];
    for (const w of pending) {
      if (w.check()) w.resolve(true);
      else this.waiters.push(w);
    }
  }
}
