import pg from 'pg';
import Cursor from 'pg-cursor';
import {
  CommandIdReusedError,
  DuplicateEventIdError,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '../errors.js';
import { LogSignal } from '../signal.js';
import {
  type AppendCommand,
  type AppendOptions,
  type AppendResult,
  type EventData,
  EventStore,
  type ExpectedRevision,
  type Position,
  type ReadAllOptions,
  type ReadStreamOptions,
  type ReadStreamsOptions,
  type RecordedEvent,
  START,
  type SubscribeToAllOptions,
  type Subscription,
  type SubscriptionMessage,
  comparePositions,
} from '../types.js';

export const NOTIFY_CHANNEL = 'es_events';

export interface PostgresEventStoreOptions {
  /** Page size a subscription reads the log in. */
  readonly subscriptionPageSize?: number;
  /** Fallback poll: how long a caught-up subscription waits for a wake-up before reading again. */
  readonly pollIntervalMs?: number;
  /** Send NOTIFY after appends so that subscribers in other processes wake at once (default true). */
  readonly notify?: boolean;
  /** At most one NOTIFY per this many milliseconds (default 10): the first append after a quiet spell is announced at once, those within the interval after it share one at its end. */
  readonly notifyIntervalMs?: number;
}

const SELECT_EVENT = `SELECT transaction_id::text AS commit_position, global_position, stream_id, revision, event_id,
  event_type, data, metadata, recorded_at FROM es_events`;

/** The events of streams $1, recorded up to $2 (if given) compared at the millisecond, as clients see instants. */
const SELECT_STREAMS = `${SELECT_EVENT} WHERE stream_id = ANY($1::text[])
  AND ($2::timestamptz IS NULL OR date_trunc('milliseconds', recorded_at) <= $2)`;

/**
 * Rows below the horizon only: the oldest transaction id that may still commit events (see `es_horizon` in
 * schema.ts), so that no later commit can land behind a reader. Transactions that do not append to this store
 * (in this database or any other on the server) do not hold it back.
 */
const VISIBLE = 'transaction_id < (SELECT es_horizon())';

interface EventRow {
  commit_position: string;
  global_position: string;
  stream_id: string;
  revision: string;
  event_id: string;
  event_type: string;
  data: unknown;
  metadata: RecordedEvent['metadata'];
  recorded_at: Date;
}

function toEvent(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    type: row.event_type,
    streamId: row.stream_id,
    revision: BigInt(row.revision),
    position: { commit: BigInt(row.commit_position), prepare: BigInt(row.global_position) },
    data: row.data,
    metadata: row.metadata,
    recordedAt: row.recorded_at,
  };
}

function expectedCode(expected: ExpectedRevision): string {
  switch (expected) {
    case 'no_stream':
      return '-1';
    case 'any':
      return '-2';
    case 'stream_exists':
      return '-3';
    default:
      if (expected < 0n) throw new RangeError(`expectedRevision must be >= 0, got ${expected}`);
      return expected.toString();
  }
}

/**
 * The default event store: PostgreSQL, through `pg`. An append is one round trip (one statement, or the
 * `es_append` function); the global log is read in (transaction id, position) order below `es_horizon()`, the
 * oldest transaction that may still append, so no event is skipped. A command id given with an append is claimed
 * in `es_commands` in the same statement as the events.
 */
export class PostgresEventStore extends EventStore {
  private readonly signal = new LogSignal();
  /** Reads of the log after a position still running, shared by the subscriptions that ask for the same one. */
  private readonly readsAfter = new Map<string, Promise<readonly RecordedEvent[]>>();
  private listener: pg.Client | null = null;
  private listening: Promise<void> | null = null;
  private notifyInFlight: Promise<void> | null = null;
  private notifyTimer: NodeJS.Timeout | null = null;
  private notifyPending = false;
  /** When the last notice was sent (ms since the epoch). */
  private notifiedAt = 0;
  private closed = false;
  private readonly subscriptions = new Set<PgSubscription>();
  /** Highest position this process knows was committed: a subscriber below it retries soon, not after a poll. */
  knownHead: Position = START;

