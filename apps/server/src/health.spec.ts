import { describe, expect, it } from '@jest/globals';
import type { Position } from '@iap/event-store';
import { type ReadinessProbe, checkReadiness, readinessSettings } from './health.js';

const at = (n: number): Position => ({ commit: BigInt(n), prepare: BigInt(n) });
const NOW = new Date('2026-12-07T12:00:00.000Z');

/** A log of `length` events, one a second up to NOW, and projections at the given checkpoints. */
function probe(
  checkpoints: Record<string, number | null>,
  length: number,
  overrides: Partial<ReadinessProbe> = {},
) {
  const log = Array.from({ length }, (_, i) => ({
    position: at(i + 1),
    recordedAt: new Date(NOW.getTime() - (length - i - 1) * 1000),
  }));
  const reads: (Position | 'start')[] = [];
  const p: ReadinessProbe = {
    projectionNames: Object.keys(checkpoints),
    pingDatabase: async () => undefined,
    checkpoints: async (names) =>
      new Map(names.map((n) => [n, checkpoints[n] === null ? null : at(checkpoints[n]!)])),
    readLog: async (from, max) => {
      reads.push(from);
      const start = from === 'start' ? 0 : log.findIndex((e) => e.position.commit >= from.commit);
      return start < 0 ? [] : log.slice(start, start + max);
    },
    ...overrides,
  };
  return { probe: p, reads };
}

describe('readiness', () => {
  it('is ready when every projection has applied the whole log', async () => {
    const { probe: p, reads } = probe({ areas: 10, funding: 10 }, 10);
    const r = await checkReadiness(p, { maxLagEvents: 0, maxLagSeconds: 0 }, NOW);
    expect(r).toMatchObject({ status: 'ready', database: 'ok', eventStore: 'ok', problems: [] });
    expect(r.projections).toEqual([
      { name: 'areas', checkpoint: '10/10', lagEvents: 0, lagSeconds: 0 },
      { name: 'funding', checkpoint: '10/10', lagEvents: 0, lagSeconds: 0 },
    ]);
    // Projections at one checkpoint share one read of the log.
    expect(reads).toHaveLength(1);
  });

  it('is ready on an empty store with projections that have seen nothing', async () => {
    const r = await checkReadiness(
      probe({ areas: null }, 0).probe,
      { maxLagEvents: 0, maxLagSeconds: 0 },
      NOW,
    );
    expect(r.status).toBe('ready');
    expect(r.projections).toEqual([{ name: 'areas', checkpoint: null, lagEvents: 0, lagSeconds: 0 }]);
  });

  it('is not ready when a projection is more events behind than allowed, and names it', async () => {
    const { probe: p } = probe({ areas: 10, funding: 4 }, 10);
    expect((await checkReadiness(p, { maxLagEvents: 6, maxLagSeconds: 3600 }, NOW)).status).toBe('ready');
    const r = await checkReadiness(p, { maxLagEvents: 5, maxLagSeconds: 3600 }, NOW);
    expect(r.status).toBe('not ready');
    expect(r.problems).toEqual([
      'Projection "funding" is more than 5 events behind the log (READY_MAX_LAG_EVENTS)',
    ]);
    expect(r.projections.find((x) => x.name === 'funding')).toMatchObject({ lagEvents: 6, lagSeconds: 5 });
  });

  it('is not ready when the oldest event a projection has not applied is older than allowed', async () => {
    const { probe: p } = probe({ areas: null }, 10); // the first event was recorded 9 s ago
    expect((await checkReadiness(p, { maxLagEvents: 100, maxLagSeconds: 9 }, NOW)).status).toBe('ready');
    const r = await checkReadiness(p, { maxLagEvents: 100, maxLagSeconds: 8 }, NOW);
    expect(r.problems).toEqual([
      'Projection "areas" has not applied an event recorded 9 s ago, more than 8 s (READY_MAX_LAG_SECONDS)',
    ]);
  });

  it('is not ready when the database fails or does not answer in time, without leaking its address', async () => {
    const refused = probe({ areas: 1 }, 1, {
      pingDatabase: async () => {
        throw new Error('connect ECONNREFUSED postgres://app:secret@db:5432/iap\n    at stack');
      },
    }).probe;
    const r = await checkReadiness(refused, { maxLagEvents: 0, maxLagSeconds: 0 }, NOW);
    expect(r).toMatchObject({ status: 'not ready', database: 'failing', eventStore: 'not checked' });
    expect(r.problems).toEqual(['The database does not answer: connect ECONNREFUSED <database url>']);

    const hanging = probe({ areas: 1 }, 1, { pingDatabase: () => new Promise<void>(() => undefined) }).probe;
    const slow = await checkReadiness(hanging, { maxLagEvents: 0, maxLagSeconds: 0, timeoutMs: 50 }, NOW);
    expect(slow.problems).toEqual(['The database does not answer: the database did not answer within 50 ms']);
  });

  it('is not ready when the event store fails', async () => {
    const p = probe({ areas: 1 }, 1, {
      readLog: async () => {
        throw new Error('esdb unavailable');
      },
    }).probe;
    const r = await checkReadiness(p, { maxLagEvents: 0, maxLagSeconds: 0 }, NOW);
    expect(r).toMatchObject({ status: 'not ready', database: 'ok', eventStore: 'failing' });
    expect(r.problems).toEqual(['The event store does not answer: esdb unavailable']);
  });

  it('reads its thresholds from the environment and refuses nonsense', () => {
    expect(readinessSettings({})).toEqual({ maxLagEvents: 1000, maxLagSeconds: 60 });
    expect(readinessSettings({ READY_MAX_LAG_EVENTS: '0', READY_MAX_LAG_SECONDS: '5' })).toEqual({
      maxLagEvents: 0,
      maxLagSeconds: 5,
    });
    expect(() => readinessSettings({ READY_MAX_LAG_EVENTS: '-1' })).toThrow(/READY_MAX_LAG_EVENTS/);
    expect(() => readinessSettings({ READY_MAX_LAG_SECONDS: 'soon' })).toThrow(/READY_MAX_LAG_SECONDS/);
  });
});
