import type { FastifyInstance } from 'fastify';
import { type EventStore, type Position, comparePositions, positionToString } from '@iap/event-store';
import { readCheckpoints } from '@iap/projections';
import type { DataSource } from 'typeorm';

/** When the server counts as ready (READY_MAX_LAG_EVENTS, READY_MAX_LAG_SECONDS). */
export interface ReadinessSettings {
  /** Most events of the log that a projection may not have applied yet. */
  readonly maxLagEvents: number;
  /** Most seconds since the oldest event that a projection has not applied yet was recorded. */
  readonly maxLagSeconds: number;
  /** How long each check (database, event store) may take before it counts as failed. */
  readonly timeoutMs?: number;
}

function whole(name: string, value: string | undefined, fallback: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > max)
    throw new Error(`${name} must be a whole number from 0 to ${max}, got "${value}"`);
  return n;
}

/** The readiness thresholds from the environment (defaults: 1000 events, 60 seconds). */
export function readinessSettings(env: NodeJS.ProcessEnv = process.env): ReadinessSettings {
  return {
    maxLagEvents: whole('READY_MAX_LAG_EVENTS', env.READY_MAX_LAG_EVENTS, 1000, 1_000_000),
    maxLagSeconds: whole('READY_MAX_LAG_SECONDS', env.READY_MAX_LAG_SECONDS, 60, 86_400),
  };
}

export interface ProjectionLag {
  readonly name: string;
  /** The last position it applied (`commit/prepare`), or null before its first event. */
  readonly checkpoint: string | null;
  /** Events of the log after its checkpoint (counted up to maxLagEvents + 1). */
  readonly lagEvents: number;
  /** Seconds since the oldest event it has not applied was recorded (0 when it has applied them all). */
  readonly lagSeconds: number;
}

export interface Readiness {
  readonly status: 'ready' | 'not ready';
  readonly database: 'ok' | 'failing';
  readonly eventStore: 'ok' | 'failing' | 'not checked';
  readonly projections: readonly ProjectionLag[];
  /** What is wrong, one sentence each; empty when ready. */
  readonly problems: readonly string[];
  readonly maxLagEvents: number;
  readonly maxLagSeconds: number;
}

/** What the readiness check reads: the read-model database, the projections' checkpoints and the log. */
export interface ReadinessProbe {
  /** Resolves when the read-model database answers a query. */
  pingDatabase(): Promise<void>;
  readonly projectionNames: readonly string[];
  /** The checkpoints of the projections, as stored (every server sharing the database moves them). */
  checkpoints(names: readonly string[]): Promise<Map<string, Position | null>>;
  /** Events of the log from `from` (inclusive, as EventStore.readAll) in order, at most `max`. */
  readLog(from: Position | 'start', max: number): Promise<{ position: Position; recordedAt: Date }[]>;
}

function withTimeout<T>(what: string, promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function reason(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  // One line, short: never a stack, never a connection string.
  return message
    .split('\n')[0]
    .replace(/postgres(ql)?:\/\/\S+/gi, '<database url>')
    .slice(0, 200);
}

/**
 * Ready when the database answers and every projection is within the allowed lag of the log: at most
 * `maxLagEvents` events behind it, and the oldest event it has not applied recorded at most `maxLagSeconds` ago.
 */
export async function checkReadiness(
  probe: ReadinessProbe,
  settings: ReadinessSettings,
  now: Date = new Date(),
): Promise<Readiness> {
  const timeoutMs = settings.timeoutMs ?? 2000;
  const problems: string[] = [];
  const result = (
    database: Readiness['database'],
    eventStore: Readiness['eventStore'],
    projections: ProjectionLag[],
  ): Readiness => ({
    status: problems.length === 0 ? 'ready' : 'not ready',
    database,
    eventStore,
    projections,
    problems,
    maxLagEvents: settings.maxLagEvents,
    maxLagSeconds: settings.maxLagSeconds,
  });

  let checkpoints: Map<string, Position | null>;
  try {
    await withTimeout('the database', probe.pingDatabase(), timeoutMs);
    checkpoints = await withTimeout('the database', probe.checkpoints(probe.projectionNames), timeoutMs);
  } catch (err) {
    problems.push(`The database does not answer: ${reason(err)}`);
    return result('failing', 'not checked', []);
  }

  // Projections at the same checkpoint (the usual case) share one read of the log.
  const lags = new Map<string, { lagEvents: number; lagSeconds: number }>();
  try {
    for (const position of checkpoints.values()) {
      const key = position ? positionToString(position) : 'start';
      if (lags.has(key)) continue;
      const events = (
        await withTimeout(
          'the event store',
          probe.readLog(position ?? 'start', settings.maxLagEvents + 2),
          timeoutMs,
        )
      ).filter((e) => !position || comparePositions(e.position, position) > 0);
      const oldest = events[0];
      lags.set(key, {
        lagEvents: Math.min(events.length, settings.maxLagEvents + 1),
        lagSeconds: oldest
          ? Math.max(0, Math.round((now.getTime() - oldest.recordedAt.getTime()) / 1000))
          : 0,
      });
    }
  } catch (err) {
    problems.push(`The event store does not answer: ${reason(err)}`);
    return result('ok', 'failing', []);
  }

  const projections = probe.projectionNames.map((name): ProjectionLag => {
    const position = checkpoints.get(name) ?? null;
    const lag = lags.get(position ? positionToString(position) : 'start')!;
    return { name, checkpoint: position ? positionToString(position) : null, ...lag };
  });
  for (const p of projections) {
    if (p.lagEvents > settings.maxLagEvents)
      problems.push(
        `Projection "${p.name}" is more than ${settings.maxLagEvents} events behind the log (READY_MAX_LAG_EVENTS)`,
      );
    else if (p.lagSeconds > settings.maxLagSeconds)
      problems.push(
        `Projection "${p.name}" has not applied an event recorded ${p.lagSeconds} s ago, more than ${settings.maxLagSeconds} s (READY_MAX_LAG_SECONDS)`,
      );
  }
  return result('ok', 'ok', projections);
}

/** The probe of a running server: its DataSource, its projections' stored checkpoints and its event store. */
export function serverProbe(
  dataSource: DataSource,
  store: EventStore,
  projectionNames: readonly string[],
): ReadinessProbe {
  return {
    projectionNames,
    async pingDatabase() {
      await dataSource.query('SELECT 1');
    },
    checkpoints: (names) => readCheckpoints(dataSource.manager, names),
    readLog: (from, max) => store.readAll({ fromPosition: from, maxCount: max }),
  };
}

const NO_STORE = { 'cache-control': 'no-store', 'content-type': 'application/json; charset=utf-8' };

/**
 * `GET /health/live`: the process answers (200). `GET /health/ready`: the database answers and the projections
 * are within the allowed lag of the log (200), else 503 with what is wrong. Both are open to anyone (they say
 * nothing about the programme's data), never cached, and not counted by the rate limiter (register them after
 * it, so that it sees their `rateLimit: false`).
 */
export function registerHealthRoutes(
  fastify: FastifyInstance,
  probe: () => ReadinessProbe,
  settings: ReadinessSettings,
): void {
  const config = { rateLimit: false };
  fastify.get('/health/live', { config }, async (_request, reply) => {
    return reply.headers(NO_STORE).code(200).send({ status: 'live' });
  });
  fastify.get('/health/ready', { config }, async (_request, reply) => {
    const readiness = await checkReadiness(probe(), settings);
    return reply
      .headers(NO_STORE)
      .code(readiness.status === 'ready' ? 200 : 503)
      .send(readiness);
  });
}
