import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { comparatorsImport } from '../apps/cli/src/comparators-command.js';
import { type TestApp, startTestApp } from './support/test-app.js';
import { mutation, ok, refused } from './support/graphql.js';

/** Public values imported from CSV, comparators chosen as events, and the pilot against them (issue 16 §3). */
const WALSALL = 'E08000030';
const BRADFORD = 'E08000032';
const CSV = `# Illustrative test data
ons_code,area_name,indicator_code,indicator_name,period,value,source
E08000030,Walsall,GET_ON_WELL,Get on well (%),2016/17,70,Test survey (illustrative)
E08000030,Walsall,GET_ON_WELL,Get on well (%),2017/18,71,Test survey (illustrative)
E08000030,Walsall,GET_ON_WELL,Get on well (%),2019/20,76,Test survey (illustrative)
E08000031,Wolverhampton,GET_ON_WELL,,2017/18,68,Test survey (illustrative)
E08000031,Wolverhampton,GET_ON_WELL,,2019/20,70,Test survey (illustrative)
E08000027,Dudley,GET_ON_WELL,,2017/18,72,Test survey (illustrative)
E08000027,Dudley,GET_ON_WELL,,2019/20,73,Test survey (illustrative)
E08000028,Sandwell,GET_ON_WELL,,2017/18,65,Test survey (illustrative)
E08000028,Sandwell,GET_ON_WELL,,2019/20,68,Test survey (illustrative)
E08000004,Oldham,GET_ON_WELL,,2017/18,60,Test survey (illustrative)
E08000030,Walsall,DENSITY,People per hectare,2017/18,2,Census (illustrative)
E08000031,Wolverhampton,DENSITY,,2017/18,4,Census (illustrative)
E08000027,Dudley,DENSITY,,2017/18,6,Census (illustrative)
E08000028,Sandwell,DENSITY,,2017/18,8,Census (illustrative)
E08000004,Oldham,DENSITY,,2017/18,20,Census (illustrative)
E08000032,Bradford,DENSITY,,2017/18,3,Census (illustrative)
`;

const IMPORT = mutation(
  'importPublicIndicatorValues',
  'ImportPublicValuesInput',
  'digest fileName rowsInFile rowsRecorded alreadyImported',
);
const CHOOSE = mutation(
  'chooseComparators',
  'ChooseComparatorsInput',
  'pilotCode method characteristics period revision reason comparators { areaCode areaName distance }',
);
const VERSUS = `query($area: String!, $indicator: String!, $baseline: String, $latest: String) {
  pilotVersusComparators(areaCode: $area, indicatorCode: $indicator, baselinePeriod: $baseline, latestPeriod: $latest) {
    areaName indicatorName baselinePeriod latestPeriod pilotBaseline pilotLatest pilotChange comparatorMeanChange
    estimate interval { lower upper level } comparatorsUsed caveats sources illustrative method
    comparators { areaCode baseline latest change included }
    series { period pilot comparatorMean comparators }
  }
}`;

interface Versus {
  pilotVersusComparators: {
    estimate: number | null;
    interval: { lower: number; upper: number; level: number } | null;
    caveats: string[];
    [k: string]: unknown;
  };
}