  constructor(
    private readonly pool: pg.Pool,
    private readonly options: PostgresEventStoreOptions = {},
  ) {
    super();
  }

  async appendToStream(
    streamId: string,
    events: readonly EventData[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    if (events.length === 0) throw new RangeError('appendToStream needs at least one event');
    const expected = options.expectedRevision ?? 'any';
    const command = options.command;
    try {
      // The common cases (an exact revision, or a new stream) in one plain statement; anything it cannot settle
      // (a wrong revision, a retry, 'any', 'stream_exists', a command id already claimed) goes to es_append.
      const fast =
        typeof expected === 'bigint' || expected === 'no_stream'
          ? await this.fastAppend(streamId, events, expected, command)
          : null;
      if (fast) {
        this.committed(fast.position);
        return fast;
      }
      const { rows } = await this.pool.query<{
        next_revision: string;
        commit_position: string;
        prepare_position: string;
      }>({
        name: 'es_append',
        text: 'SELECT * FROM es_append($1, $2, $3::uuid[], $4::text[], $5::jsonb[], $6::jsonb[], $7, $8)',
        values: [
          streamId,
          expectedCode(expected),
          events.map((e) => e.id),
          events.map((e) => e.type),
          events.map((e) => JSON.stringify(e.data)),
          events.map((e) => JSON.stringify(e.metadata)),
          command?.id ?? null,
          command?.digest ?? null,
        ],
      });
      const row = rows[0];
      const position = { commit: BigInt(row.commit_position), prepare: BigInt(row.prepare_position) };
      this.committed(position);
      return { nextExpectedRevision: BigInt(row.next_revision), position };
    } catch (err) {
      const e = err as { code?: string; detail?: string; constraint?: string };
      if (e.code === 'ES409') {
        const actual = e.detail === 'no_stream' || e.detail === undefined ? 'no_stream' : BigInt(e.detail);
        throw new WrongExpectedVersionError(streamId, expected, actual);
      }
      if (e.code === 'ES410' || (e.code === '23505' && e.constraint === 'es_events_event_id')) {
        throw new DuplicateEventIdError(streamId, events[0].id);
      }
      if (e.code === 'ES411' && command) throw new CommandIdReusedError(command.id, streamId, e.detail);
      throw err;
    }
  }

  /**
   * One round trip, one statement: moves the stream's revision (or creates it), inserts the events and claims the
   * command id. The statement's table locks are taken before it runs, so before it has a transaction id, as
   * `es_horizon` needs. A command id already claimed fails the whole statement (a unique violation) and is settled
   * by es_append; null: also left to es_append (a wrong revision, or a retry).
   */
  private async fastAppend(
    streamId: string,
    events: readonly EventData[],
    expected: bigint | 'no_stream',
    command: AppendCommand | undefined,
  ): Promise<AppendResult | null> {
    const stream =
      expected === 'no_stream'
        ? `INSERT INTO es_streams (stream_id, revision) VALUES ($1, $2::bigint - 1)
             ON CONFLICT (stream_id) DO NOTHING RETURNING revision`
        : `UPDATE es_streams SET revision = revision + $2::bigint WHERE stream_id = $1 AND revision = $7::bigint
             RETURNING revision`;
    const next = expected === 'no_stream' ? 7 : 8;
    const claim = command
      ? `, cmd AS (INSERT INTO es_commands (command_id, stream_id, digest) SELECT $${next}, $1, $${next + 1} FROM s)`
      : '';
    const values: unknown[] = [
      streamId,
      events.length,
      events.map((e) => e.id),
      events.map((e) => e.type),
      events.map((e) => JSON.stringify(e.data)),
      events.map((e) => JSON.stringify(e.metadata)),
      ...(expected === 'no_stream' ? [] : [expected.toString()]),
      ...(command ? [command.id, command.digest ?? null] : []),
    ];
    let rows: { r: string | null; c: string; p: string | null }[];
    try {
      ({ rows } = await this.pool.query<{ r: string | null; c: string; p: string | null }>({
        name: `${expected === 'no_stream' ? 'es_append_new' : 'es_append_exact'}${command ? '_command' : ''}`,
        text: `WITH s AS (${stream}),
        ins AS (
          INSERT INTO es_events (stream_id, revision, event_id, event_type, data, metadata)
          SELECT $1, s.revision - $2::bigint + t.ord, t.id, t.type, t.data, t.meta
            FROM s, unnest($3::uuid[], $4::text[], $5::jsonb[], $6::jsonb[]) WITH ORDINALITY AS t(id, type, data, meta, ord)
          RETURNING revision, global_position
        )${claim}
        SELECT max(revision)::text AS r, pg_current_xact_id()::text AS c, max(global_position)::text AS p FROM ins`,
        values,
      }));
    } catch (err) {
      const e = err as { code?: string; constraint?: string };
      if (e.code === '23505' && e.constraint === 'es_commands_pkey') return null;
      throw err;
    }
    const row = rows[0];
    if (!row || row.r === null || row.p === null) return null;
    return {
      nextExpectedRevision: BigInt(row.r),
      position: { commit: BigInt(row.c), prepare: BigInt(row.p) },
    };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision ?? (backwards ? 'end' : 'start');
    const limit = options.maxCount ?? null;
    const params: unknown[] = [streamId, limit];
    let bound = '';
    if (typeof from === 'bigint') {
      params.push(from.toString());
      bound = backwards ? 'AND revision <= $3' : 'AND revision >= $3';
    }
    const { rows } = await this.pool.query<EventRow>(
      `${SELECT_EVENT} WHERE stream_id = $1 ${bound}
       ORDER BY revision ${backwards ? 'DESC' : 'ASC'} LIMIT $2`,
      params,
    );
    if (rows.length === 0) {
      const exists = await this.pool.query('SELECT 1 FROM es_streams WHERE stream_id = $1', [streamId]);
      if (exists.rowCount === 0) throw new StreamNotFoundError(streamId);
    }
    return rows.map(toEvent);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const from = options.fromPosition ?? (backwards ? 'end' : 'start');
    const limit = options.maxCount ?? null;
    if (from === 'start' && backwards) return [];
    if (from === 'end' && !backwards) return [];
    const params: unknown[] = [limit];
    let bound = '';
    if (typeof from === 'object') {
      params.push(from.commit.toString(), from.prepare.toString());
      bound = `AND (transaction_id, global_position) ${backwards ? '<=' : '>='} ($2::text::xid8, $3::bigint)`;
    }
    const { rows } = await this.pool.query<EventRow>(
      `${SELECT_EVENT} WHERE ${VISIBLE} ${bound}
       ORDER BY transaction_id ${backwards ? 'DESC' : 'ASC'}, global_position ${backwards ? 'DESC' : 'ASC'}
       LIMIT $1`,
      params,
    );
    return rows.map(toEvent);
  }

  /**
   * One query for all the streams (an asOf reads thousands), committed events in log order. The instant is
   * compared at the millisecond, as `recordedAt` reaches clients (PostgreSQL keeps microseconds).
   */
  override async readStreams(
    streamIds: readonly string[],
    options: ReadStreamsOptions = {},
  ): Promise<RecordedEvent[]> {
    if (streamIds.length === 0) return [];
    const { rows } = await this.pool.query<EventRow>(
      `${SELECT_STREAMS} ORDER BY transaction_id, global_position`,
      [streamIds, options.recordedUpTo ?? null],
    );
    return rows.map(toEvent);
  }

  /** One query, its rows fetched through a cursor a page at a time: memory holds one page, however long the read. */
  override async *readStreamsInPages(
    streamIds: readonly string[],
    options: ReadStreamsOptions & { readonly pageSize?: number } = {},
  ): AsyncGenerator<RecordedEvent[]> {
    if (streamIds.length === 0) return;
    const size = options.pageSize ?? 5000;
    const client = await this.pool.connect();
    try {
      const cursor = client.query(
        new Cursor<EventRow>(`${SELECT_STREAMS} ORDER BY transaction_id, global_position`, [
          streamIds,
          options.recordedUpTo ?? null,
        ]),
      );
      try {
        for (;;) {
          const rows = await cursor.read(size);
          if (rows.length === 0) break;
          yield rows.map(toEvent);
        }
      } finally {
        await cursor.close();
      }
    } finally {
      client.release();
    }
  }

  /**
   * Events strictly after `after`, in log order. Subscriptions woken together at the same position (every
   * projection, caught up, after an append) share one query: the events they are given are the same objects.
   */
  readAllAfter(after: Position, maxCount: number): Promise<readonly RecordedEvent[]> {
    const key = `${after.commit}/${after.prepare}/${maxCount}`;
    let read = this.readsAfter.get(key);
    if (!read) {
      read = this.queryAllAfter(after, maxCount);
      this.readsAfter.set(key, read);
      const done = () => this.readsAfter.delete(key);
      read.then(done, done);
    }
    return read;
  }

  private async queryAllAfter(after: Position, maxCount: number): Promise<RecordedEvent[]> {
    const { rows } = await this.pool.query<EventRow>({
      name: 'es_read_all_after',
      text: `${SELECT_EVENT} WHERE ${VISIBLE} AND (transaction_id, global_position) > ($1::text::xid8, $2::bigint)
             ORDER BY transaction_id, global_position LIMIT $3`,
      values: [after.commit.toString(), after.prepare.toString(), maxCount],
    });
    return rows.map(toEvent);
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): Subscription {
    if (this.closed) throw new Error('The event store is closed');
    const from =
      options.fromPosition === undefined || options.fromPosition === 'start' ? START : options.fromPosition;
    void this.listen();
    const sub = new PgSubscription(this, from, this.options.subscriptionPageSize ?? 1000, () =>
      this.subscriptions.delete(sub),
    );
    this.subscriptions.add(sub);
    return sub;
  }

  /** Resolves after a wake-up or after `ms`, whichever comes first. */
  waitForChange(ms = this.options.pollIntervalMs ?? 1000): Promise<void> {
    return this.signal.wait(ms);
  }

  /** Wakes every waiting subscription (used when one stops). */
  wake(): void {
    this.signal.notify();
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.unsubscribe()));
    // A notification still due or on its way needs a pool client: send or finish it before the pool is ended.
    if (this.notifyTimer) {
      clearTimeout(this.notifyTimer);
      this.notifyTimer = null;
      this.notifyNow();
    }
    await this.notifyInFlight;
    await this.listening; // a LISTEN connection being opened ends itself once it sees the store closed
    const listener = this.listener;
    this.listener = null;
    if (listener) await listener.end().catch(() => undefined);
  }

  private committed(position: Position): void {
    if (comparePositions(position, this.knownHead) > 0) this.knownHead = position;
    this.signal.notify();
    if (this.options.notify !== false) this.sendNotify();
  }

  /**
   * NOTIFY for other processes, outside the append's round trip and throttled: the first append after a quiet
   * spell is announced at once (another instance may be waiting to project it, and its writer for that), the
   * ones that follow within `notifyIntervalMs` of a notice together at the end of that interval (one always
   * follows the last append); one in flight at a time. Subscribers in this process were already woken by the
   * in-process signal.
   */
  private sendNotify(): void {
    if (this.notifyTimer) return;
    const wait = this.notifiedAt + (this.options.notifyIntervalMs ?? 10) - Date.now();
    if (wait <= 0) {
      this.notifyNow();
      return;
    }
    this.notifyTimer = setTimeout(() => {
      this.notifyTimer = null;
      this.notifyNow();
    }, wait);
    this.notifyTimer.unref();
  }

  private notifyNow(): void {
    if (this.notifyInFlight) {
      this.notifyPending = true;
      return;
    }
    this.notifiedAt = Date.now();
    const head = `${this.knownHead.commit}/${this.knownHead.prepare}`;
    this.notifyInFlight = this.pool
      .query('SELECT pg_notify($1, $2)', [NOTIFY_CHANNEL, head])
      .then(
        () => undefined,
        () => undefined, // subscribers fall back to polling
      )
      .finally(() => {
        this.notifyInFlight = null;
        if (this.notifyPending && !this.closed) {
          this.notifyPending = false;
          this.notifyNow();
        }
      });
  }

  /** One LISTEN connection per store, opened with the first subscription, reopened if it drops. */
  private listen(): Promise<void> {
    if (this.listening || this.closed) return this.listening ?? Promise.resolve();
    this.listening = (async () => {
      const opts = (this.pool as unknown as { options: pg.ClientConfig }).options;
      const client = new pg.Client(opts);
      client.on('notification', (msg) => {
        const m = /^(\d+)\/(\d+)$/.exec(msg.payload ?? '');
        if (m) {
          const p = { commit: BigInt(m[1]), prepare: BigInt(m[2]) };
          if (comparePositions(p, this.knownHead) > 0) this.knownHead = p;
        }
        this.signal.notify();
      });
      const retry = () => {
        if (this.listener === client) this.listener = null;
        this.listening = null;
        client.end().catch(() => undefined);
        if (!this.closed && this.subscriptions.size > 0) setTimeout(() => void this.listen(), 1000).unref();
      };
      client.on('error', retry);
      try {
        await client.connect();
        await client.query(`LISTEN ${NOTIFY_CHANNEL}`);
        if (this.closed) {
          await client.end();
          return;
        }
        this.listener = client;
      } catch {
        retry();
      }
    })();
    return this.listening;
  }
}

