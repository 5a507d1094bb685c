import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { isDeepStrictEqual } from 'node:util';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import {
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  getNamedType,
  isAbstractType,
  isInputType,
  isNonNullType,
  isObjectType,
} from 'graphql';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '@iap/database';
import {
  EventLogFileError,
  EventStoreNotEmptyError,
  canonicalJson,
  exportEventLog,
  importEventLog,
} from '@iap/event-store';
import { DemoSeeder } from '../src/demo/demo.seeder.js';
import { rebuildAllAt } from '../apps/cli/src/database-commands.js';
import { migrate } from '../apps/server/src/migrations.js';
import { sqlRows } from './support/sql.js';
import { type TestApp, startTestApp } from './support/test-app.js';

/**
 * A logical backup and its restore: the demo programme's log exported (events:export), imported into a new
 * database (events:import), its read models rebuilt, and then every query of the schema asked of both servers,
 * which must answer alike. Files whose checksums fail, cut short, or a store that is not empty are refused and
 * leave nothing written.
 */

const PILOTS = ['E06000008', 'E08000032', 'E06000031', 'E08000030', 'E09000031'];
const YEARS = ['2019-20', '2020-21'];
const WALSALL = 'E08000030';
const SAMPLE = 'data/comparators/illustrative-public-indicators.csv';

/** Values for arguments met below the root, by name. A required argument not named here leaves its field out. */
const NESTED_ARGUMENTS: Record<string, unknown> = { year: '2019-20', first: 100 };

/** A selection of every field of `type` reachable within `depth` levels, arguments from NESTED_ARGUMENTS. */
function selectionOf(schema: GraphQLSchema, type: GraphQLNamedType, depth: number, path: string[]): string {
  if (isAbstractType(type)) {
    const parts = schema
      .getPossibleTypes(type)
      .map((t) => `... on ${t.name} ${selectionOf(schema, t, depth, path)}`);
    return `{ __typename ${parts.join(' ')} }`;
  }
  if (!isObjectType(type)) return '';
  const fields: string[] = [];
  for (const field of Object.values(type.getFields()) as GraphQLField<unknown, unknown>[]) {
    const args: string[] = [];
    let usable = true;
    for (const arg of field.args) {
      if (arg.name in NESTED_ARGUMENTS)
        args.push(`${arg.name}: ${JSON.stringify(NESTED_ARGUMENTS[arg.name])}`);
      else if (isNonNullType(arg.type) && arg.defaultValue === undefined) usable = false;
    }
    if (!usable) continue;
    const named = getNamedType(field.type);
    const call = `${field.name}${args.length ? `(${args.join(', ')})` : ''}`;
    if (isObjectType(named) || isAbstractType(named)) {
      // Each type once per path (no cycles), and only so deep.
      if (depth === 0 || path.includes(named.name)) continue;
      const inner = selectionOf(schema, named, depth - 1, [...path, named.name]);
      if (inner !== '{  }') fields.push(`${call} ${inner}`);
    } else fields.push(call);
  }
  return `{ ${fields.join(' ')} }`;
}

/**
 * An answer with its cursors left out: a cursor holds a position in the log, and positions are the importing
 * store's own (events keep their order, not their positions). The test follows them separately.
 */
function withoutCursors(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutCursors);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, /cursor$/i.test(k) ? typeof v : withoutCursors(v)]),
  );
}

interface Case {
  readonly label: string;
  readonly query: string;
  readonly variables: Record<string, unknown>;
}

/** The query `field` with these arguments (a variable each), selecting everything under it. */
function queryCase(schema: GraphQLSchema, field: string, args: Record<string, unknown> = {}): Case {
  const def = schema.getQueryType()!.getFields()[field];
  const declared = Object.keys(args).map((name) => {
    const arg = def.args.find((a) => a.name === name);
    if (!arg || !isInputType(arg.type)) throw new Error(`${field} has no argument ${name}`);
    return `$${name}: ${String(arg.type)}`;
  });
  const named = getNamedType(def.type);
  const selection = selectionOf(schema, named, 3, [named.name]);
  const call = `${field}${declared.length ? `(${Object.keys(args).map((a) => `${a}: $${a}`)})` : ''}`;
  return {
    label: `${field}(${JSON.stringify(args)})`,
    query: `query${declared.length ? `(${declared.join(', ')})` : ''} { ${call} ${selection} }`,
    variables: args,
  };
}

const logRows = (url: string) =>
  sqlRows(
    url,
    `SELECT event_id, stream_id, revision::text, event_type, data, metadata, recorded_at::text
       FROM es_events ORDER BY transaction_id, global_position`,
  );
const tableRows = (url: string, sql: string) => sqlRows(url, sql);

