import { createHash } from 'node:crypto';
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { createInterface } from 'node:readline';
import pg from 'pg';
import Cursor from 'pg-cursor';
import { canonicalJson } from '../decider.js';
import { type Position, positionToString } from '../types.js';
import { CLAIM_LOGGED_COMMANDS } from './schema.js';

/**
 * The event log as a file (a logical backup): NDJSON, one JSON object a line.
 *
 * - The first line says what the file is: `{"format":"iap-event-log","version":1,"exportedAt":…,"after":…}`
 *   (`after`: null for the whole log, else the position the export started after).
 * - Then one line per event, in log order: `{"event":{…},"sha256":"…"}`, where `sha256` is the SHA-256 (hex) of
 *   the event's canonical JSON (keys sorted, no spaces: `canonicalJson`), so a line can be checked alone and a
 *   reformatted file still checks. The event holds `id`, `streamId`, `revision`, `type`, `data`, `metadata`,
 *   `recordedAt` (to the microsecond, as PostgreSQL keeps it) and `position` (where it was in the exported log).
 * - The last line closes the file: `{"end":{"events":N,"last":…,"sha256":"…"}}`, whose `sha256` is the SHA-256 of
 *   every byte before that line. A file without it was cut short.
 */
export const EVENT_LOG_FORMAT = 'iap-event-log';
export const EVENT_LOG_VERSION = 1;

interface Header {
  readonly format: string;
  readonly version: number;
  readonly exportedAt: string;
  readonly after: string | null;
}

/** One event as the file holds it. */
export interface LoggedEvent {
  readonly id: string;
  readonly streamId: string;
  readonly revision: number;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: Record<string, unknown>;
  /** ISO 8601 in UTC, to the microsecond. */
  readonly recordedAt: string;
  /** `commit/prepare` in the exported log. */
  readonly position: string;
}

export interface ExportResult {
  readonly events: number;
  /** The position of the last event written (null if none): give it as `after` to export what follows. */
  readonly last: string | null;
  readonly sha256: string;
}

export interface ImportResult {
  readonly events: number;
  readonly streams: number;
  readonly sha256: string;
}

/** A file refused by `importEventLog`: nothing was written. */
export class EventLogFileError extends Error {
  override readonly name = 'EventLogFileError';
  constructor(
    message: string,
    /** The line at fault (1-based), when there is one. */
    readonly line?: number,
  ) {
    super(line === undefined ? message : `Line ${line}: ${message}`);
  }
}

/** The store already holds events: an import would mix two logs. Nothing was written. */
export class EventStoreNotEmptyError extends Error {
  override readonly name = 'EventStoreNotEmptyError';
  constructor(readonly events: number) {
    super(
      `The event store is not empty (it holds ${events} event${events === 1 ? '' : 's'}): ` +
        'import into a new, empty database',
    );
  }
}

