import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { EntityManager } from 'typeorm';

/** COPY sends its lines in chunks of about this many characters. */
const CHUNK_CHARS = 1 << 20;

/** The lines joined into chunks of about CHUNK_CHARS (so that a large COPY is neither a million writes nor one string). */
function* chunks(lines: Iterable<string>): Generator<string> {
  let chunk = '';
  for (const line of lines) {
    chunk += line;
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk.length > 0) yield chunk;
}

/**
 * Appends rows to `table` (a physical name) with `COPY ... FROM STDIN` on this pg client: `lines` in COPY's
 * text format (see copyLine), produced as they are sent. Returns how many rows were copied.
 */
export async function copyRows(
  client: pg.ClientBase,
  table: string,
  columns: readonly string[],
  lines: Iterable<string>,
): Promise<number> {
  const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  await pipeline(Readable.from(chunks(lines)), stream);
  return stream.rowCount;
}

/** The pg client under a TypeORM entity manager's query runner (a transaction's connection). */
export async function clientOf(manager: EntityManager): Promise<pg.ClientBase> {
  const runner = manager.queryRunner as unknown as { connect(): Promise<pg.ClientBase> } | undefined;
  if (!runner) throw new Error('COPY needs an entity manager with its own connection (a transaction)');
  return runner.connect();
}
