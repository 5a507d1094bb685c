/**
 * The PostgreSQL event store's schema, as migrations (see migration.ts), never `synchronize`. Each version's SQL is
 * frozen once released: a change is a new version that upgrades the one before.
 *
 * Global order is (transaction_id, global_position): a reader only reads rows whose transaction id is below a
 * horizon no appending transaction still running is below, so a transaction that commits late, holding a lower
 * identity value, can never be skipped by a reader that has already moved past it. Version 1 took the oldest
 * transaction running anywhere on the server (`pg_snapshot_xmin`) as that horizon; version 2 (`es_horizon`) only
 * the transactions that append to this store.
 */

/** Version 1 (migration CreateEventStore1732500000000): tables, es_append, es_append_retry. Frozen. */
export const EVENT_STORE_SCHEMA_V1_UP: readonly string[] = [
  `CREATE TABLE es_streams (
     stream_id text PRIMARY KEY,
     revision bigint NOT NULL
   )`,
  `CREATE TABLE es_events (
     transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
     global_position bigint GENERATED ALWAYS AS IDENTITY,
     stream_id text NOT NULL,
     revision bigint NOT NULL,
     event_id uuid NOT NULL,
     event_type text NOT NULL,
     data jsonb NOT NULL,
     metadata jsonb NOT NULL,
     recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
     CONSTRAINT es_events_pkey PRIMARY KEY (transaction_id, global_position),
     CONSTRAINT es_events_stream_revision UNIQUE (stream_id, revision),
     CONSTRAINT es_events_event_id UNIQUE (event_id)
   )`,
  // Appends in one round trip. p_expected: >= 0 exact revision, -1 no_stream, -2 any, -3 stream_exists.
  // Raises SQLSTATE 'ES409' (detail: the actual revision, or 'no_stream') on a wrong expected version, and
  // 'ES410' when an event id is already stored but this is not a retry of the same append.
  `CREATE FUNCTION es_append(
     p_stream text, p_expected bigint, p_ids uuid[], p_types text[], p_data jsonb[], p_meta jsonb[]
   ) RETURNS TABLE (next_revision bigint, commit_position text, prepare_position bigint)
   LANGUAGE plpgsql AS $fn$
   DECLARE
     n bigint := cardinality(p_ids);
     v_last bigint;
     v_first_existing bigint;
     v_actual bigint;
   BEGIN
     IF p_expected IN (-2, -3) THEN
       -- 'any' and 'stream_exists' cannot detect a retry by revision: look for the first id.
       SELECT e.revision INTO v_first_existing FROM es_events e
        WHERE e.event_id = p_ids[1] AND e.stream_id = p_stream;
       IF FOUND THEN
         RETURN QUERY SELECT * FROM es_append_retry(p_stream, v_first_existing, p_ids);
         RETURN;
       END IF;
     END IF;

     IF p_expected = -2 THEN
       INSERT INTO es_streams AS s (stream_id, revision) VALUES (p_stream, n - 1)
         ON CONFLICT (stream_id) DO UPDATE SET revision = s.revision + n
         RETURNING s.revision INTO v_last;
     ELSIF p_expected = -1 THEN
       INSERT INTO es_streams (stream_id, revision) VALUES (p_stream, n - 1)
         ON CONFLICT (stream_id) DO NOTHING
         RETURNING revision INTO v_last;
     ELSIF p_expected = -3 THEN
       UPDATE es_streams SET revision = revision + n WHERE stream_id = p_stream RETURNING revision INTO v_last;
     ELSE
       UPDATE es_streams SET revision = revision + n WHERE stream_id = p_stream AND revision = p_expected
         RETURNING revision INTO v_last;
     END IF;

     IF v_last IS NULL THEN
       -- A retry of an append that already succeeded is answered with its original result.
       IF p_expected >= -1 THEN
         SELECT e.revision INTO v_first_existing FROM es_events e
          WHERE e.event_id = p_ids[1] AND e.stream_id = p_stream AND e.revision = p_expected + 1;
         IF FOUND THEN
           RETURN QUERY SELECT * FROM es_append_retry(p_stream, v_first_existing, p_ids);
           RETURN;
         END IF;
       END IF;
       SELECT s.revision INTO v_actual FROM es_streams s WHERE s.stream_id = p_stream;
       RAISE EXCEPTION 'wrong expected version' USING ERRCODE = 'ES409',
         DETAIL = COALESCE(v_actual::text, 'no_stream');
     END IF;

     -- A unique violation on es_events_event_id (an id stored in another stream) reaches the caller.
     RETURN QUERY
       WITH ins AS (
         INSERT INTO es_events (stream_id, revision, event_id, event_type, data, metadata)
         SELECT p_stream, v_last - n + t.ord, t.id, t.type, t.data, t.meta
           FROM unnest(p_ids, p_types, p_data, p_meta) WITH ORDINALITY AS t(id, type, data, meta, ord)
         RETURNING global_position
       )
       SELECT v_last, pg_current_xact_id()::text, max(ins.global_position) FROM ins;
   END
   $fn$`,
  // The answer to a retried append: every id must be stored in this stream from v_first on, in order.
  `CREATE FUNCTION es_append_retry(p_stream text, p_first bigint, p_ids uuid[])
   RETURNS TABLE (next_revision bigint, commit_position text, prepare_position bigint)
   LANGUAGE plpgsql AS $fn$
   DECLARE
     v_matched bigint;
   BEGIN
     SELECT count(*) INTO v_matched
       FROM unnest(p_ids) WITH ORDINALITY AS t(id, ord)
       JOIN es_events e ON e.event_id = t.id AND e.stream_id = p_stream AND e.revision = p_first + t.ord - 1;
     IF v_matched <> cardinality(p_ids) THEN
       RAISE EXCEPTION 'duplicate event id' USING ERRCODE = 'ES410';
     END IF;
     RETURN QUERY
       SELECT e.revision, e.transaction_id::text, e.global_position FROM es_events e
        WHERE e.stream_id = p_stream AND e.revision = p_first + cardinality(p_ids) - 1;
   END
   $fn$`,
];

