/**
 * The PostgreSQL event store's schema. Applied by a migration (see migration.ts), never by `synchronize`.
 *
 * Global order is (transaction_id, global_position): a reader only reads rows whose transaction id is below
 * the oldest transaction still running (`pg_snapshot_xmin`), so a transaction that commits late, holding a
 * lower identity value, can never be skipped by a reader that has already moved past it.
 */
export const EVENT_STORE_SCHEMA_UP: readonly string[] = [
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

export const EVENT_STORE_SCHEMA_DOWN: readonly string[] = [
  'DROP FUNCTION IF EXISTS es_append_retry(text, bigint, uuid[])',
  'DROP FUNCTION IF EXISTS es_append(text, bigint, uuid[], text[], jsonb[], jsonb[])',
  'DROP TABLE IF EXISTS es_events',
  'DROP TABLE IF EXISTS es_streams',
];
