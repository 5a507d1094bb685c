import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { financialYearOf } from '../src/shared/periods.js';
import { type TestApp, startTestApp } from './support/test-app.js';
import { mutation, ok } from './support/graphql.js';
import { ESOL_ENROLMENTS, GET_ON_WELL } from '../src/outcomes/domain/testing/indicators.js';

/** Comparing pilots, programme totals, series, traceable figures, and "as it stood then". */
const YEAR = '2019-20';
const PILOTS = [
  { code: 'E06000008', name: 'Blackburn with Darwen', region: 'North West' },
  { code: 'E08000030', name: 'Walsall', region: 'West Midlands' },
];

describe('comparing the pilots, now and as they stood then', () => {
  let t: TestApp;
  const actionOf: Record<string, string> = {};
  let reportDate: string;

  const m = mutation;

  beforeAll(async () => {
    t = await startTestApp();
    ok(
      await t.gql(m('defineIndicator', 'DefineIndicatorInput', 'code'), {
        input: GET_ON_WELL,
      }),
    );
    for (const [i, p] of PILOTS.entries()) {
      ok(await t.gql(m('registerArea', 'RegisterAreaInput', 'code'), { input: { ...p, kind: 'PILOT' } }));
      const partner = ok(
        await t.gql<{ registerPartner: { id: string } }>(m('registerPartner', 'RegisterPartnerInput', 'id'), {
          input: { areaCode: p.code, name: `${p.name} Council`, sector: 'COUNCIL' },
        }),
      ).registerPartner;
      const action = ok(
        await t.gql<{ planAction: { id: string } }>(m('planAction', 'PlanActionInput', 'id'), {
          input: {
            areaCode: p.code,
            title: 'Community Conversations',
            themes: ['PLACES_AND_COMMUNITY'],
            leadPartnerId: partner.id,
            plannedStart: '2019-05-01',
            plannedEnd: '2020-03-31',
          },
        }),
      ).planAction;
      actionOf[p.code] = action.id;
      ok(
        await t.gql(m('startAction', 'StartActionInput', 'id'), {
          input: { actionId: action.id, on: '2019-05-02' },
        }),
      );
      ok(
        await t.gql(m('allocateGrant', 'AllocateGrantInput', 'year'), {
          input: {
            areaCode: p.code,
            year: YEAR,
            fundingStream: 'Integration Area Programme',
            amountPence: 1_000_000 * (i + 1),
          },
        }),
      );
      ok(
        await t.gql(m('commitFunds', 'CommitFundsInput', 'year'), {
          input: { areaCode: p.code, actionId: action.id, year: YEAR, amountPence: 800_000 },
        }),
      );
      ok(
        await t.gql(m('reportSpend', 'ReportSpendInput', 'year'), {
          input: { areaCode: p.code, actionId: action.id, quarter: '2019-20 Q2', amountPence: 250_000 },
        }),
      );
      const base = { areaCode: p.code, indicatorCode: 'GET_ON_WELL' };
      ok(
        await t.gql(m('setBaseline', 'SetBaselineInput', 'indicatorCode'), {
          input: { ...base, value: 60, date: '2019-03-31', source: 'Survey' },
        }),
      );
      ok(
        await t.gql(m('setTarget', 'SetTargetInput', 'indicatorCode'), {
          input: { ...base, value: 70, date: '2021-03-31' },
        }),
      );
      ok(
        await t.gql(m('recordMeasurement', 'RecordMeasurementInput', 'id'), {
          input: {
            ...base,
            periodLabel: '2019-20 Q2',
            periodStart: '2019-07-01',
            periodEnd: '2019-09-30',
            value: 62,
            source: 'Survey',
          },
        }),
      );
    }
    // Blackburn's figures of other years, which no 2019-20 figure may count.
    const blackburn = PILOTS[0].code;
    ok(
      await t.gql(m('defineIndicator', 'DefineIndicatorInput', 'code'), {
        input: ESOL_ENROLMENTS,
      }),
    );
    for (const p of PILOTS) {
      const esol = { areaCode: p.code, indicatorCode: 'ESOL_ENROLMENTS' };
      ok(
        await t.gql(m('setBaseline', 'SetBaselineInput', 'indicatorCode'), {
          input: { ...esol, value: 100, date: '2019-03-31', source: 'Records' },
        }),
      );
      ok(
        await t.gql(m('setTarget', 'SetTargetInput', 'indicatorCode'), {
          input: { ...esol, value: 400, date: '2020-03-31' },
        }),
      );
    }
    for (const [periodLabel, periodStart, periodEnd, indicatorCode, value] of [
      ['2020-21 Q4', '2021-01-01', '2021-03-31', 'GET_ON_WELL', 68],
      ['2019-20 Q1', '2019-04-01', '2019-06-30', 'ESOL_ENROLMENTS', 40],
      ['2019-20 Q3', '2019-10-01', '2019-12-31', 'ESOL_ENROLMENTS', 70],
      ['2020-21 Q1', '2020-04-01', '2020-06-30', 'ESOL_ENROLMENTS', 90],
    ] as const)
      ok(
        await t.gql(m('recordMeasurement', 'RecordMeasurementInput', 'id'), {
          input: {
            areaCode: blackburn,
            indicatorCode,
            periodLabel,
            periodStart,
            periodEnd,
            value,
            source: 'S',
          },
        }),
      );
    const partnerId = ok(
      await t.gql<{ area: { partners: { id: string }[] } }>(
        `{ area(code: "${blackburn}") { partners { id } } }`,
      ),
    ).area.partners[0].id;
    const plan = async (title: string, plannedStart: string, plannedEnd: string) =>
      ok(
        await t.gql<{ planAction: { id: string } }>(m('planAction', 'PlanActionInput', 'id'), {
          input: {
            areaCode: blackburn,
            title,
            themes: ['PLACES_AND_COMMUNITY'],
            leadPartnerId: partnerId,
            plannedStart,
            plannedEnd,
          },
        }),
      ).planAction.id;
    // Planned for 2021-22 only.
    await plan('Youth Ambassadors', '2021-05-01', '2022-03-31');
    // Done within 2018-19.
    const welcome = await plan('Welcome packs', '2018-06-01', '2019-02-28');
    ok(
      await t.gql(m('startAction', 'StartActionInput', 'id'), {
        input: { actionId: welcome, on: '2018-06-01' },
      }),
    );
    ok(
      await t.gql(m('completeAction', 'CompleteActionInput', 'id'), {
        input: { actionId: welcome, on: '2019-03-15', summary: 'Delivered' },
      }),
    );
    // Published and adopted today: in today's financial year, not in 2019-20.
    const item = ok(
      await t.gql<{ draftLearning: { id: string } }>(m('draftLearning', 'DraftLearningInput', 'id'), {
        input: {
          areaCode: blackburn,
          type: 'CASE_STUDY',
          title: 'Conversations that worked',
          summary: 'What we learnt.',
          body: 'Illustrative test data.',
          themes: ['PLACES_AND_COMMUNITY'],
          indicatorCodes: ['GET_ON_WELL'],
          evidenceLinks: [],
        },
      }),
    ).draftLearning;
    ok(await t.gql(m('publishLearning', 'PublishLearningInput', 'id'), { input: { id: item.id } }));
    ok(
      await t.gql(m('registerArea', 'RegisterAreaInput', 'code'), {
        input: {
          code: 'E07000012',
          name: 'South Cambridgeshire',
          kind: 'NON_PILOT',
          region: 'East of England',
        },
      }),
    );
    ok(
      await t.gql(m('adoptLearning', 'AdoptLearningInput', 'id'), {
        input: { id: item.id, adoptingAreaCode: 'E07000012', note: 'Trying it' },
      }),
    );

    await new Promise((r) => setTimeout(r, 30));
    reportDate = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 30));
    // Corrections made after the report date.
    const walsall = PILOTS[1].code;
    ok(
      await t.gql(m('correctSpend', 'CorrectSpendInput', 'year'), {
        input: {
          areaCode: walsall,
          actionId: actionOf[walsall],
          quarter: '2019-20 Q2',
          amountPence: 300_000,
          reason: 'Late invoice',
        },
      }),
    );
    const measurement = ok(
      await t.gql<{ measurements: { nodes: { id: string }[] } }>(
        `{ measurements(filter: { areaCode: "${walsall}" }) { nodes { id } } }`,
      ),
    ).measurements.nodes[0];
    ok(
      await t.gql(m('correctMeasurement', 'CorrectMeasurementInput', 'id'), {
        input: { areaCode: walsall, measurementId: measurement.id, value: 66, reason: 'Weighting fixed' },
      }),
    );
  });

  afterAll(async () => {
    await t?.close();
  });

  const COMPARE = `query($asOf: DateTime) {
    comparePilots(year: "${YEAR}", indicators: ["GET_ON_WELL"], themes: ["PLACES_AND_COMMUNITY"], asOf: $asOf) {
      areaCode areaName allocatedPence committedPence spentPence spendRate
      actionsByStatus { status count } actionsByTheme { theme status count }
      indicators { indicatorCode baseline { value } latest { value periodLabel } nextTarget { value date } progress }
      returns { quarter status }
    }
  }`;
  type Row = {
    areaCode: string;
    spentPence: number;
    spendRate: number;
    indicators: { latest: { value: number }; progress: number }[];
    actionsByStatus: { status: string; count: number }[];
    returns: unknown[];
  };

  it('compares the pilots side by side, live', async () => {
    const rows = ok(await t.gql<{ comparePilots: Row[] }>(COMPARE)).comparePilots;
    expect(rows.map((r) => r.areaCode)).toEqual(['E06000008', 'E08000030']); // by name
    const walsall = rows[1];
    expect(walsall).toMatchObject({ spentPence: 300_000, spendRate: 0.15 });
    expect(walsall.indicators[0]).toMatchObject({
      latest: { value: 66, periodLabel: '2019-20 Q2' },
      progress: 0.6,
    });
    expect(walsall.actionsByStatus).toEqual([{ status: 'IN_PROGRESS', count: 1 }]);
    expect(walsall.returns).toHaveLength(4);
    expect(rows[0].indicators[0].progress).toBe(0.2);
  });

  it('answers as it stood at the report date: corrections made later do not show', async () => {
    const rows = ok(await t.gql<{ comparePilots: Row[] }>(COMPARE, { asOf: reportDate })).comparePilots;
    const walsall = rows[1];
    expect(walsall).toMatchObject({ spentPence: 250_000, spendRate: 0.125 });
    expect(walsall.indicators[0]).toMatchObject({ latest: { value: 62 }, progress: 0.2 });

    const area = `query($asOf: DateTime) { area(code: "E08000030", asOf: $asOf) {
      name funding(year: "${YEAR}") { spentPence spend { amountPence corrections } }
      indicators { indicatorCode latest { value } }
    } }`;
    const past = ok(
      await t.gql<{
        area: {
          funding: { spentPence: number; spend: { corrections: number }[] };
          indicators: { indicatorCode: string; latest: { value: number } }[];
        };
      }>(area, { asOf: reportDate }),
    ).area;
    expect(past.funding.spentPence).toBe(250_000);
    expect(past.funding.spend[0].corrections).toBe(0);
    expect(past.indicators.find((i) => i.indicatorCode === 'GET_ON_WELL')!.latest.value).toBe(62);
    const now = ok(
      await t.gql<{
        area: {
          funding: { spentPence: number };
          indicators: { indicatorCode: string; latest: { value: number } }[];
        };
      }>(area, { asOf: null }),
    ).area;
    expect(now.funding.spentPence).toBe(300_000);
    expect(now.indicators.find((i) => i.indicatorCode === 'GET_ON_WELL')!.latest.value).toBe(66);

    const before = ok(await t.gql<{ area: unknown }>(area, { asOf: '2001-01-01T00:00:00Z' })).area;
    expect(before).toBeNull(); // the area did not exist yet
  });

  it('refuses asOf beside other fields, since the snapshot serves the whole request', async () => {
    const res = await t.gql(
      `{ area(code: "E08000030", asOf: "${new Date().toISOString()}") { name } areas { code } }`,
    );
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'asOf' });
  });

  it('totals the programme', async () => {
    const s = ok(
      await t.gql<{ programmeSummary: Record<string, unknown> }>(
        `{ programmeSummary(year: "${YEAR}") { pilots allocatedPence committedPence spentPence spendRate actionsByStatus { status count } returnsByStatus { status count } } }`,
      ),
    ).programmeSummary;
    expect(s).toEqual({
      pilots: 2,
      allocatedPence: 3_000_000,
      committedPence: 1_600_000,
      spentPence: 550_000,
      spendRate: 550_000 / 3_000_000,
      actionsByStatus: [{ status: 'IN_PROGRESS', count: 2 }],
      returnsByStatus: [{ status: 'NOT_SUBMITTED', count: 8 }],
    });
  });

  it('counts in a year only what belongs to it: actions active in it, measurements, learning', async () => {
    type Summary = {
      actionsByStatus: { status: string; count: number }[];
      learningPublished: number;
      learningAdoptions: number;
    };
    const summary = async (year: string, asOf?: string) =>
      ok(
        await t.gql<{ programmeSummary: Summary }>(
          `query($asOf: DateTime) { programmeSummary(year: "${year}", asOf: $asOf) {
            actionsByStatus { status count } learningPublished learningAdoptions } }`,
          { asOf },
        ),
      ).programmeSummary;
    const byStatus = (s: Summary) => Object.fromEntries(s.actionsByStatus.map((c) => [c.status, c.count]));
    const thisYear = financialYearOf(new Date().toISOString().slice(0, 10)).name;

    // 2018-19: only the welcome packs, done within it; Community Conversations began in 2019-20.
    expect(byStatus(await summary('2018-19'))).toEqual({ COMPLETED: 1 });
    expect(byStatus(await summary('2018-19', reportDate))).toEqual({ COMPLETED: 1 });
    // 2019-20: the two pilots' Community Conversations, no more (the welcome packs ended before it, the
    // ambassadors are planned after it).
    expect(await summary('2019-20')).toEqual({
      actionsByStatus: [{ status: 'IN_PROGRESS', count: 2 }],
      learningPublished: 0,
      learningAdoptions: 0,
    });
    // 2021-22: still running, and the ambassadors planned in it.
    expect(byStatus(await summary('2021-22'))).toEqual({ IN_PROGRESS: 2, PLANNED: 1 });
    // Learning published and adopted today belongs to today's financial year.
    expect(await summary(thisYear)).toMatchObject({ learningPublished: 1, learningAdoptions: 1 });

    type Compared = {
      areaCode: string;
      actionsByTheme: { theme: string; status: string; count: number }[];
      indicators: {
        indicatorCode: string;
        latest: { value: number; periodLabel: string } | null;
        previous: { periodLabel: string } | null;
        measurementCount: number;
        cumulative: number | null;
      }[];
    };
    const compare = async (year: string, asOf?: string) =>
      ok(
        await t.gql<{ comparePilots: Compared[] }>(
          `query($asOf: DateTime) { comparePilots(year: "${year}", indicators: ["GET_ON_WELL", "ESOL_ENROLMENTS"], asOf: $asOf) {
            areaCode actionsByTheme { theme status count }
            indicators { indicatorCode latest { value periodLabel } previous { periodLabel } measurementCount cumulative } } }`,
          { asOf },
        ),
      ).comparePilots.find((r) => r.areaCode === 'E06000008')!;
    for (const asOf of [undefined, reportDate]) {
      const y2019 = await compare('2019-20', asOf);
      expect(y2019.actionsByTheme).toEqual([
        { theme: 'PLACES_AND_COMMUNITY', status: 'IN_PROGRESS', count: 1 },
      ]);
      // The 2020-21 Q4 measurement is not 2019-20's latest; the year's ESOL total is its two quarters'.
      expect(y2019.indicators).toEqual([
        {
          indicatorCode: 'GET_ON_WELL',
          latest: { value: 62, periodLabel: '2019-20 Q2' },
          previous: null,
          measurementCount: 1,
          cumulative: null,
        },
        {
          indicatorCode: 'ESOL_ENROLMENTS',
          latest: { value: 70, periodLabel: '2019-20 Q3' },
          previous: { periodLabel: '2019-20 Q1' },
          measurementCount: 2,
          cumulative: 110,
        },
      ]);
      const y2020 = await compare('2020-21', asOf);
      expect(y2020.indicators.map((i) => [i.latest, i.measurementCount, i.cumulative])).toEqual([
        [{ value: 68, periodLabel: '2020-21 Q4' }, 1, null],
        [{ value: 90, periodLabel: '2020-21 Q1' }, 1, 90],
      ]);
      const y2018 = await compare('2018-19', asOf);
      expect(y2018.indicators.map((i) => [i.latest, i.measurementCount])).toEqual([
        [null, 0],
        [null, 0],
      ]);
    }
  });

  it('gives spendRate in one form everywhere: the full-precision ratio', async () => {
    const rows = ok(
      await t.gql<{
        comparePilots: { areaCode: string; spentPence: number; allocatedPence: number; spendRate: number }[];
      }>(`{ comparePilots(year: "${YEAR}") { areaCode spentPence allocatedPence spendRate } }`),
    ).comparePilots;
    for (const r of rows) {
      expect(r.spendRate).toBe(r.spentPence / r.allocatedPence);
      const area = ok(
        await t.gql<{ area: { funding: { spendRate: number } } }>(
          `{ area(code: "${r.areaCode}") { funding(year: "${YEAR}") { spendRate } } }`,
        ),
      ).area;
      expect(area.funding.spendRate).toBe(r.spendRate);
    }
    const s = ok(
      await t.gql<{ programmeSummary: { spentPence: number; allocatedPence: number; spendRate: number } }>(
        `{ programmeSummary(year: "${YEAR}") { spentPence allocatedPence spendRate } }`,
      ),
    ).programmeSummary;
    // 550,000 of 3,000,000: a ratio that no rounding leaves alone.
    expect(s.spendRate).toBe(s.spentPence / s.allocatedPence);
  });

  it('names the action and the area in the summaries of the feed, history and figure sources, never ids', async () => {
    const walsall = PILOTS[1].code;
    const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
    type Entry = { type: string; summary: string };
    // The activity feed follows the mutations' own read models on its own.
    expect(await t.settle()).toBe(true);
    const feed = ok(
      await t.gql<{ activity: { nodes: Entry[]; totalCount: number } }>(
        `{ activity(first: 100, areaCode: "${walsall}") { nodes { type summary } totalCount } }`,
      ),
    ).activity.nodes;
    expect(feed.filter((e) => uuid.test(e.summary) || !e.summary.includes('Walsall'))).toEqual([]);
    expect(feed).toContainEqual({
      type: 'FundsCommitted',
      summary: 'Funds committed “Community Conversations” for 2019-20 (£8,000.00), Walsall',
    });
    expect(feed).toContainEqual({
      type: 'ActionStarted',
      summary: 'Action started “Community Conversations”, Walsall',
    });

    const history = ok(
      await t.gql<{ history: Entry[] }>(
        `{ history(stream: "action-${actionOf[walsall]}") { type summary } }`,
      ),
    ).history;
    expect(history.map((e) => e.summary)).toEqual([
      'Action planned “Community Conversations”, Walsall',
      'Action started “Community Conversations”, Walsall',
    ]);
    const sources = ok(
      await t.gql<{ figureSources: Entry[] }>(
        `{ figureSources(areaCode: "${walsall}", figure: SPENT, year: "${YEAR}") { type summary } }`,
      ),
    ).figureSources;
    expect(sources.map((e) => e.summary)).toEqual([
      'Spend reported “Community Conversations” for 2019-20 Q2 (£2,500.00), Walsall',
      'Spend corrected “Community Conversations” for 2019-20 Q2 (£3,000.00), Walsall',
    ]);
  });

  it("counts the activity feed's entries, in all and with an area filter", async () => {
    type Page = {
      nodes: { type: string }[];
      totalCount: number;
      pageInfo: { hasNextPage: boolean; endCursor: string };
    };
    const all = async (areaCode: string | null) => {
      let after: string | null = null;
      let seen = 0;
      let total: number | null = null;
      for (;;) {
        const page: Page = ok(
          await t.gql<{ activity: Page }>(
            `query($a: String, $after: String) { activity(first: 100, areaCode: $a, after: $after) {
              nodes { type } totalCount pageInfo { hasNextPage endCursor } } }`,
            { a: areaCode, after },
          ),
        ).activity;
        seen += page.nodes.length;
        total ??= page.totalCount;
        expect(page.totalCount).toBe(total);
        if (!page.pageInfo.hasNextPage) return { seen, total };
        after = page.pageInfo.endCursor;
      }
    };
    const everything = await all(null);
    expect(everything.total).toBe(everything.seen);
    const walsall = await all(PILOTS[1].code);
    expect(walsall.total).toBe(walsall.seen);
    expect(walsall.total).toBeGreaterThan(0);
    expect(walsall.total).toBeLessThan(everything.total);
  });

  it('gives an indicator series across areas for charts', async () => {
    const series = ok(
      await t.gql<{ indicatorSeries: { areaCode: string; value: number; corrections: number }[] }>(
        '{ indicatorSeries(indicatorCode: "GET_ON_WELL") { areaCode value periodEnd corrections } }',
      ),
    ).indicatorSeries;
    expect(series.map((p) => [p.areaCode, p.value, p.corrections])).toEqual([
      ['E06000008', 62, 0],
      ['E08000030', 66, 1],
      ['E06000008', 68, 0],
    ]);
    const bad = await t.gql('{ indicatorSeries(indicatorCode: "NOPE") { value } }');
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'indicatorCode' });
  });

  it('traces a figure to the events behind it, now and as of the report date', async () => {
    const q = `query($asOf: DateTime) { figureSources(areaCode: "E08000030", figure: SPENT, year: "${YEAR}", asOf: $asOf) {
      type streamId data } }`;
    const now = ok(
      await t.gql<{ figureSources: { type: string; data: { amountPence: number } }[] }>(q),
    ).figureSources;
    expect(now.map((e) => [e.type, e.data.amountPence])).toEqual([
      ['SpendReported', 250_000],
      ['SpendCorrected', 300_000],
    ]);
    const then = ok(
      await t.gql<{ figureSources: { type: string }[] }>(q, { asOf: reportDate }),
    ).figureSources;
    expect(then.map((e) => e.type)).toEqual(['SpendReported']);
    const indicator = ok(
      await t.gql<{ figureSources: { type: string }[] }>(
        '{ figureSources(areaCode: "E08000030", figure: INDICATOR, indicatorCode: "GET_ON_WELL") { type } }',
      ),
    ).figureSources;
    expect(indicator.map((e) => e.type)).toEqual([
      'BaselineSet',
      'TargetSet',
      'MeasurementRecorded',
      'MeasurementCorrected',
    ]);
    // Only that indicator's events, though the area has set a baseline and a target for another.
    const sources = ok(
      await t.gql<{
        figureSources: { type: string; data: { indicatorCode?: string; measurementId?: string } }[];
      }>(
        '{ figureSources(areaCode: "E06000008", figure: INDICATOR, indicatorCode: "ESOL_ENROLMENTS") { type data } }',
      ),
    ).figureSources;
    expect(sources.map((e) => [e.type, e.data.indicatorCode])).toEqual([
      ['BaselineSet', 'ESOL_ENROLMENTS'],
      ['TargetSet', 'ESOL_ENROLMENTS'],
      ['MeasurementRecorded', 'ESOL_ENROLMENTS'],
      ['MeasurementRecorded', 'ESOL_ENROLMENTS'],
      ['MeasurementRecorded', 'ESOL_ENROLMENTS'],
    ]);
    const missingYear = await t.gql('{ figureSources(areaCode: "E08000030", figure: SPENT) { type } }');
    expect(missingYear.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'year' });
  });
});