export const EVENT_STORE_SCHEMA_V1_DOWN: readonly string[] = [
  'DROP FUNCTION IF EXISTS es_append_retry(text, bigint, uuid[])',
  'DROP FUNCTION IF EXISTS es_append(text, bigint, uuid[], text[], jsonb[], jsonb[])',
  'DROP TABLE IF EXISTS es_events',
  'DROP TABLE IF EXISTS es_streams',
];

/**
 * Claims, in `es_commands`, the command ids the events' metadata carries (`commandId`, `commandDigest`): the first
 * stream each was used on. Version 2 backfills with it; an import of a whole log (backup.ts) fills the table with it.
 */
export const CLAIM_LOGGED_COMMANDS = `INSERT INTO es_commands (command_id, stream_id, digest)
   SELECT DISTINCT ON (metadata->>'commandId') metadata->>'commandId', stream_id, metadata->>'commandDigest'
     FROM es_events WHERE metadata ? 'commandId'
    ORDER BY metadata->>'commandId', transaction_id, global_position`;

/**
 * Version 2 (migration EventStoreHorizonAndCommands1796608000000), upgrading version 1. Frozen once released.
 *
 * **The log's horizon depends only on this store's appenders.** Every transaction that writes `es_events` holds a
 * write lock on that table until it ends (an INSERT takes ROW EXCLUSIVE; es_append takes it explicitly as its first
 * act), and takes it *before* its transaction id is assigned: the store's own appends are single statements, whose
 * table locks are taken before they run, and es_append refuses to run in a transaction that wrote something else
 * first (SQLSTATE ES412; a second es_append in one transaction is fine). `es_horizon()` (a STABLE function, so it
 * sees the calling statement's snapshot S) is then the oldest transaction id in S's in-progress list, leaving out
 * those that a scan of pg_locks (made after S was taken) shows holding their id without that lock and that are
 * still in progress after the scan: such a transaction already has its id, so it can never take the lock and write
 * an event. (Without the second condition a committed appender could be passed over: a transaction releases its
 * table locks before its id's lock, so in that moment it looks like one without the lock.) Every other id in the list counts: one that
 * holds the lock, one that ended between S and the scan (its events, if any, are not in S), and one whose own
 * transaction-id lock is not yet registered (it enters the in-progress list a moment before that lock). With none
 * left, the horizon is S's xmax. So every event below the horizon was committed before S (or rolled back), and a
 * reader that has passed a position never meets a later commit below it; a transaction that merely holds an id in
 * another database of the same server (or in this one, without writing events) no longer holds the log back.
 *
 * **Command ids name one command across the store.** `es_commands` holds, per command id, the stream it was first
 * used on and the command's digest (null for ids claimed before digests were kept, as the backfill below does).
 * The store's own appends claim an id in the same statement as the events; es_append takes `p_command`/`p_digest`
 * and raises SQLSTATE ES411 (detail: the stream the id was used on) when the id names another stream, or another
 * digest on this one.
 */
