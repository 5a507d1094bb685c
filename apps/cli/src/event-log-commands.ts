import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { once } from 'node:events';
import pg from 'pg';
import {
  EventLogFileError,
  EventStoreNotEmptyError,
  exportEventLog,
  importEventLog,
  parsePosition,
} from '@iap/event-store';
import { GuardedClient, resolveDatabase } from '@iap/database';
import { loadConfig } from '../../server/src/config.js';
import { migrate } from '../../server/src/migrations.js';

export const EXPORT_USAGE = `Usage: npm run cli -- events:export [--from <position>] [--out <file>]

Writes the event log as NDJSON (one event a line, each with the SHA-256 of its content; a closing line with the
SHA-256 of the whole file) to <file>, or to standard output. --from <commit/prepare>: only the events after that
position (the "last" position a previous export's closing line gives), for an incremental copy.
`;

export const IMPORT_USAGE = `Usage: npm run cli -- events:import <file>

Loads a whole export of events:export into an empty event store (a new database), checking every line's and the
file's checksum first-to-last in one transaction: a file that fails, or a store that is not empty, is refused and
nothing is written. Then rebuilds every read model from the imported log (projections:rebuild --all).
`;

function refuse(message: string): number {
  process.stderr.write(`${message}\n`);
  return 2;
}

function eventStoreDbRefusal(): number | null {
  if (!loadConfig().eventStoreConnectionString) return null;
  return refuse(
    'Events are stored in EventStoreDB (EVENTSTORE_CONNECTION_STRING): back them up with its own tools ' +
      '(see the README, "Backups and restores"). events:export and events:import work on the PostgreSQL event store.',
  );
}

/** `events:export [--from <position>] [--out <file>]`: the log to a file (or standard output). */
export async function eventsExport(args: string[]): Promise<number> {
  let out: string | undefined;
  let from: string | undefined;
  for (let i = 0; i < args.length; i += 1) {
    if (args[i] === '--out' && args[i + 1]) out = args[++i];
    else if (args[i] === '--from' && args[i + 1]) from = args[++i];
    else return refuse(`Unknown or incomplete option "${args[i]}"\n\n${EXPORT_USAGE}`);
  }
  const after = from === undefined ? undefined : parsePosition(from);
  if (after === null)
    return refuse(`--from must be a position written as commit/prepare (e.g. 1234/56), not "${from}"`);
  const refused = eventStoreDbRefusal();
  if (refused !== null) return refused;

  const config = loadConfig();
  const db = await resolveDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const pool = new pg.Pool({ connectionString: db.url, max: 1, Client: GuardedClient });
  // Written beside the file and renamed when complete: a failed export never leaves a file that looks whole.
  const partial = out ? `${out}.partial` : undefined;
  try {
    const stream = partial ? createWriteStream(partial) : process.stdout;
    let reported = 0;
    const result = await exportEventLog(pool, stream, {
      after,
      onProgress: (events) => {
        if (Date.now() - reported > 2000) {
          reported = Date.now();
          process.stderr.write(`  ${events} events written\n`);
        }
      },
    });
    if (partial && out) {
      stream.end();
      await once(stream, 'finish');
      await rename(partial, out);
    }
    process.stderr.write(
      `Exported ${result.events} events${out ? ` to ${out}` : ''} (last position ${result.last ?? 'none'}, ` +
        `sha256 ${result.sha256})\n`,
    );
    return 0;
  } catch (err) {
    if (partial) await rm(partial, { force: true });
    throw err;
  } finally {
    await pool.end();
    await db.embedded?.stop();
  }
}

/** `events:import <file>`: a whole export into an empty store, then every read model rebuilt from it. */
export async function eventsImport(
  args: string[],
  rebuildAll: (databaseUrl: string) => Promise<void>,
): Promise<number> {
  if (args.length !== 1 || args[0].startsWith('--')) return refuse(IMPORT_USAGE);
  const file = args[0];
  const found = await stat(file).catch(() => null);
  if (!found?.isFile()) return refuse(`No file "${file}"`);
  const refused = eventStoreDbRefusal();
  if (refused !== null) return refused;

  const config = loadConfig();
  const db = await resolveDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrate(db.url);
    const pool = new pg.Pool({ connectionString: db.url, max: 1, Client: GuardedClient });
    try {
      let reported = 0;
      const started = Date.now();
      const result = await importEventLog(pool, createReadStream(file), {
        onProgress: (events) => {
          if (Date.now() - reported > 2000) {
            reported = Date.now();
            process.stdout.write(`  ${events} events loaded\n`);
          }
        },
      });
      process.stdout.write(
        `Imported ${result.events} events in ${result.streams} streams from ${file} in ` +
          `${((Date.now() - started) / 1000).toFixed(1)} s (sha256 ${result.sha256}). Rebuilding the read models…\n`,
      );
    } catch (err) {
      if (err instanceof EventLogFileError)
        return refuse(`Refusing ${file}: ${err.message}. Nothing was written.`);
      if (err instanceof EventStoreNotEmptyError)
        return refuse(
          `Refusing to import: ${err.message}. (If an earlier import loaded these events and only its rebuild ` +
            'failed, run `npm run cli -- projections:rebuild --all` instead.)',
        );
      throw err;
    } finally {
      await pool.end();
    }
    try {
      await rebuildAll(db.url);
    } catch (err) {
      process.stderr.write(
        `The events are imported, but the read models could not be rebuilt (${(err as Error).message}): ` +
          'run `npm run cli -- projections:rebuild --all` (the server, when it starts, also catches up from the log).\n',
      );
      return 1;
    }
    return 0;
  } finally {
    await db.embedded?.stop();
  }
}
