import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { EventStore } from '@iap/event-store';
import { ProjectionRunner, ReadModelCache } from '@iap/projections';
import { type TestApp, startTestApp } from './support/test-app.js';
import { succeeds } from './support/graphql.js';

const AREA = 'E06000008';
const YEAR = '2019-20';
const COMPARE = `{ comparePilots(year: "${YEAR}") { areaCode allocatedPence } }`;

/**
 * The read-model cache answers a query again from memory only while the read models have not moved: a
 * mutation, or an event written by another process, changes the version, and the next query reads the tables.
 */
describe('the read-model cache', () => {
  let t: TestApp;
  let cache: ReadModelCache;

  const ok = <T>(query: string, variables?: Record<string, unknown>) => succeeds<T>(t, query, variables);
  const allocated = async () =>
    (await ok<{ comparePilots: { areaCode: string; allocatedPence: number }[] }>(COMPARE)).comparePilots.find(
      (p) => p.areaCode === AREA,
    )?.allocatedPence;
  const allocate = (amountPence: number) =>
    ok(`mutation($input: AllocateGrantInput!) { allocateGrant(input: $input) { allocatedPence } }`, {
      input: {
        areaCode: AREA,
        year: YEAR,
        fundingStream: 'Integration Area Programme',
        amountPence,
        note: '',
      },
    });

  /** Waits until every projection has applied the whole log: then the version stays put between queries. */
  async function settle(): Promise<void> {
    expect(await t.settle()).toBe(true);
  }

  beforeAll(async () => {
    t = await startTestApp();
    cache = t.app.get(ReadModelCache);
    await ok(`mutation($input: RegisterAreaInput!) { registerArea(input: $input) { code } }`, {
      input: { code: AREA, name: 'Blackburn with Darwen', kind: 'PILOT', region: 'North West' },
    });
    await allocate(100_000_00);
    await settle();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers a repeated query from memory, reading nothing but the version', async () => {
    expect(cache.enabled).toBe(true);
    expect(await allocated()).toBe(100_000_00);
    const { hits, misses } = cache;
    expect(await allocated()).toBe(100_000_00);
    expect(cache.misses).toBe(misses);
    expect(cache.hits).toBeGreaterThan(hits);
  });

  it('answers the very same request again without running a resolver, per person', async () => {
    const hits: string[] = [];
    const original = cache.lookup.bind(cache);
    cache.lookup = ((...args: Parameters<typeof cache.lookup>) => {
      const found = original(...args);
      if (found) hits.push(args[1]);
      return found;
    }) as typeof cache.lookup;
    // A document no earlier test asked: the first answer runs the resolvers, the second is the first's.
    const query = `{ comparePilots(year: "${YEAR}") { areaCode areaName allocatedPence } }`;
    try {
      const first = await t.gql(query);
      expect(hits.filter((k) => k.startsWith('response'))).toHaveLength(0);
      const again = await t.gql(query);
      expect(again).toEqual(first);
      expect(hits.filter((k) => k.startsWith('response'))).toHaveLength(1);
      // Another person asking the same: not given the first person's answer (it runs, and may read cached rows).
      hits.length = 0;
      const council = await t.gql(query, {}, t.as({ role: 'COUNCIL', area: 'E06000016', subject: 'c' }));
      expect(council.errors).toBeUndefined();
      expect(hits.filter((k) => k.startsWith('response'))).toHaveLength(0);
    } finally {
      cache.lookup = original;
    }
  });

  it('never keeps a whole answer read from the event log, nor one to a very long document', async () => {
    const kept: string[] = [];
    const original = cache.keep.bind(cache);
    cache.keep = ((...args: Parameters<typeof cache.keep>) => {
      kept.push(args[1]);
      return original(...args);
    }) as typeof cache.keep;
    try {
      const history = `{ history(stream: "funding-${AREA}") { type } }`;
      expect((await t.gql(history)).errors).toBeUndefined();
      expect(kept.filter((k) => k.startsWith('response'))).toHaveLength(0);
      const padded = `{ areas { code } } # ${'x'.repeat(20_000)}`;
      expect((await t.gql(padded)).errors).toBeUndefined();
      expect(kept.filter((k) => k.startsWith('response'))).toHaveLength(0);
      // Whereas a short document that reads only the read models is kept.
      expect((await t.gql(`{ areas { code name } }`)).errors).toBeUndefined();
      expect(kept.filter((k) => k.startsWith('response'))).toHaveLength(1);
    } finally {
      cache.keep = original;
    }
  });

  it('reads the tables again after a mutation: never a stale figure', async () => {
    await allocate(25_000_00);
    await settle();
    const misses = cache.misses;
    expect(await allocated()).toBe(125_000_00);
    expect(cache.misses).toBeGreaterThan(misses);
  });

  it('reads the tables again after an event written elsewhere reaches the read models', async () => {
    expect(await allocated()).toBe(125_000_00); // cached at the current version
    const store = t.app.get(EventStore);
    const written = await store.appendToStream(`funding-${AREA}`, [
      {
        id: randomUUID(),
        type: 'GrantAllocated',
        data: {
          areaCode: AREA,
          year: YEAR,
          fundingStream: 'Integration Area Programme',
          amountPence: 1_00,
          note: '',
        },
        metadata: {
          schemaVersion: 1,
          actor: { subject: 'another-process', name: 'Another process', role: 'CENTRAL' },
        },
      },
    ]);
    expect(await t.app.get(ProjectionRunner).waitFor(written.position, undefined, 10_000)).toBe(true);
    expect(await allocated()).toBe(125_001_00);
  });

  it('keeps results frozen, so no caller can change what the next request is given', async () => {
    const results: unknown[] = [];
    const original = cache.query.bind(cache);
    cache.query = (async (...args: Parameters<typeof cache.query>) => {
      const r = await original(...args);
      results.push(r);
      return r;
    }) as typeof cache.query;
    try {
      // (A document of its own: a repeated one is answered whole, without reading anything.)
      await t.gql(`{ comparePilots(year: "${YEAR}") { areaCode spentPence } }`);
    } finally {
      cache.query = original;
    }
    const rows = results.filter((r): r is object[] => Array.isArray(r) && r.length > 0);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(Object.isFrozen(r)).toBe(true);
      expect(Object.isFrozen(r[0])).toBe(true);
    }
  });
});

describe('the read-model cache turned off', () => {
  it('reads the tables every time', async () => {
    const t = await startTestApp({ readCacheEntries: 0 });
    try {
      const cache = t.app.get(ReadModelCache);
      expect(cache.enabled).toBe(false);
      const res = await t.gql(`{ areas { code } }`);
      expect(res.errors).toBeUndefined();
      expect(cache.hits + cache.misses).toBe(0);
    } finally {
      await t.close();
    }
  });
});
