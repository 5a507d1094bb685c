import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EventStore } from '@iap/event-store';
import { ProjectionRunner } from '@iap/projections';
import { type TestApp, startTestApp } from './support/test-app.js';

/** Polls `check` until it holds (the log shows an append once older transactions on the server end). */
async function eventually<T>(read: () => Promise<T>, holds: (value: T) => boolean, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (holds(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('health endpoints', () => {
  let t: TestApp;
  const get = async (path: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${t.url}${path}`, { headers });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    t = await startTestApp({
      tokenless: 'anonymous',
      // Three requests a minute per address: the health checks must not count.
      security: { rateLimit: { max: 3, windowMs: 60_000 } },
      readiness: { maxLagEvents: 0, maxLagSeconds: 60 },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers /health/live to anyone, never cached', async () => {
    const res = await get('/health/live');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'live' });
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('answers /health/ready 200 when the database answers and the projections have applied the log', async () => {
    const res = await eventually(
      () => get('/health/ready'),
      (r) => r.status === 200,
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toMatchObject({ status: 'ready', database: 'ok', eventStore: 'ok', problems: [] });
    const projections = res.body.projections as { name: string; lagEvents: number }[];
    expect(projections.map((p) => p.name)).toEqual(
      t.app.get(ProjectionRunner).projections.map((p) => p.name),
    );
    expect(projections.every((p) => p.lagEvents === 0)).toBe(true);
  });

  it('answers 503 saying which projections lag while they are held back, and 200 once they catch up', async () => {
    const runner = t.app.get(ProjectionRunner);
    await runner.stop();
    try {
      await t.app
        .get(EventStore)
        .appendToStream(`healthcheck-${randomUUID()}`, [
          { id: randomUUID(), type: 'HealthCheckProbe', data: {}, metadata: { schemaVersion: 1 } },
        ]);
      const res = await eventually(
        () => get('/health/ready'),
        (r) => r.status === 503,
      );
      expect(res.status).toBe(503);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.body).toMatchObject({ status: 'not ready', database: 'ok', eventStore: 'ok' });
      const problems = res.body.problems as string[];
      expect(problems).toHaveLength(runner.projections.length);
      for (const p of runner.projections)
        expect(problems).toContain(
          `Projection "${p.name}" is more than 0 events behind the log (READY_MAX_LAG_EVENTS)`,
        );
    } finally {
      runner.start();
    }
    const after = await eventually(
      () => get('/health/ready'),
      (r) => r.status === 200,
    );
    expect(after.status).toBe(200);
  });

  it('is not counted by the rate limiter, and ignores the absence of a token', async () => {
    for (let i = 0; i < 10; i++) {
      expect((await get('/health/live')).status).toBe(200);
      expect((await get('/health/ready')).status).toBe(200);
    }
    // The limit is real: other routes from the same address are refused after three requests.
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await fetch(`${t.url}/feeds/learning.atom`)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect((await get('/health/live')).status).toBe(200);
    expect((await get('/health/ready')).status).toBe(200);
  });
});
