import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../database/src/index.js';
import { BatchingProjectionContext, inlineParameters } from './batched-context.js';

describe('inlineParameters', () => {
  it('replaces each $n by the literal of the text pg would send, leaving quoted text and comments alone', () => {
    expect(
      inlineParameters(`UPDATE t SET a = $1, b = '$2 stays', "c$1" = $2::text[] -- $1\nWHERE id = $10`, [
        "it's",
        ['x', 'y z', null],
        ...Array.from({ length: 7 }, () => 0),
        42,
      ]),
    ).toBe(
      `UPDATE t SET a = 'it''s', b = '$2 stays', "c$1" = '{"x","y z",NULL}'::text[] -- $1\nWHERE id = '42'`,
    );
  });

  it('writes NULL for null and undefined, JSON for objects, and escapes backslashes', () => {
    expect(
      inlineParameters('INSERT INTO t VALUES ($1, $2, $3, $4)', [null, undefined, { a: 1 }, 'a\\b']),
    ).toBe(`INSERT INTO t VALUES (NULL, NULL, '{"a":1}',  E'a\\\\b')`);
  });

  it('refuses what it cannot rewrite with certainty: dollar quotes, E strings, binary values, missing parameters', () => {
    expect(inlineParameters('DO $$ BEGIN END $$', [])).toBeNull();
    expect(inlineParameters("UPDATE t SET a = E'\\'' WHERE id = $1", [1])).toBeNull();
    expect(inlineParameters('UPDATE t SET a = $1', [Buffer.from('x')])).toBeNull();
    expect(inlineParameters('UPDATE t SET a = $2', [1])).toBeNull();
  });
});

describe('BatchingProjectionContext', () => {
  let db: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase('iap_batch');
    ds = new DataSource({ type: 'postgres', url: db.url });
    await ds.initialize();
    await ds.query(
      `CREATE TABLE batch_t (id int PRIMARY KEY, tags text[] NOT NULL, doc jsonb, at timestamptz, n bigint NOT NULL)`,
    );
  });

  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  it('defers writes, sends them in order before a read, and stores exactly what parameters would have', async () => {
    const at = new Date('2020-06-30T12:34:56.789Z');
    const rows = await ds.transaction(async (manager) => {
      const ctx = new BatchingProjectionContext(manager, new Map([['batch_t', 'batch_t']]));
      const sent: string[] = [];
      const query = manager.query.bind(manager);
      manager.query = ((sql: string, params?: unknown[]) => {
        sent.push(sql);
        return query(sql, params);
      }) as typeof manager.query;
      const t = ctx.table('batch_t');
      expect(
        await ctx.query(`INSERT INTO ${t} (id, tags, doc, at, n) VALUES ($1, $2, $3, $4, $5)`, [
          1,
          ["o'neil", 'a,b', 'x\\y'],
          JSON.stringify({ q: "it's" }),
          at,
          '9007199254740993',
        ]),
      ).toEqual([]);
      await ctx.query(`UPDATE ${t} SET n = n + $2 WHERE id = $1`, [1, 7]);
      expect(sent).toHaveLength(0); // nothing sent yet
      const read = await ctx.query<{ n: string; tags: string[]; doc: unknown; at: Date }>(
        `SELECT n::text AS n, tags, doc, at FROM ${t} WHERE id = $1`,
        [1],
      );
      expect(sent).toHaveLength(2); // the two writes in one round trip, then the read
      await ctx.query(`DELETE FROM ${t} WHERE id = $1`, [1]);
      await ctx.flush();
      expect(sent).toHaveLength(3);
      return read;
    });
    expect(rows).toEqual([
      { n: '9007199254741000', tags: ["o'neil", 'a,b', 'x\\y'], doc: { q: "it's" }, at },
    ]);
    expect(await ds.query('SELECT count(*)::int AS c FROM batch_t')).toEqual([{ c: 0 }]);
  });

  it('sends a write with a long parameter or many parameters at once, with its parameters as they are', async () => {
    await ds
      .transaction(async (manager) => {
        const ctx = new BatchingProjectionContext(manager, new Map([['batch_t', 'batch_t']]));
        const sent: { sql: string; params?: unknown[] }[] = [];
        const query = manager.query.bind(manager);
        manager.query = ((sql: string, params?: unknown[]) => {
          sent.push({ sql, params });
          return query(sql, params);
        }) as typeof manager.query;
        const long = JSON.stringify({ text: 'x'.repeat(3000) });
        await ctx.query(`INSERT INTO batch_t (id, tags, doc, n) VALUES ($1, $2, $3, 1)`, [1, [], long]);
        expect(sent).toEqual([{ sql: expect.stringContaining('$3'), params: [1, [], long] }]);
        const many = Array.from({ length: 40 }, (_, i) => i + 10);
        await ctx.query(
          `INSERT INTO batch_t (id, tags, n) SELECT id, '{}', 1 FROM unnest(ARRAY[${many.map((_, i) => `$${i + 1}::int`).join(', ')}]) AS id`,
          many,
        );
        expect(sent).toHaveLength(2);
        throw new Error('roll back');
      })
      .catch((err: Error) => expect(err.message).toBe('roll back'));
  });

  it('fails the batch when a deferred write fails, and runs RETURNING at once', async () => {
    await expect(
      ds.transaction(async (manager) => {
        const ctx = new BatchingProjectionContext(manager, new Map([['batch_t', 'batch_t']]));
        const [row] = await ctx.query<{ id: number }>(
          `INSERT INTO batch_t (id, tags, n) VALUES ($1, $2, 1) RETURNING id`,
          [5, []],
        );
        expect(row).toEqual({ id: 5 });
        await ctx.query(`INSERT INTO batch_t (id, tags, n) VALUES ($1, $2, 1)`, [5, []]); // duplicate key
        await ctx.flush();
      }),
    ).rejects.toThrow(/duplicate key/);
    expect(await ds.query('SELECT count(*)::int AS c FROM batch_t')).toEqual([{ c: 0 }]);
  });
});
