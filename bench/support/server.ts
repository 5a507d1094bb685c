/**
 * The server as `npm start` runs it (dist/apps/server), in a process of its own, for a bench to drive; and the node
 * options `npm run cli` starts the CLI with, for a bench's rebuild.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/**
 * The arguments package.json's script `name` gives node (`node <options and entry> <script>`): a plain command,
 * no shell syntax.
 */
function scriptArguments(name: 'start' | 'cli', root = ROOT): string[] {
  const script = (
    JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    }
  ).scripts[name]!;
  const [command, ...args] = script.trim().split(/\s+/);
  if (command !== 'node' || args.some((a) => /["'$&|;<>]/.test(a)))
    throw new Error(`package.json's ${name} is not a plain "node ..." command: ${script}`);
  return args;
}

/**
 * The arguments `npm start` gives node (package.json's `start`), which the Docker image's command repeats: its
 * heap sizes and tracing entry included, so a bench measures the server as the product starts it.
 */
export function startArguments(root = ROOT): string[] {
  return scriptArguments('start', root);
}

/**
 * The options `npm run cli` gives node before its script (package.json's `cli`: the heap settings a rebuild
 * runs with), so that a bench's rebuild runs in a process started as the CLI's is.
 */
export function cliNodeOptions(root = ROOT): string[] {
  const args = scriptArguments('cli', root);
  if (args[args.length - 1] !== 'scripts/cli.mjs')
    throw new Error(`package.json's cli does not end with scripts/cli.mjs: ${args.join(' ')}`);
  return args.slice(0, -1);
}

/** Starts the server on a random port; resolves with its address once /health/ready answers. */
export async function startServer(
  env: NodeJS.ProcessEnv,
  timeoutSeconds = 60,
): Promise<{ url: string; child: ChildProcess }> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child = spawn(process.execPath, startArguments(), {
    cwd: ROOT,
    env: { ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < timeoutSeconds * 10; i++) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode})`);
    try {
      if ((await fetch(`${url}/health/ready`)).ok) return { url, child };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the server did not become ready in ${timeoutSeconds} s`);
}

/** The environment a bench's server runs in: its database, one secret for tokens and sessions, no rate limit, quiet logs. */
export function benchServerEnv(databaseUrl: string, secret: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: databaseUrl,
    JWT_SECRET: secret,
    SESSION_SECRET: secret,
    RATE_LIMIT_MAX: '100000000',
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
  };
}
