import type { RecordedEvent } from '@iap/event-store';
import type { EntityManager } from 'typeorm';

/** Put in `eventTypes` to receive every event. */
export const ALL_EVENTS = '*';

/** What a projection may use inside its batch transaction. */
export interface ProjectionContext {
  /**
   * The transaction's entity manager. Write through `query` (which may defer writes, see there), not through
   * the manager directly, so that statements keep the order the projection issued them in.
   */
  readonly manager: EntityManager;
  /**
   * Runs SQL inside the batch transaction, in the order issued. A write that returns nothing (INSERT, UPDATE or
   * DELETE without RETURNING) may be deferred and sent with the batch's other writes in one round trip, before
   * the next statement that reads and before the batch commits: it resolves to [] at once, and if it fails, the
   * batch fails when the writes are sent. Use RETURNING to get a write's rows; anything else resolves to its rows.
   */
  query<T = unknown>(sql: string, params?: unknown[]): Promise<T[]>;
  /**
   * The physical name of one of the projection's tables: the live table normally, its fresh copy during a
   * rebuild. Projections always write through this, never a hard-coded name.
   */
  table(name: string): string;
}

export interface Projection {
  /** Stable name: the checkpoint key and the CLI's `projections:rebuild <name>`. */
  readonly name: string;
  /** The tables it owns (created by migrations); a rebuild recreates them beside the live ones. */
  readonly tables: readonly string[];
  /** Event types it reads (or [ALL_EVENTS]); others only advance its checkpoint. */
  readonly eventTypes: readonly string[];
  /** Applies a batch, in log order, inside the transaction that also stores the checkpoint. */
  apply(events: readonly RecordedEvent[], ctx: ProjectionContext): Promise<void>;
}

/** Called after a batch's transaction has committed (e.g. to publish GraphQL subscriptions). */
export type CommittedListener = (projection: string, events: readonly RecordedEvent[]) => void;
