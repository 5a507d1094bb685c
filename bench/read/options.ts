/** The options of `npm run bench:read` (command line, and BENCH_EVENTS for --events). */

export interface Options {
  events: number;
  seed: number;
  durationSec: number;
  warmupSec: number;
  connections: number;
  /** Rounds in which GraphQL (cache off) and the bare route take turns, each a slice of the duration. */
  rounds: number;
  asOfRequests: number;
  asOfBudgetSec: number;
  asOfTimeoutSec: number;
  phases: Set<PhaseName>;
}

export type PhaseName = 'baseline' | 'catchup' | 'rebuild' | 'http' | 'asof';
export const ALL_PHASES: readonly PhaseName[] = ['baseline', 'catchup', 'rebuild', 'http', 'asof'];

export function parseOptions(argv: readonly string[]): Options {
  const get = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    if (i >= 0) return argv[i + 1];
    const eq = argv.find((a) => a.startsWith(`--${name}=`));
    return eq?.slice(name.length + 3);
  };
  const num = (name: string, fallback: number, min: number): number => {
    const raw = get(name) ?? (name === 'events' ? process.env.BENCH_EVENTS : undefined);
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw.replace(/_/g, ''));
    if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number >= ${min}, got "${raw}"`);
    return n;
  };
  const phases = get('phases');
  const chosen = phases ? phases.split(',').map((p) => p.trim()) : [...ALL_PHASES];
  for (const p of chosen) {
    if (!(ALL_PHASES as readonly string[]).includes(p))
      throw new Error(`unknown phase "${p}" (known: ${ALL_PHASES.join(', ')})`);
  }
  return {
    events: Math.round(num('events', 1_000_000, 5_000)),
    seed: num('seed', 42, 0),
    durationSec: num('duration', 40, 1),
    warmupSec: num('warmup', 3, 0),
    connections: num('connections', 20, 1),
    rounds: Math.round(num('rounds', 10, 1)),
    asOfRequests: num('asof-requests', 200, 1),
    asOfBudgetSec: num('asof-budget', 180, 1),
    asOfTimeoutSec: num('asof-timeout', 120, 1),
    phases: new Set(chosen as PhaseName[]),
  };
}
