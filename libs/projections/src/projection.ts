import type { RecordedEvent } from '@iap/event-store';
import type { EntityManager } from 'typeorm';

/** Put in `eventTypes` to receive every event. */
export const ALL_EVENTS = '*';

/** What a projection may use inside its batch transaction. */
export interface ProjectionContext {
  /** The transaction's entity manager: every write must go through it. */
  readonly manager: EntityManager;
  /** Runs SQL inside the batch transaction. */
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