describe('events:export and events:import: the demo log restored answers every query alike', () => {
  let source: TestApp;
  let restored: TestApp;
  let dir: string;
  let file: string;
  let exported: { events: number; last: string | null; sha256: string };

  const withPool = async <T>(url: string, use: (pool: pg.Pool) => Promise<T>): Promise<T> => {
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    try {
      return await use(pool);
    } finally {
      await pool.end();
    }
  };
  const exportTo = async (url: string, to: string) =>
    withPool(url, async (pool) => {
      const out = createWriteStream(to);
      const result = await exportEventLog(pool, out, { pageSize: 97 });
      out.end();
      await once(out, 'finish');
      return result;
    });
  const importFrom = (url: string, from: string) =>
    withPool(url, (pool) => importEventLog(pool, createReadStream(from), { batchSize: 89 }));
  const freshStore = async (): Promise<TestDatabase> => {
    const db = await createTestDatabase('iap_restore');
    await migrate(db.url);
    return db;
  };
  /** A copy of the export with `edit` applied to its lines. */
  const variant = async (name: string, edit: (lines: string[]) => string[]) => {
    const lines = (await readFile(file, 'utf8')).split('\n').filter((l) => l !== '');
    const to = path.join(dir, name);
    await writeFile(to, `${edit(lines).join('\n')}\n`);
    return to;
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'iap-backup-'));
    file = path.join(dir, 'demo.ndjson');
    source = await startTestApp({
      security: { queryLimits: { maxDepth: 15, maxComplexity: 10_000_000, introspection: true } },
    });
    await source.app.get(DemoSeeder).seed();
    // The comparators' public values and a choice, so that their read models are restored too.
    const central = source.as({ role: 'CENTRAL', subject: 'backup-central', name: 'Central Team' });
    const csv = await readFile(path.join(import.meta.dirname ?? '.', '..', SAMPLE), 'utf8');
    for (const [query, input] of [
      [
        'mutation($i: ImportPublicValuesInput!) { importPublicIndicatorValues(input: $i) { rowsRecorded } }',
        { fileName: path.basename(SAMPLE), csv },
      ],
      [
        'mutation($i: ChooseComparatorsInput!) { chooseComparators(input: $i) { revision } }',
        {
          pilotCode: WALSALL,
          method: 'NEAREST_NEIGHBOURS',
          characteristics: ['POPULATION_DENSITY', 'PCT_BORN_OUTSIDE_UK', 'IMD_AVERAGE_SCORE'],
          period: '2017/18',
          count: 10,
          reason: 'Alike on density, migration and deprivation',
        },
      ],
    ] as const) {
      const res = await source.gql(query, { i: input }, central);
      expect(res.errors).toBeUndefined();
    }
    exported = await exportTo(source.db.url, file);

    const target = await freshStore();
    await importFrom(target.url, file);
    await rebuildAllAt(target.url);
    restored = await startTestApp({
      database: target,
      security: { queryLimits: { maxDepth: 15, maxComplexity: 10_000_000, introspection: true } },
    });
  }, 600_000);
  afterAll(async () => {
    await restored?.close();
    await source?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes a header, one checksummed line per event in log order, and a closing line with the file checksum', async () => {
    const text = await readFile(file, 'utf8');
    const lines = text.split('\n').filter((l) => l !== '');
    expect(JSON.parse(lines[0])).toMatchObject({ format: 'iap-event-log', version: 1, after: null });
    const events = lines
      .slice(1, -1)
      .map((l) => JSON.parse(l) as { event: Record<string, unknown>; sha256: string });
    expect(events.length).toBe(exported.events);
    expect(events.length).toBe(await source.eventCount());
    const { createHash } = await import('node:crypto');
    for (const e of events.slice(0, 50))
      expect(e.sha256).toBe(createHash('sha256').update(canonicalJson(e.event)).digest('hex'));
    const closing = JSON.parse(lines.at(-1)!) as { end: { events: number; sha256: string; last: string } };
    const before = text.slice(0, text.length - lines.at(-1)!.length - 1);
    expect(closing.end).toEqual({
      events: exported.events,
      last: exported.last,
      sha256: createHash('sha256').update(before).digest('hex'),
    });
  });

  it('restores every event with its id, stream, revision, type, data, metadata and recorded time, in order', async () => {
    const [a, b] = await Promise.all([logRows(source.db.url), logRows(restored.db.url)]);
    expect(b.length).toBeGreaterThan(600);
    expect(b).toEqual(a);
    const streams = 'SELECT stream_id, revision::text FROM es_streams ORDER BY stream_id';
    expect(await tableRows(restored.db.url, streams)).toEqual(await tableRows(source.db.url, streams));
    const commands = 'SELECT command_id, stream_id, digest FROM es_commands ORDER BY command_id';
    expect(await tableRows(restored.db.url, commands)).toEqual(await tableRows(source.db.url, commands));
  });

  it('answers every query of the schema as the source does', async () => {
    const schema = source.app.get(GraphQLSchemaHost).schema;
    const central = source.as({ role: 'CENTRAL', subject: 'backup-central', name: 'Central Team' });
    const ask = async (t: TestApp, c: Case) => {
      const res = await t.gql(c.query, c.variables, central);
      return { data: res.data, errors: res.errors };
    };
    const probe = async <T>(query: string): Promise<T> => {
      const res = await source.gql<T>(query, {}, central);
      expect(res.errors).toBeUndefined();
      return res.data!;
    };
    const { actions } = await probe<{ actions: { nodes: { id: string }[] } }>(
      '{ actions(first: 3) { nodes { id } } }',
    );
    const { learningLibrary } = await probe<{ learningLibrary: { nodes: { id: string }[] } }>(
      '{ learningLibrary(first: 2) { nodes { id } } }',
    );
    const { indicatorCatalogue } = await probe<{ indicatorCatalogue: { code: string }[] }>(
      '{ indicatorCatalogue { code } }',
    );
    expect(actions.nodes.length).toBeGreaterThan(0);
    expect(learningLibrary.nodes.length).toBeGreaterThan(0);
    const indicator = indicatorCatalogue[0].code;
    // An instant part-way through the demo: "as it stood then" must be the same from the restored log.
    const [{ midway, subject }] = (await tableRows(
      source.db.url,
      `SELECT (SELECT recorded_at FROM es_events ORDER BY recorded_at
                OFFSET (SELECT count(*) / 2 FROM es_events) LIMIT 1) AS midway,
              (SELECT metadata->'actor'->>'subject' FROM es_events
                WHERE metadata->'actor'->>'role' = 'PILOT' LIMIT 1) AS subject`,
    )) as { midway: Date; subject: string }[];

    const q = (field: string, args?: Record<string, unknown>) => queryCase(schema, field, args);
    const cases: Case[] = [
      ...actions.nodes.map((a) => q('action', { id: a.id })),
      q('actions', { first: 100 }),
      q('activity', { first: 100 }),
      q('actorActivity', { subject, from: '2000-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z', first: 100 }),
      ...PILOTS.map((code) => q('area', { code })),
      q('area', { code: PILOTS[0], asOf: midway.toISOString() }),
      q('areas'),
      ...YEARS.map((year) => q('comparePilots', { year })),
      q('comparePilots', { year: YEARS[0], asOf: midway.toISOString() }),
      q('figureSources', { areaCode: PILOTS[0], figure: 'SPENT', year: YEARS[0] }),
      q('figureSources', { areaCode: PILOTS[1], figure: 'INDICATOR', indicatorCode: indicator }),
      q('history', { stream: `funding-${PILOTS[0]}` }),
      q('history', { stream: `funding-${PILOTS[0]}`, asOf: midway.toISOString() }),
      q('indicator', { code: indicator }),
      q('indicatorCatalogue'),
      q('indicatorSeries', { indicatorCode: indicator }),
      q('learningAdoptedBy', { areaCode: 'E06000016' }),
      q('learningAdoptionsByPilot'),
      q('learningAreas'),
      ...learningLibrary.nodes.map((l) => q('learningItem', { id: l.id })),
      q('learningLibrary', { first: 100 }),
      q('measurements', { first: 100 }),
      ...YEARS.map((year) => q('programmeSummary', { year })),
      q('programmeSummary', { year: YEARS[1], asOf: midway.toISOString() }),
      q('themes'),
      q('viewer'),
      q('comparators', { areaCode: WALSALL }),
      q('pilotVersusComparators', { areaCode: WALSALL, indicatorCode: 'GET_ON_WELL' }),
      q('publicCouncils'),
      q('publicDataFiles'),
      q('publicIndicators'),
      q('grantAwards'),
      q('programmeTotals'),
    ];
    // Every query of the schema is asked: a new one fails here until it is added above.
    const asked = new Set(cases.map((c) => c.label.slice(0, c.label.indexOf('('))));
    expect([...asked].sort()).toEqual(Object.keys(schema.getQueryType()!.getFields()).sort());

    const differing: string[] = [];
    for (const c of cases) {
      const [a, b] = [await ask(source, c), await ask(restored, c)];
      expect({ case: c.label, errors: a.errors }).toEqual({ case: c.label, errors: undefined });
      if (!isDeepStrictEqual(withoutCursors(b), withoutCursors(a))) {
        if (differing.length === 0)
          expect({ case: c.label, answer: withoutCursors(b) }).toEqual({
            case: c.label,
            answer: withoutCursors(a),
          });
        differing.push(c.label);
      }
    }
    expect(differing).toEqual([]);

    // Cursors hold positions in each server's own log: each leads to the same next page there.
    const page = `query($after: String) { activity(first: 100, after: $after) {
      nodes { summary recordedAt } pageInfo { endCursor hasNextPage } } }`;
    type Page = { activity: { nodes: unknown[]; pageInfo: { endCursor: string; hasNextPage: boolean } } };
    const pages = async (t: TestApp) => {
      const seen: unknown[][] = [];
      let after: string | null = null;
      for (let i = 0; i < 3; i++) {
        const res: { data: Page | null } = await t.gql<Page>(page, { after }, central);
        seen.push(res.data!.activity.nodes);
        after = res.data!.activity.pageInfo.endCursor;
      }
      return seen;
    };
    const [fromSource, fromRestored] = [await pages(source), await pages(restored)];
    expect(fromSource[2].length).toBeGreaterThan(0);
    expect(fromRestored).toEqual(fromSource);
  }, 300_000);

  it('refuses a line whose content does not match its checksum, and writes nothing', async () => {
    const tampered = await variant('tampered.ndjson', (lines) =>
      lines.map((l, i) =>
        i === 5 ? l.replace(/"revision":(\d+)/, (_, r) => `"revision":${Number(r) + 7}`) : l,
      ),
    );
    const db = await freshStore();
    try {
      const err = await importFrom(db.url, tampered).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EventLogFileError);
      expect((err as EventLogFileError).line).toBe(6);
      expect((err as Error).message).toMatch(/checksum does not match/);
      expect(await tableRows(db.url, 'SELECT * FROM es_events')).toEqual([]);
      expect(await tableRows(db.url, 'SELECT * FROM es_streams')).toEqual([]);
    } finally {
      await db.drop();
    }
  });

  it('refuses a file whose lines were changed with their own checksums, by the file checksum', async () => {
    const { createHash } = await import('node:crypto');
    const forged = await variant('forged.ndjson', (lines) =>
      lines.map((l, i) => {
        if (i !== lines.length - 2) return l;
        const { event } = JSON.parse(l) as { event: { metadata: Record<string, unknown> } };
        event.metadata = { ...event.metadata, forged: true };
        const content = canonicalJson(event);
        return `{"event":${content},"sha256":"${createHash('sha256').update(content).digest('hex')}"}`;
      }),
    );
    const db = await freshStore();
    try {
      const err = await importFrom(db.url, forged).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EventLogFileError);
      expect((err as Error).message).toMatch(/file's checksum does not match/);
      expect(await tableRows(db.url, 'SELECT count(*)::int AS n FROM es_events')).toEqual([{ n: 0 }]);
    } finally {
      await db.drop();
    }
  });

  it('refuses a file cut short (no closing line) or a partial export, and writes nothing', async () => {
    const cut = await variant('cut.ndjson', (lines) => lines.slice(0, -1));
    const partial = await variant('partial.ndjson', (lines) => [
      JSON.stringify({ ...JSON.parse(lines[0]), after: '1/1' }),
      ...lines.slice(1),
    ]);
    const db = await freshStore();
    try {
      await expect(importFrom(db.url, cut)).rejects.toThrow(/cut short/);
      await expect(importFrom(db.url, partial)).rejects.toThrow(/not the whole log/);
      expect(await tableRows(db.url, 'SELECT count(*)::int AS n FROM es_events')).toEqual([{ n: 0 }]);
    } finally {
      await db.drop();
    }
  });

  it('refuses to import into a store that holds events', async () => {
    const err = await importFrom(restored.db.url, file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EventStoreNotEmptyError);
    expect(await restored.eventCount()).toBe(exported.events);
  });

  it('exports only what follows a position with --from, and the two parts make the whole log', async () => {
    const lines = (await readFile(file, 'utf8')).split('\n').filter((l) => l !== '');
    const events = lines.slice(1, -1).map((l) => (JSON.parse(l) as { event: { position: string } }).event);
    const cutAt = events[Math.floor(events.length / 2)].position;
    const [commit, prepare] = cutAt.split('/').map(BigInt);
    const rest = path.join(dir, 'rest.ndjson');
    const result = await withPool(source.db.url, async (pool) => {
      const out = createWriteStream(rest);
      const r = await exportEventLog(pool, out, { after: { commit, prepare } });
      out.end();
      await once(out, 'finish');
      return r;
    });
    const restLines = (await readFile(rest, 'utf8')).split('\n').filter((l) => l !== '');
    expect(JSON.parse(restLines[0])).toMatchObject({ after: cutAt });
    expect(result.events).toBe(events.length - Math.floor(events.length / 2) - 1);
    expect(restLines.slice(1, -1)).toEqual(lines.slice(2 + Math.floor(events.length / 2), -1));
  });
});