const RECORDED_AT = `to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

interface ExportRow {
  c: string;
  p: string;
  stream_id: string;
  revision: string;
  event_id: string;
  event_type: string;
  data: unknown;
  metadata: Record<string, unknown>;
  recorded_at: string;
}

/** How long an export waits for appends committed before it to pass the log's horizon. */
const HORIZON_WAIT_MS = 5000;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Writes the log (or what follows `after`) to `out` in the file format above, reading it through a cursor a page
 * at a time and waiting for `out` to drain: memory holds one page, whatever the log's length. The events are those
 * committed when the export starts (one snapshot, below the log's horizon, as readers see it; it first waits a
 * moment for appends committed just before it to pass the horizon).
 */
export async function exportEventLog(
  pool: pg.Pool,
  out: Writable,
  options: { after?: Position; pageSize?: number; onProgress?: (events: number) => void } = {},
): Promise<ExportResult> {
  const fileHash = createHash('sha256');
  const write = async (line: string) => {
    const text = `${line}\n`;
    fileHash.update(text);
    if (!out.write(text)) await once(out, 'drain');
  };
  const header: Header = {
    format: EVENT_LOG_FORMAT,
    version: EVENT_LOG_VERSION,
    exportedAt: new Date().toISOString(),
    after: options.after ? positionToString(options.after) : null,
  };
  await write(JSON.stringify(header));

  const client = await pool.connect();
  let events = 0;
  let last: string | null = null;
  try {
    // Every append committed before the export began is in it: wait (up to HORIZON_WAIT_MS) until the log's
    // horizon has passed them all. An append still running then is left to the next export, as readers leave it.
    const deadline = Date.now() + HORIZON_WAIT_MS;
    for (;;) {
      const { rows } = await client.query<{ clear: boolean }>(
        'SELECT coalesce((SELECT max(transaction_id) FROM es_events) < es_horizon(), true) AS clear',
      );
      if (rows[0].clear || Date.now() >= deadline) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    const after = options.after ? [options.after.commit.toString(), options.after.prepare.toString()] : null;
    const cursor = client.query(
      new Cursor<ExportRow>(
        `SELECT transaction_id::text AS c, global_position::text AS p, stream_id, revision::text, event_id,
                event_type, data, metadata, ${RECORDED_AT} AS recorded_at
           FROM es_events
          WHERE transaction_id < (SELECT es_horizon())
            AND ($1::text IS NULL OR (transaction_id, global_position) > ($1::text::xid8, $2::bigint))
          ORDER BY transaction_id, global_position`,
        [after?.[0] ?? null, after?.[1] ?? null],
      ),
    );
    try {
      for (;;) {
        const rows = await cursor.read(options.pageSize ?? 2000);
        if (rows.length === 0) break;
        for (const row of rows) {
          last = `${row.c}/${row.p}`;
          const event: LoggedEvent = {
            id: row.event_id,
            streamId: row.stream_id,
            revision: Number(row.revision),
            type: row.event_type,
            data: row.data,
            metadata: row.metadata,
            recordedAt: row.recorded_at,
            position: last,
          };
          const content = canonicalJson(event);
          await write(`{"event":${content},"sha256":"${sha256(content)}"}`);
        }
        events += rows.length;
        options.onProgress?.(events);
      }
    } finally {
      await cursor.close();
    }
  } finally {
    client.release();
  }
  const digest = fileHash.digest('hex');
  const end = `${JSON.stringify({ end: { events, last, sha256: digest } })}\n`;
  if (!out.write(end)) await once(out, 'drain');
  return { events, last, sha256: digest };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The event of a line, checked against its checksum and for the fields the store needs. */
function readEventLine(value: unknown, line: number): LoggedEvent {
  if (!isObject(value) || !isObject(value.event) || typeof value.sha256 !== 'string')
    throw new EventLogFileError('not an event line ({"event":{…},"sha256":"…"}) nor the closing line', line);
  const e = value.event;
  if (sha256(canonicalJson(e)) !== value.sha256.toLowerCase())
    throw new EventLogFileError(
      `the event's checksum does not match its content (sha256 ${value.sha256})`,
      line,
    );
  const bad = (field: string, why: string) => new EventLogFileError(`event.${field} ${why}`, line);
  if (typeof e.id !== 'string' || !UUID.test(e.id)) throw bad('id', 'must be a UUID');
  if (typeof e.streamId !== 'string' || e.streamId === '')
    throw bad('streamId', 'must be a non-empty string');
  if (typeof e.revision !== 'number' || !Number.isSafeInteger(e.revision) || e.revision < 0)
    throw bad('revision', 'must be a whole number from 0');
  if (typeof e.type !== 'string' || e.type === '') throw bad('type', 'must be a non-empty string');
  if (e.data === undefined) throw bad('data', 'is missing');
  if (!isObject(e.metadata)) throw bad('metadata', 'must be an object');
  if (
    typeof e.recordedAt !== 'string' ||
    !INSTANT.test(e.recordedAt) ||
    Number.isNaN(Date.parse(e.recordedAt))
  )
    throw bad('recordedAt', 'must be an instant in UTC (2019-12-03T09:54:33.123456Z)');
  return e as unknown as LoggedEvent;
}

/**
 * Loads a file written by `exportEventLog` into an empty store, in one transaction: every line's checksum, the
 * file's checksum (its closing line) and each event's fields are checked as it is read, and any fault, a store
 * that is not empty, or a log whose streams' revisions do not run 0, 1, 2… in log order rolls the whole import
 * back: nothing is written. Events keep their ids, streams, revisions, types, data, metadata and recorded times,
 * and their order; they get new positions in this store's log. Command ids named in their metadata are claimed
 * again. Memory holds one batch of events, whatever the file's length. The store is locked against appends while
 * it runs (readers go on). `input` is destroyed once the import ends, done or refused.
 */
