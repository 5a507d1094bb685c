import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname ?? '.', '../..');

/** Compiles the server into a private directory (so overlapping test runs do not share `dist/`). */
export async function buildServer(): Promise<{ dir: string; main: string; remove(): Promise<void> }> {
  await mkdir(path.join(root, '.data'), { recursive: true }); // a fresh clone has none yet
  const dir = await mkdtemp(path.join(root, '.data', 'test-build-'));
  const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);
  await run(bin('tsc'), ['-p', 'tsconfig.build.json', '--outDir', dir], { cwd: root });
  await run(bin('tsc-alias'), ['-p', 'tsconfig.build.json', '--outDir', dir], { cwd: root });
  return {
    dir,
    main: path.join(dir, 'apps', 'server', 'src', 'main.js'),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly url: string;
  output(): string;
  /** How the process ended (null while it runs). */
  exited(): { code: number | null; signal: NodeJS.Signals | null } | null;
  /** Its state and the last `lines` lines of its stdout and stderr, for a failure message. */
  describe(lines?: number): string;
}

/** Output kept per server process: its last this many characters. */
const OUTPUT_KEPT = 256 * 1024;

/**
 * Starts the built server in its own process group (so it and its embedded PostgreSQL can be killed together),
 * with `nodeArgs` (e.g. `--import` of the tracing entry, as `npm start` gives it) before the script.
 */
export async function startServer(
  main: string,
  env: NodeJS.ProcessEnv,
  port: number,
  nodeArgs: readonly string[] = [],
): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...nodeArgs, main], {
    cwd: root,
    env: { ...env, PORT: String(port), HOST: '127.0.0.1' },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (d: Buffer) => {
    output += d;
    if (output.length > 2 * OUTPUT_KEPT) output = output.slice(-OUTPUT_KEPT);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let ended: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  child.once('exit', (code, signal) => (ended = { code, signal }));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output}`);
    try {
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ areas { code } }' }),
      });
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server did not answer within 60 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child,
    url,
    output: () => output,
    exited: () => ended,
    describe(lines = 40) {
      const state = ended
        ? `exited (code ${ended.code}, signal ${ended.signal})`
        : `running (pid ${child.pid})`;
      const tail = output.trimEnd().split('\n').slice(-lines).join('\n');
      return `server ${url}: ${state}; its last ${lines} lines of output:\n${tail || '(none)'}`;
    },
  };
}

/**
 * kill -9 of the server (its process group) and of its embedded database: the postmaster runs in a process
 * group of its own, which holds its backends too.
 */
export async function killServerAndDatabase(server: ServerProcess, dataDir: string): Promise<void> {
  const exited = server.child.exitCode === null ? new Promise((r) => server.child.once('exit', r)) : null;
  const postmaster = embeddedPid(dataDir);
  for (const pid of [server.child.pid!, postmaster]) {
    if (!pid) continue;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await exited;
  if (postmaster) {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && alive(postmaster)) await new Promise((r) => setTimeout(r, 20));
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function embeddedPid(dataDir: string): number | null {
  const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  return Number(readFileSync(pidFile, 'utf8').split('\n')[0]) || null;
}

/** The embedded server's port, read from its lock file, if it is running. */
export function embeddedPort(dataDir: string): number | null {
  const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  return Number(readFileSync(pidFile, 'utf8').split('\n')[3]);
}
