/** Every phase runs in a child process of its own (its own heap, its own maxRSS): the parent's and the child's side. */
import { type ChildProcess, fork } from 'node:child_process';
import { memorySampler } from '../support/memory.js';
import { cliNodeOptions } from '../support/server.js';
import type { Options } from './options.js';
import { baselinePhase } from './phases/baseline.js';
import { catchupPhase } from './phases/catchup.js';
import { generatePhase } from './phases/generate.js';
import { rebuildPhase } from './phases/rebuild.js';
import { type ServeReady, servePhase } from './phases/serve.js';

export type ChildResult =
  | { type: 'result'; result: unknown }
  | ({ type: 'ready' } & ServeReady)
  | { type: 'error'; message: string }
  | { type: 'cache-set'; on: boolean; entries: number };

export async function childMain(phase: string): Promise<void> {
  const url = process.env.BENCH_DB_URL!;
  const opt = JSON.parse(process.env.BENCH_OPTIONS!) as Omit<Options, 'phases'>;
  const send = (m: unknown) => process.send!(m);
  let result: unknown;
  switch (phase) {
    case 'generate': {
      const mem = memorySampler();
      const r = await generatePhase(url, { ...opt, phases: new Set() });
      result = { ...r, memory: mem.stop() };
      break;
    }
    case 'baseline':
      result = await baselinePhase(url);
      break;
    case 'catchup':
      result = await catchupPhase(url);
      break;
    case 'rebuild':
      result = await rebuildPhase(url);
      break;
    case 'serve': {
      const stopped = new Promise<void>((resolve) =>
        process.on('message', (m: { type?: string }) => m.type === 'stop' && resolve()),
      );
      result = await servePhase(url, send, stopped, process.env.BENCH_PILOT!);
      break;
    }
    default:
      throw new Error(`unknown child phase ${phase}`);
  }
  // Sent before the process exits: a large message would otherwise be cut off by the exit.
  await new Promise<void>((resolve, reject) =>
    process.send!({ type: 'result', result }, undefined, {}, (err) => (err ? reject(err) : resolve())),
  );
}

/**
 * Runs a phase in a child process (its own heap, its own maxRSS); resolves with its result. The rebuild's child
 * is started with the node options `npm run cli` gives the CLI (package.json's `cli`), so that it measures a
 * rebuild as `projections:rebuild` runs it.
 */
export function runChild<T>(
  phase: string,
  env: Record<string, string>,
  onMessage?: (m: ChildResult, child: ChildProcess) => void,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = fork(process.argv[1], ['--child', phase], {
      env: { ...process.env, ...env },
      // e.g. BENCH_CHILD_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile each phase.
      execArgv: [
        ...process.execArgv,
        ...(phase === 'rebuild' ? cliNodeOptions() : []),
        ...(process.env.BENCH_CHILD_NODE_ARGS ?? '').split(' ').filter(Boolean),
      ],
      stdio: ['ignore', process.stderr, process.stderr, 'ipc'],
    });
    let result: T | undefined;
    let error: string | undefined;
    child.on('message', (m: ChildResult) => {
      if (m.type === 'result') result = m.result as T;
      else if (m.type === 'error') error = m.message;
      else onMessage?.(m, child);
    });
    child.on('exit', (code, signal) => {
      if (result !== undefined) resolve(result);
      else reject(new Error(`phase ${phase} failed (exit ${code ?? signal})${error ? `: ${error}` : ''}`));
    });
  });
}
