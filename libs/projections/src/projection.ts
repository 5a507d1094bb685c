import type { RecordedEvent } from '@iap/event-store';
import type { EntityManager } from 'typeorm';
import type { Row } from './record-set.js';
import type { VersionedRows } from './versioned-rows.js';
import type { VersionedTableSpec } from './versioned-table.js';

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
  /**
   * Appends rows to a table (its physical name, from `table`) with `COPY ... FROM STDIN`, after the writes issued
   * before it: `lines` in COPY's text format (`copyLine`), made as they are sent.
   */
  copy(table: string, columns: readonly string[], lines: Iterable<string>): Promise<void>;
  /**
   * The rows of one of its versioned tables for this batch (call it once per batch and table). Outside a
   * rebuild each call starts empty and `load` reads what the batch needs; while a rebuild catches up, the same
   * rows are kept in memory across its pages (`load` reads nothing, the live rows are written once, at the end:
   * see VersionedRows). Either way the projection folds and flushes them alike.
   */
  rows<R extends Row = Row>(spec: VersionedTableSpec): VersionedRows<R>;
}

export interface Projection {
  /** Stable name: the checkpoint key and the CLI's `projections:rebuild <name>`. */
  readonly name: string;
  /** The tables it owns (created by migrations); a rebuild recreates them beside the live ones. */
  readonly tables: readonly string[];
  /**
   * Indexes (by name) of its tables, other than unique and partial ones, that its own reads in `apply` need: a
   * rebuild builds every other index only once the fresh tables are full.
   */
  readonly indexesWhileProjecting?: readonly string[];
  /** Event types it reads (or [ALL_EVENTS]); others only advance its checkpoint. */
  readonly eventTypes: readonly string[];
  /** Applies a batch, in log order, inside the transaction that also stores the checkpoint. */
  apply(events: readonly RecordedEvent[], ctx: ProjectionContext): Promise<void>;
  /**
   * How its tables stood at an instant, for `asOf` queries: per table, a SELECT giving (at least) the live
   * table's columns as they were once every event recorded up to `sql.at` was applied. Tables left out are
   * read as they are now.
   */
  asOf?(sql: AsOfSql): Readonly<Record<string, string>>;
}

/** What an `asOf` definition writes its SQL with. */
export interface AsOfSql {
  /** The instant asked for (an SQL expression of type timestamptz). */
  readonly at: string;
  /** A live table, schema-qualified (for tables whose rows never change once written). */
  live(table: string): string;
  /** A table's history (`<table>_history`), schema-qualified. */
  history(table: string): string;
  /** Another table as it stood at the instant (its as-of view). */
  view(table: string): string;
  /** A SELECT of a versioned table's versions current at the instant. */
  current(table: VersionedTableSpec, alias?: string): string;
}

/** Called after a batch's transaction has committed (e.g. to publish GraphQL subscriptions). */
export type CommittedListener = (projection: string, events: readonly RecordedEvent[]) => void;