class PgSubscription implements Subscription {
  private stopped = false;
  /** A caughtUp has been delivered since the last event: a read that finds nothing new says nothing. */
  private caughtUpDelivered = false;

  constructor(
    private readonly store: PostgresEventStore,
    private position: Position,
    private readonly pageSize: number,
    private readonly onStop: () => void,
  ) {}

  async *[Symbol.asyncIterator](): AsyncIterator<SubscriptionMessage> {
    let retryDelay = 2;
    while (!this.stopped) {
      const page = await this.store.readAllAfter(this.position, this.pageSize);
      for (const event of page) {
        if (this.stopped) return;
        this.position = event.position;
        this.caughtUpDelivered = false;
        yield { type: 'event', event };
      }
      if (page.length === this.pageSize) continue;
      if (this.stopped) return;
      if (!this.caughtUpDelivered) {
        this.caughtUpDelivered = true;
        yield {
          type: 'caughtUp',
          position: page.length > 0 || comparePositions(this.position, START) > 0 ? this.position : null,
        };
      }
      if (comparePositions(this.position, this.store.knownHead) < 0) {
        // The head moved while this page was read: what committed since is most likely readable now, and a wait
        // for a hidden commit starts short again.
        if (page.length > 0) {
          retryDelay = 2;
          continue;
        }
        // A commit we know of is still hidden behind an older running transaction: look again soon.
        await new Promise((r) => setTimeout(r, retryDelay));
        retryDelay = Math.min(retryDelay * 2, 100);
      } else {
        retryDelay = 2;
        await this.store.waitForChange();
      }
    }
  }

  async unsubscribe(): Promise<void> {
    this.stopped = true;
    this.onStop();
    this.store.wake();
  }
}