export const EVENT_STORE_SCHEMA_V2_UP: readonly string[] = [
  `CREATE TABLE es_commands (
     command_id text PRIMARY KEY,
     stream_id text NOT NULL,
     digest text
   )`,
  // Command ids already used (by the decider's metadata): the first stream each was used on.
  CLAIM_LOGGED_COMMANDS,
  `CREATE FUNCTION es_horizon() RETURNS xid8 LANGUAGE plpgsql STABLE AS $fn$
   DECLARE
     v_snap pg_snapshot := pg_current_snapshot();
     v_quiet bigint[];
     v_oldest xid8;
   BEGIN
     IF pg_snapshot_xmin(v_snap) = pg_snapshot_xmax(v_snap) THEN
       RETURN pg_snapshot_xmax(v_snap); -- no transaction running anywhere
     END IF;
     -- First, one scan of the lock table (pg_locks is a function: each reference would scan again, at another
     -- moment): transactions with an id and no write lock on es_events.
     WITH locks AS MATERIALIZED (
       SELECT locktype, database, relation, transactionid, virtualtransaction, mode, granted FROM pg_locks
     )
     SELECT coalesce(array_agg(t.transactionid::text::bigint), '{}') INTO v_quiet FROM locks t
      WHERE t.locktype = 'transactionid' AND t.mode = 'ExclusiveLock' AND t.granted
        AND NOT EXISTS (
          SELECT 1 FROM locks r
           WHERE r.virtualtransaction = t.virtualtransaction AND r.locktype = 'relation'
             AND r.relation = 'es_events'::regclass
             AND r.database = (SELECT oid FROM pg_database WHERE datname = current_database())
             AND r.mode IN ('RowExclusiveLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock'));
     -- Then, after the scan, of those only the ones still running: a transaction that has committed releases its
     -- table locks before its own id's lock, so for a moment a committed appender looks quiet. Still running
     -- now, it was running at the scan, before releasing any lock: with no lock on es_events then, it never
     -- appends.
     SELECT min(x) INTO v_oldest FROM pg_snapshot_xip(v_snap) AS x
      WHERE NOT ((x::text::bigint % 4294967296) = ANY (v_quiet) AND pg_xact_status(x) = 'in progress');
     RETURN coalesce(v_oldest, pg_snapshot_xmax(v_snap));
   END
   $fn$`,
  // Claims p_command for p_stream and p_digest (p_claim), or checks that it names that command (a retry): raises
  // ES411 when the id was used on another stream, or with another digest (both known) on this one.
  `CREATE FUNCTION es_claim_command(p_command text, p_stream text, p_digest text, p_claim boolean)
   RETURNS void LANGUAGE plpgsql AS $fn$
   DECLARE
     v_used_on text;
     v_used_digest text;
   BEGIN
     IF p_command IS NULL THEN
       RETURN;
     END IF;
     IF p_claim THEN
       INSERT INTO es_commands (command_id, stream_id, digest) VALUES (p_command, p_stream, p_digest)
         ON CONFLICT (command_id) DO NOTHING;
       IF FOUND THEN
         RETURN;
       END IF;
     END IF;
     SELECT c.stream_id, c.digest INTO v_used_on, v_used_digest FROM es_commands c WHERE c.command_id = p_command;
     IF v_used_on <> p_stream OR v_used_digest <> p_digest THEN
       RAISE EXCEPTION 'command id used for another command' USING ERRCODE = 'ES411', DETAIL = v_used_on;
     END IF;
   END
   $fn$`,
  'DROP FUNCTION es_append(text, bigint, uuid[], text[], jsonb[], jsonb[])',
  // As version 1, plus: the write lock on es_events first (see es_horizon), and the command id's claim.
  `CREATE FUNCTION es_append(
     p_stream text, p_expected bigint, p_ids uuid[], p_types text[], p_data jsonb[], p_meta jsonb[],
     p_command text DEFAULT NULL, p_digest text DEFAULT NULL
   ) RETURNS TABLE (next_revision bigint, commit_position text, prepare_position bigint)
   LANGUAGE plpgsql AS $fn$
   DECLARE
     n bigint := cardinality(p_ids);
     v_last bigint;
     v_first_existing bigint;
     v_actual bigint;
   BEGIN
     -- A transaction id taken before the lock could be passed by a reader before this transaction shows as an
     -- appender: refuse, unless an earlier es_append in this transaction took the lock first.
     IF pg_current_xact_id_if_assigned() IS NOT NULL
        AND current_setting('es.appending', true) IS DISTINCT FROM 'on' THEN
       RAISE EXCEPTION 'es_append must come before any other write in its transaction' USING ERRCODE = 'ES412';
     END IF;
     LOCK TABLE es_events IN ROW EXCLUSIVE MODE;
     PERFORM set_config('es.appending', 'on', true);

     IF p_expected IN (-2, -3) THEN
       -- 'any' and 'stream_exists' cannot detect a retry by revision: look for the first id.
       SELECT e.revision INTO v_first_existing FROM es_events e
        WHERE e.event_id = p_ids[1] AND e.stream_id = p_stream;
       IF FOUND THEN
         -- A retry under a command id must be the same command (the event ids derive from the id).
         PERFORM es_claim_command(p_command, p_stream, p_digest, false);
         RETURN QUERY SELECT * FROM es_append_retry(p_stream, v_first_existing, p_ids);
         RETURN;
       END IF;
     END IF;

     IF p_expected = -2 THEN
       INSERT INTO es_streams AS s (stream_id, revision) VALUES (p_stream, n - 1)
         ON CONFLICT (stream_id) DO UPDATE SET revision = s.revision + n
         RETURNING s.revision INTO v_last;
     ELSIF p_expected = -1 THEN
       INSERT INTO es_streams (stream_id, revision) VALUES (p_stream, n - 1)
         ON CONFLICT (stream_id) DO NOTHING
         RETURNING revision INTO v_last;
     ELSIF p_expected = -3 THEN
       UPDATE es_streams SET revision = revision + n WHERE stream_id = p_stream RETURNING revision INTO v_last;
     ELSE
       UPDATE es_streams SET revision = revision + n WHERE stream_id = p_stream AND revision = p_expected
         RETURNING revision INTO v_last;
     END IF;

     IF v_last IS NULL THEN
       -- A retry of an append that already succeeded is answered with its original result.
       IF p_expected >= -1 THEN
         SELECT e.revision INTO v_first_existing FROM es_events e
          WHERE e.event_id = p_ids[1] AND e.stream_id = p_stream AND e.revision = p_expected + 1;
         IF FOUND THEN
           PERFORM es_claim_command(p_command, p_stream, p_digest, false);
           RETURN QUERY SELECT * FROM es_append_retry(p_stream, v_first_existing, p_ids);
           RETURN;
         END IF;
       END IF;
       SELECT s.revision INTO v_actual FROM es_streams s WHERE s.stream_id = p_stream;
       RAISE EXCEPTION 'wrong expected version' USING ERRCODE = 'ES409',
         DETAIL = COALESCE(v_actual::text, 'no_stream');
     END IF;

     PERFORM es_claim_command(p_command, p_stream, p_digest, true);

     -- A unique violation on es_events_event_id (an id stored in another stream) reaches the caller.
     RETURN QUERY
       WITH ins AS (
         INSERT INTO es_events (stream_id, revision, event_id, event_type, data, metadata)
         SELECT p_stream, v_last - n + t.ord, t.id, t.type, t.data, t.meta
           FROM unnest(p_ids, p_types, p_data, p_meta) WITH ORDINALITY AS t(id, type, data, meta, ord)
         RETURNING global_position
       )
       SELECT v_last, pg_current_xact_id()::text, max(ins.global_position) FROM ins;
   END
   $fn$`,
];

export const EVENT_STORE_SCHEMA_V2_DOWN: readonly string[] = [
  'DROP FUNCTION IF EXISTS es_append(text, bigint, uuid[], text[], jsonb[], jsonb[], text, text)',
  EVENT_STORE_SCHEMA_V1_UP[2], // version 1's es_append
  'DROP FUNCTION IF EXISTS es_claim_command(text, text, text, boolean)',
  'DROP FUNCTION IF EXISTS es_horizon()',
  'DROP TABLE IF EXISTS es_commands',
];

/** The whole current schema, for a fresh database (tests, benchmarks): every version in order. */
export const EVENT_STORE_SCHEMA_UP: readonly string[] = [
  ...EVENT_STORE_SCHEMA_V1_UP,
  ...EVENT_STORE_SCHEMA_V2_UP,
];
export const EVENT_STORE_SCHEMA_DOWN: readonly string[] = [
  ...EVENT_STORE_SCHEMA_V2_DOWN,
  ...EVENT_STORE_SCHEMA_V1_DOWN,
];
