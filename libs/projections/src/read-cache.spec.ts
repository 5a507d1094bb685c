import { describe, expect, it } from '@jest/globals';
import { ReadModelCache, type ReadVersion } from './read-cache.js';

/** Counts the statements that reach it and answers each with a fresh row naming the statement. */
function counter() {
  const sent: string[] = [];
  return {
    sent,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- stands in for DataSource.query
    async query<T = any>(sql: string, params?: unknown[]): Promise<T> {
      sent.push(`${sql} ${JSON.stringify(params ?? [])}`);
      return [{ sql, params, n: sent.length }] as T;
    },
  };
}
const version = (value: string, readAt: number): ReadVersion => ({ value, readAt });

describe('ReadModelCache', () => {
  it('answers the same statement and parameters at the same version from memory', async () => {
    const db = counter();
    const cache = new ReadModelCache({ maxEntries: 10 });
    const v = version('a:1', 1);
    const first = await cache.query(db, v, 'SELECT 1', [1]);
    expect(await cache.query(db, v, 'SELECT 1', [1])).toBe(first);
    await cache.query(db, v, 'SELECT 1', [2]);
    expect(db.sent).toHaveLength(2);
    expect([cache.hits, cache.misses]).toEqual([1, 2]);
  });

  it('starts again at a newer version, and lets an older one read the database without keeping anything', async () => {
    const db = counter();
    const cache = new ReadModelCache({ maxEntries: 10 });
    await cache.query(db, version('a:1', 1), 'SELECT 1', []);
    await cache.query(db, version('a:2', 2), 'SELECT 1', []);
    await cache.query(db, version('a:1', 1), 'SELECT 1', []); // a request that read the version earlier
    await cache.query(db, version('a:2', 2), 'SELECT 1', []);
    expect(db.sent).toHaveLength(3);
  });

  it('drops the least recently used result beyond its size, and keeps no result with too many rows', async () => {
    const db = counter();
    const cache = new ReadModelCache({ maxEntries: 2, maxRows: 0 });
    const v = version('a:1', 1);
    await cache.query(db, v, 'A', []);
    expect(db.sent).toHaveLength(1);
    await cache.query(db, v, 'A', []); // one row: more than maxRows, so it was not kept
    expect(db.sent).toHaveLength(2);

    const lru = new ReadModelCache({ maxEntries: 2 });
    const db2 = counter();
    await lru.query(db2, v, 'A', []);
    await lru.query(db2, v, 'B', []);
    await lru.query(db2, v, 'A', []); // A is now the most recently used
    await lru.query(db2, v, 'C', []); // B goes
    await lru.query(db2, v, 'A', []);
    await lru.query(db2, v, 'B', []);
    expect(db2.sent.map((s) => s[0])).toEqual(['A', 'B', 'C', 'B']);
  });

  it('freezes what it keeps, all the way down', async () => {
    const cache = new ReadModelCache({ maxEntries: 2 });
    const rows = await cache.query<{ params: unknown[] }[]>(counter(), version('a', 1), 'A', [[1, 2]]);
    expect(() => {
      (rows[0].params[0] as number[]).push(3);
    }).toThrow(TypeError);
  });

  it('is off with no entries', async () => {
    const db = counter();
    const cache = new ReadModelCache({ maxEntries: 0 });
    await cache.query(db, version('a', 1), 'A', []);
    await cache.query(db, version('a', 1), 'A', []);
    expect(db.sent).toHaveLength(2);
    expect(cache.enabled).toBe(false);
  });
});

describe('ReadModelCache memory', () => {
  it('keeps within its byte budget, dropping the least recently used, and keeps no value too big for it', async () => {
    const cache = new ReadModelCache({ maxEntries: 100, maxBytes: 64 * 1024 });
    const v = version('a', 1);
    const value = 'x'.repeat(1000); // about 2 KB as kept
    expect(cache.lookup(v, 'k0')).toBeUndefined(); // (a request looks before it keeps: the cache takes its version)
    for (let i = 0; i < 100; i++) cache.keep(v, `k${i}`, value);
    expect(cache.size.bytes).toBeLessThanOrEqual(64 * 1024);
    expect(cache.size.entries).toBeLessThan(100);
    expect(cache.lookup(v, 'k0')).toBeUndefined(); // the oldest went
    expect(cache.lookup(v, 'k99')?.value).toBe(value);
    cache.keep(v, 'big', 'y'.repeat(10_000)); // more than a sixteenth of the budget
    expect(cache.lookup(v, 'big')).toBeUndefined();
  });
});