export async function importEventLog(
  pool: pg.Pool,
  input: Readable,
  options: { batchSize?: number; onProgress?: (events: number) => void } = {},
): Promise<ImportResult> {
  const batchSize = options.batchSize ?? 2000;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // EXCLUSIVE: no append (each takes ROW EXCLUSIVE first) while the import runs, and readers wait behind the
    // whole import (es_horizon counts this transaction as an appender), never seeing part of it.
    await client.query('LOCK TABLE es_events, es_streams, es_commands IN EXCLUSIVE MODE');
    const [{ n }] = (await client.query<{ n: string }>('SELECT count(*)::text AS n FROM es_events')).rows;
    if (Number(n) > 0) throw new EventStoreNotEmptyError(Number(n));
    const [{ s }] = (
      await client.query<{ s: string }>(
        'SELECT ((SELECT count(*) FROM es_streams) + (SELECT count(*) FROM es_commands))::text AS s',
      )
    ).rows;
    if (Number(s) > 0) throw new EventStoreNotEmptyError(0);

    const fileHash = createHash('sha256');
    let header: Header | null = null;
    let end: { events: unknown; sha256: unknown } | null = null;
    let lineNo = 0;
    let events = 0;
    let batch: LoggedEvent[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      await client.query({
        name: 'es_import_batch',
        text: `INSERT INTO es_events (stream_id, revision, event_id, event_type, data, metadata, recorded_at)
               SELECT * FROM unnest($1::text[], $2::bigint[], $3::uuid[], $4::text[], $5::jsonb[], $6::jsonb[],
                                    $7::timestamptz[])`,
        values: [
          batch.map((e) => e.streamId),
          batch.map((e) => String(e.revision)),
          batch.map((e) => e.id),
          batch.map((e) => e.type),
          batch.map((e) => JSON.stringify(e.data)),
          batch.map((e) => JSON.stringify(e.metadata)),
          batch.map((e) => e.recordedAt),
        ],
      });
      events += batch.length;
      batch = [];
      options.onProgress?.(events);
    };

    const lines = createInterface({ input, crlfDelay: Infinity });
    for await (const line of lines) {
      lineNo += 1;
      if (end) {
        if (line.trim() === '') continue;
        throw new EventLogFileError('there is more after the closing line', lineNo);
      }
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        throw new EventLogFileError('is not JSON', lineNo);
      }
      if (!header) {
        if (!isObject(value) || value.format !== EVENT_LOG_FORMAT)
          throw new EventLogFileError(
            `is not an event log exported by events:export (no "${EVENT_LOG_FORMAT}")`,
            1,
          );
        if (value.version !== EVENT_LOG_VERSION)
          throw new EventLogFileError(`format version ${String(value.version)} is not known (expected 1)`, 1);
        if (value.after !== null)
          throw new EventLogFileError(
            `the export holds only the events after ${String(value.after)}, not the whole log: import a whole export`,
            1,
          );
        header = value as unknown as Header;
      } else if (isObject(value) && isObject(value.end)) {
        end = value.end as { events: unknown; sha256: unknown };
        const digest = fileHash.digest('hex');
        if (end.sha256 !== digest)
          throw new EventLogFileError(
            `the file's checksum does not match its content (the closing line says ${String(end.sha256)}, ` +
              `the lines before it give ${digest})`,
            lineNo,
          );
        await flush();
        if (end.events !== events)
          throw new EventLogFileError(
            `the closing line counts ${String(end.events)} events, the file holds ${events}`,
            lineNo,
          );
        continue;
      } else {
        batch.push(readEventLine(value, lineNo));
        if (batch.length >= batchSize) await flush();
      }
      fileHash.update(`${line}\n`);
    }
    if (!header) throw new EventLogFileError('The file is empty');
    if (!end) throw new EventLogFileError('The file ends without its closing line: it was cut short');

    // Every stream's events must run 0, 1, 2… in log order.
    const broken = await client.query<{ stream_id: string; revision: string; expected: string }>(
      `SELECT stream_id, revision::text, expected::text FROM (
         SELECT stream_id, revision,
                row_number() OVER (PARTITION BY stream_id ORDER BY global_position) - 1 AS expected
           FROM es_events) r
        WHERE revision <> expected
        ORDER BY stream_id LIMIT 1`,
    );
    if (broken.rows.length > 0) {
      const b = broken.rows[0];
      throw new EventLogFileError(
        `Stream "${b.stream_id}" has revision ${b.revision} where ${b.expected} belongs: ` +
          "a stream's revisions must run 0, 1, 2… in log order",
      );
    }
    const streams = await client.query(
      'INSERT INTO es_streams (stream_id, revision) SELECT stream_id, max(revision) FROM es_events GROUP BY stream_id',
    );
    await client.query(CLAIM_LOGGED_COMMANDS);
    await client.query('COMMIT');
    return { events, streams: streams.rowCount ?? 0, sha256: String(end.sha256) };
  } catch (err) {
    const e = err as { code?: string; constraint?: string; detail?: string };
    await client.query('ROLLBACK').catch(() => undefined);
    if (e.code === '23505' && e.constraint === 'es_events_event_id')
      throw new EventLogFileError(`An event id appears twice in the file (${e.detail ?? ''})`);
    if (e.code === '23505' && e.constraint === 'es_events_stream_revision')
      throw new EventLogFileError(`A stream's revision appears twice in the file (${e.detail ?? ''})`);
    throw err;
  } finally {
    client.release();
    // The file is read no further, whether it was all read or refused part-way.
    input.destroy();
  }
}