describe('pilots against comparable councils', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      logDestination: {
        write: (line: string) => (line.includes('"level":50') ? process.stderr.write(line) : true),
      },
    });
    for (const [code, name, region] of [
      [WALSALL, 'Walsall', 'West Midlands'],
      [BRADFORD, 'Bradford', 'Yorkshire and The Humber'],
    ])
      ok(
        await t.gql(mutation('registerArea', 'RegisterAreaInput', 'code'), {
          input: { code, name, region, kind: 'PILOT' },
        }),
      );
  }, 120_000);

  afterAll(() => t?.close());

  it('refuses a file with problems, naming each row and column, and writes nothing', async () => {
    const bad = CSV.replace('2019/20,76', '2019/21,76').replace('E08000004,Oldham', 'X8000004,Oldham');
    const err = await refused(t, IMPORT, { fileName: 'bad.csv', csv: bad }, 'BAD_USER_INPUT');
    const problems = err.extensions.problems as { field: string; message: string }[];
    expect(problems.map((p) => p.field)).toEqual(['input.rows.5.period', 'input.rows.12.ons_code']);
    expect(problems[0].message).toContain('row 5, column period');
    await refused(
      t,
      IMPORT,
      { fileName: 'none.csv', csv: 'code,value\nE08000030,1\n' },
      'BAD_USER_INPUT',
      'file',
    );
    expect(
      ok(await t.gql<{ publicIndicators: unknown[] }>('{ publicIndicators { code } }')).publicIndicators,
    ).toEqual([]);
  });

  it('imports a file once: the same file again records nothing', async () => {
    const first = ok(
      await t.gql<{ importPublicIndicatorValues: Record<string, unknown> }>(IMPORT, {
        input: { fileName: 'test.csv', csv: CSV },
      }),
    ).importPublicIndicatorValues;
    expect(first).toMatchObject({
      fileName: 'test.csv',
      rowsInFile: 16,
      rowsRecorded: 16,
      alreadyImported: false,
    });
    const events = await t.eventCount();
    const again = ok(
      await t.gql<{ importPublicIndicatorValues: Record<string, unknown> }>(IMPORT, {
        input: { fileName: 'test again.csv', csv: CSV },
      }),
    ).importPublicIndicatorValues;
    expect(again).toMatchObject({ digest: first.digest, rowsRecorded: 0, alreadyImported: true });
    expect(await t.eventCount()).toBe(events);
    const { publicIndicators } = ok(
      await t.gql<{
        publicIndicators: { code: string; councils: number; periods: string[]; illustrative: boolean }[];
      }>('{ publicIndicators { code name councils periods illustrative } }'),
    );
    expect(publicIndicators.find((i) => i.code === 'GET_ON_WELL')).toMatchObject({
      councils: 5,
      periods: ['2016-17', '2017-18', '2019-20'],
      illustrative: true,
    });
  });

  it('chooses nearest neighbours (never another pilot) and councils by hand, with expected revisions', async () => {
    // Hand-worked: DENSITY over the six councils is 2, 4, 6, 8, 20, 3 (mean 43/6 = 7.1667, population standard
    // deviation √(220.8333/6) = 6.06676). From Walsall (2): Bradford 1/6.06676 (a pilot: never chosen), Wolverhampton
    // 2/6.06676 = 0.329665, Dudley 4/6.06676 = 0.659331, Sandwell 6/6.06676 = 0.988996, Oldham 18/6.06676 = 2.967.
    const chosen = ok(
      await t.gql<{
        chooseComparators: { revision: number; comparators: { areaCode: string; distance: number }[] };
      }>(CHOOSE, {
        input: {
          pilotCode: WALSALL,
          method: 'NEAREST_NEIGHBOURS',
          characteristics: ['DENSITY'],
          period: '2017/18',
          count: 3,
        },
      }),
    ).chooseComparators;
    expect(chosen.revision).toBe(0);
    expect(chosen.comparators.map((c) => c.areaCode)).toEqual(['E08000031', 'E08000027', 'E08000028']);
    expect(chosen.comparators.map((c) => c.distance)).toEqual([0.329665, 0.659331, 0.988996]);
    // By hand, from the revision read: Oldham added (it has no 2019-20 value, so it will be left out).
    const byHand = {
      pilotCode: WALSALL,
      method: 'BY_HAND',
      areaCodes: ['E08000031', 'E08000027', 'E08000028', 'E08000004'],
      reason: 'Black Country neighbours and Oldham',
    };
    await refused(t, CHOOSE, { ...byHand, expectedRevision: 5 }, 'CONFLICT');
    await refused(
      t,
      CHOOSE,
      { ...byHand, areaCodes: [BRADFORD], expectedRevision: 0 },
      'BAD_USER_INPUT',
      'areaCodes',
    );
    await refused(t, CHOOSE, { ...byHand, pilotCode: 'E08000031' }, 'BAD_USER_INPUT', 'pilotCode');
    const second = ok(
      await t.gql<{ chooseComparators: { revision: number; method: string } }>(CHOOSE, {
        input: { ...byHand, expectedRevision: 0 },
      }),
    ).chooseComparators;
    expect(second).toMatchObject({ revision: 1, method: 'BY_HAND' });
  });

  it('answers the difference in differences worked by hand, with its interval and caveats', async () => {
    // Walsall 71 (2017-18, its last period before April 2018) → 76 (2019-20): +5. Comparators: Wolverhampton
    // 68 → 70 (+2), Dudley 72 → 73 (+1), Sandwell 65 → 68 (+3); Oldham has no 2019-20 value and is left out.
    // Mean change (2 + 1 + 3) / 3 = +2; estimate 5 − 2 = +3. Resampling three changes: the extreme means (+1, +3)
    // each come up in 1 of 27 draws (3.7%, more than 2.5%), so the 95% interval is exactly 2 to 4.
    const v = ok(
      await t.gql<Versus>(VERSUS, { area: WALSALL, indicator: 'GET_ON_WELL' }),
    ).pilotVersusComparators;
    expect(v).toMatchObject({
      areaName: 'Walsall',
      indicatorName: 'Get on well (%)',
      baselinePeriod: '2017-18',
      latestPeriod: '2019-20',
      pilotBaseline: 71,
      pilotLatest: 76,
      pilotChange: 5,
      comparatorMeanChange: 2,
      estimate: 3,
      interval: { lower: 2, upper: 4, level: 0.95 },
      comparatorsUsed: 3,
      illustrative: true,
      sources: ['Test survey (illustrative)'],
    });
    expect(v.comparators).toContainEqual({
      areaCode: 'E08000004',
      baseline: 60,
      latest: null,
      change: null,
      included: false,
    });
    expect(v.caveats).toEqual([
      'Only 3 comparator councils have figures for both periods. With fewer than 5, the estimate is a rough indication at best and the likely range is unreliable.',
      '1 comparator council is left out because it has no figure for one of the two periods.',
    ]);
    expect(v.series).toEqual([
      { period: '2016-17', pilot: 70, comparatorMean: null, comparators: 0 },
      {
        period: '2017-18',
        pilot: 71,
        comparatorMean: expect.closeTo((68 + 72 + 65 + 60) / 4, 9),
        comparators: 4,
      },
      { period: '2019-20', pilot: 76, comparatorMean: expect.closeTo((70 + 73 + 68) / 3, 9), comparators: 3 },
    ]);
    // From 2016-17 instead: only Walsall has it, so nothing to compare with.
    const early = ok(
      await t.gql<Versus>(VERSUS, { area: WALSALL, indicator: 'GET_ON_WELL', baseline: '2016-17' }),
    ).pilotVersusComparators;
    expect(early.estimate).toBeNull();
    expect(early.caveats[0]).toBe(
      'None of the comparator councils has figures for both periods, so there is no estimate.',
    );
    // Bradford has no comparators yet, and no GET_ON_WELL values.
    const none = await t.gql(VERSUS, { area: BRADFORD, indicator: 'GET_ON_WELL' });
    expect(none.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'indicatorCode' });
    const bad = await t.gql(VERSUS, { area: 'E08000031', indicator: 'GET_ON_WELL' });
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'areaCode' });
    const period = await t.gql(VERSUS, { area: WALSALL, indicator: 'GET_ON_WELL', latest: '2018-19' });
    expect(period.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'latestPeriod' });
  });

  it('lets every signed-in council read the comparison (as comparePilots), and only the central team change it', async () => {
    for (const who of [
      { role: 'PILOT' as const, area: WALSALL },
      { role: 'PILOT' as const, area: BRADFORD },
      { role: 'COUNCIL' as const, area: 'E06000016' },
    ]) {
      const headers = t.as(who);
      const read = await t.gql<Versus>(VERSUS, { area: WALSALL, indicator: 'GET_ON_WELL' }, headers);
      expect(read.errors).toBeUndefined();
      expect(read.data?.pilotVersusComparators.estimate).toBe(3);
      const before = await t.eventCount();
      const imp = await t.gql(
        IMPORT,
        { input: { fileName: 'x.csv', csv: CSV.replace('76', '77') } },
        headers,
      );
      expect(imp.errors?.[0].extensions.code).toBe('FORBIDDEN');
      const choose = await t.gql(
        CHOOSE,
        { input: { pilotCode: WALSALL, method: 'BY_HAND', areaCodes: ['E08000031'] } },
        headers,
      );
      expect(choose.errors?.[0].extensions.code).toBe('FORBIDDEN');
      expect(await t.eventCount()).toBe(before);
    }
    const anonymous = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer not-a-token' },
      body: JSON.stringify({ query: VERSUS, variables: { area: WALSALL, indicator: 'GET_ON_WELL' } }),
    });
    const body = (await anonymous.json()) as { errors?: { extensions: { code: string } }[] };
    expect(body.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('imports the illustrative sample from the command line, once, and refuses a bad file with its problems', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((s) => out.push(String(s)) > 0);
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((s) => err.push(String(s)) > 0);
    try {
      const sample = path.resolve('data/comparators/illustrative-public-indicators.csv');
      expect(await comparatorsImport(t.app, [sample])).toBe(0);
      expect(out.join('')).toMatch(/^Imported 1300 of 1300 rows from illustrative-public-indicators\.csv/);
      const events = await t.eventCount();
      expect(await comparatorsImport(t.app, [sample])).toBe(0);
      expect(out.join('')).toContain('was imported before');
      expect(await t.eventCount()).toBe(events);
      const bad = path.join(os.tmpdir(), `comparators-bad-${process.pid}.csv`);
      await writeFile(
        bad,
        'ons_code,indicator_code,period,value,source\nE08000030,GET_ON_WELL,2019-20,high,Survey\n',
      );
      expect(await comparatorsImport(t.app, [bad])).toBe(2);
      expect(err.join('')).toContain('row 2, column value: "high" is not a number');
      expect(await t.eventCount()).toBe(events);
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
    }
  });
});
