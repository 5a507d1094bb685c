import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { DemoSeeder, type SeedReport } from '../src/demo/demo.seeder.js';
import { financialYearOf, todayInEngland } from '../src/shared/periods.js';
import { type TestApp, startTestApp } from './support/test-app.js';

const PILOTS = ['E06000008', 'E08000032', 'E06000031', 'E08000030', 'E09000031'];
const COUNCILS = ['E06000016', 'E08000034', 'E06000032', 'E08000004', 'E09000025'];

interface FundingYear {
  year: string;
  spend: { quarter: string; amountPence: number }[];
  allocatedPence: number;
  committedPence: number;
  spentPence: number;
  overspendApprovedPence: number;
  matchCashPence: number;
  matchInKindPence: number;
}
interface PilotView {
  code: string;
  name: string;
  kind: string;
  partners: { sector: string }[];
  actions: { totalCount: number; nodes: { status: string; title: string }[] };
  fundingYears: FundingYear[];
  indicators: { indicatorCode: string; measurementCount: number; baseline: { value: number } | null }[];
  returns: { quarter: string; status: string; submissions: number; snapshot: { spend: number } | null }[];
}

const PILOT_VIEW = `query($code: String!) {
  area(code: $code) {
    code name kind partners { sector }
    actions(first: 50) { totalCount nodes { status title } }
    fundingYears { year spend { quarter amountPence } allocatedPence committedPence spentPence overspendApprovedPence matchCashPence matchInKindPence }
    indicators { indicatorCode measurementCount baseline { value } }
    returns { quarter status submissions snapshot { spend } }
  }
}`;

describe('the demo programme, loaded through the real commands', () => {
  let t: TestApp;
  let seeder: DemoSeeder;
  let report: SeedReport;
  const pilots = new Map<string, PilotView>();

  beforeAll(async () => {
    t = await startTestApp();
    seeder = t.app.get(DemoSeeder);
    expect(await seeder.inspect()).toEqual({ state: 'EMPTY' });
    report = await seeder.seed();
    for (const code of PILOTS) {
      const res = await t.gql<{ area: PilotView }>(PILOT_VIEW, { code });
      expect(res.errors).toBeUndefined();
      pilots.set(code, res.data!.area);
    }
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('reports what it wrote', () => {
    expect(report.applied).toBeGreaterThan(600);
    expect(report.eventsWritten).toBeGreaterThanOrEqual(report.applied);
    expect(report.repeated).toBe(0);
    expect(report.pilots).toBe(5);
  });

  it('registers the five real pilots and councils outside the programme', async () => {
    const res = await t.gql<{ areas: { code: string; kind: string }[] }>('{ areas { code kind } }');
    expect(res.errors).toBeUndefined();
    const areas = res.data!.areas;
    expect(
      areas
        .filter((a) => a.kind === 'PILOT')
        .map((a) => a.code)
        .sort(),
    ).toEqual([...PILOTS].sort());
    expect(
      areas
        .filter((a) => a.kind === 'NON_PILOT')
        .map((a) => a.code)
        .sort(),
    ).toEqual([...COUNCILS].sort());
    for (const code of PILOTS) {
      const sectors = new Set(pilots.get(code)!.partners.map((p) => p.sector));
      for (const s of ['COUNCIL', 'POLICE', 'SCHOOLS', 'NHS', 'VOLUNTARY', 'FAITH', 'BUSINESS'])
        expect(sectors).toContain(s);
    }
  });

  it('gives every pilot actions in several statuses', () => {
    const all = new Set<string>();
    for (const code of PILOTS) {
      const statuses = new Set(pilots.get(code)!.actions.nodes.map((a) => a.status));
      expect(statuses.size).toBeGreaterThanOrEqual(2);
      statuses.forEach((s) => all.add(s));
    }
    expect([...all].sort()).toEqual(['CANCELLED', 'COMPLETED', 'IN_PROGRESS', 'PAUSED', 'PLANNED']);
  });

  it('funds both years, spending no more than allocated plus approved overspend, and allocates this year', () => {
    const thisYear = financialYearOf(todayInEngland(new Date())).name;
    for (const code of PILOTS) {
      const all = pilots.get(code)!.fundingYears;
      // This financial year's grant, allocated and not yet committed or spent: the year a pilot reports in today.
      expect(all.map((y) => y.year)).toEqual(['2019-20', '2020-21', thisYear]);
      expect(all[2]).toMatchObject({ committedPence: 0, spentPence: 0 });
      expect(all[2].allocatedPence).toBeGreaterThan(0);
      const years = all.slice(0, 2);
      for (const y of years) {
        expect(y.spentPence).toBeGreaterThan(0);
        expect(y.spentPence).toBeLessThanOrEqual(y.committedPence);
        expect(y.committedPence).toBeLessThanOrEqual(y.allocatedPence + y.overspendApprovedPence);
      }
      expect(years.some((y) => y.matchCashPence + y.matchInKindPence > 0)).toBe(true);
    }
    // The press-reported first-year award, to the penny.
    expect(pilots.get('E06000008')!.fundingYears[0].allocatedPence).toBe(38_313_300);
    // Walsall moved £100,000 to its second year; Waltham Forest had an overspend approved.
    expect(
      pilots
        .get('E08000030')!
        .fundingYears.map((y) => y.allocatedPence)
        .slice(0, 2),
    ).toEqual([75_300_000, 90_000_000]);
    expect(pilots.get('E09000031')!.fundingYears[1].overspendApprovedPence).toBe(6_000_000);
  });

  it('records baselines and measurements for every pilot', () => {
    for (const code of PILOTS) {
      const indicators = pilots.get(code)!.indicators;
      expect(indicators.length).toBeGreaterThanOrEqual(4);
      for (const i of indicators) {
        expect(i.baseline).not.toBeNull();
        expect(i.measurementCount).toBeGreaterThan(0);
      }
    }
  });

  it('reviews returns: approved, sent back and resubmitted, and one awaiting review', () => {
    for (const code of PILOTS) {
      const returns = pilots.get(code)!.returns;
      expect(returns).toHaveLength(8);
      // Each snapshot was taken once the read models had caught up: it holds the quarter's spend as reported.
      const spend = new Map<string, number>();
      for (const y of pilots.get(code)!.fundingYears) {
        for (const s of y.spend) spend.set(s.quarter, (spend.get(s.quarter) ?? 0) + s.amountPence);
      }
      for (const r of returns)
        expect([r.quarter, r.snapshot?.spend]).toEqual([r.quarter, spend.get(r.quarter) ?? 0]);
    }
    const statuses = (code: string) =>
      pilots.get(code)!.returns.map((r) => `${r.quarter} ${r.status} ${r.submissions}`);
    expect(statuses('E08000032')).toContain('2019-20 Q3 APPROVED 2');
    expect(statuses('E08000030')).toContain('2020-21 Q4 SUBMITTED 1');
    const approved = PILOTS.flatMap((c) => pilots.get(c)!.returns).filter((r) => r.status === 'APPROVED');
    expect(approved).toHaveLength(39);
  });

  it('keeps corrections in history: the original figure and the reason', async () => {
    const spend = await t.gql<{
      area: {
        funding: {
          spend: { quarter: string; amountPence: number; originalPence: number; corrections: number }[];
        };
      };
    }>(
      '{ area(code: "E08000032") { funding(year: "2019-20") { spend { quarter amountPence originalPence corrections } } } }',
    );
    expect(spend.errors).toBeUndefined();
    expect(spend.data!.area.funding.spend.filter((s) => s.corrections > 0)).toEqual([
      { quarter: '2019-20 Q3', amountPence: 6_120_000, originalPence: 7_120_000, corrections: 1 },
    ]);
    const history = await t.gql<{
      history: { type: string; data: { quarter: string; comments?: string } }[];
    }>('{ history(stream: "return-E08000032") { type data } }');
    expect(history.errors).toBeUndefined();
    const q3 = history.data!.history.filter((h) => h.data.quarter === '2019-20 Q3');
    expect(q3.map((h) => h.type)).toEqual([
      'ReturnSubmitted',
      'ReturnSentBack',
      'ReturnSubmitted',
      'ReturnApproved',
    ]);
    expect(q3[1].data.comments).toContain('(illustrative)');
    const measurements = await t.gql<{
      measurements: { nodes: { value: number; originalValue: number; corrections: number }[] };
    }>(
      `{ measurements(filter: { areaCode: "E06000031", indicatorCode: "ESOL_ENROLMENTS" }, first: 20) {
          nodes { value originalValue corrections } } }`,
    );
    expect(measurements.errors).toBeUndefined();
    expect(measurements.data!.measurements.nodes.filter((m) => m.corrections > 0)).toEqual([
      { value: 221, originalValue: 212, corrections: 1 },
    ]);
  });

  it('marks every invented figure illustrative in the events themselves', async () => {
    // The events that carry a figure (money or a measured value), and the text each carries with it.
    const FIGURES: Record<string, string[]> = {
      GrantAllocated: ['note'],
      AllocationReprofiled: ['reason'],
      AllocationReduced: ['reason'],
      OverspendApproved: ['reason'],
      FundsCommitted: ['note'],
      SpendReported: ['note'],
      SpendCorrected: ['reason'],
      MatchFundingRecorded: ['description'],
      BaselineSet: ['note', 'source'],
      MeasurementRecorded: ['note', 'source'],
      MeasurementCorrected: ['reason'],
      ReturnSubmitted: ['note'],
    };
    // TargetSet carries no text to mark (its data is the area, indicator, value and date).
    const c = new pg.Client({ connectionString: t.db.url });
    await c.connect();
    try {
      const { rows } = await c.query<{ type: string; data: Record<string, unknown> }>(
        'SELECT event_type AS type, data FROM es_events WHERE event_type = ANY($1) ORDER BY global_position',
        [Object.keys(FIGURES)],
      );
      const count = (type: string) => rows.filter((r) => r.type === type).length;
      expect(count('FundsCommitted')).toBe(43);
      for (const type of Object.keys(FIGURES)) expect([type, count(type) > 0]).toEqual([type, true]);
      const unmarked = rows.filter(
        (r) => !FIGURES[r.type].some((f) => /illustrative/i.test(String(r.data[f] ?? ''))),
      );
      expect(unmarked.map((r) => `${r.type} ${JSON.stringify(r.data)}`)).toEqual([]);
      for (const r of rows.filter((x) => x.type === 'FundsCommitted'))
        expect(r.data.note).toMatch(/\(illustrative\)$/);
    } finally {
      await c.end();
    }
  });

  it('publishes learning that councils outside the programme adopt', async () => {
    const res = await t.gql<{
      learningLibrary: {
        totalCount: number;
        nodes: { summary: string; areaCode: string; adoptionCount: number }[];
      };
    }>('{ learningLibrary(first: 50) { totalCount nodes { summary areaCode adoptionCount } } }');
    expect(res.errors).toBeUndefined();
    const items = res.data!.learningLibrary;
    expect(items.totalCount).toBe(8);
    for (const i of items.nodes) expect(i.summary).toMatch(/^Illustrative example:/);
    expect(items.nodes.reduce((n, i) => n + i.adoptionCount, 0)).toBe(7);
  });

  it("chooses every pilot's comparators from the illustrative sample, so the comparison shows from the start", async () => {
    const central = t.as({ role: 'CENTRAL', subject: 'demo-test', name: 'Central Team' });
    for (const code of PILOTS) {
      const res = await t.gql<{
        comparators: {
          method: string;
          characteristics: string[];
          period: string;
          reason: string;
          chosenBy: string;
          comparators: { areaCode: string; distance: number }[];
        };
        pilotVersusComparators: {
          estimate: number | null;
          comparatorsUsed: number;
          illustrative: boolean;
          caveats: string[];
        };
      }>(
        `query($code: String!) {
          comparators(areaCode: $code) { method characteristics period reason chosenBy comparators { areaCode distance } }
          pilotVersusComparators(areaCode: $code, indicatorCode: "GET_ON_WELL") { estimate comparatorsUsed illustrative caveats }
        }`,
        { code },
        central,
      );
      expect(res.errors).toBeUndefined();
      const { comparators: choice, pilotVersusComparators: versus } = res.data!;
      expect(choice).toMatchObject({ method: 'NEAREST_NEIGHBOURS', period: '2017-18' });
      expect(choice.characteristics).toHaveLength(4);
      expect(choice.reason).toMatch(/^Illustrative:/);
      expect(choice.comparators).toHaveLength(15);
      for (const c of choice.comparators) expect(PILOTS).not.toContain(c.areaCode);
      const distances = choice.comparators.map((c) => c.distance);
      expect(distances).toEqual([...distances].sort((a, b) => a - b));
      // The sample gives every council GET_ON_WELL for 2015-16 to 2021-22: an estimate from all 15, marked illustrative.
      expect(versus.comparatorsUsed).toBe(15);
      expect(versus.estimate).not.toBeNull();
      // Given out to 15 significant digits, without the noise of binary fractions (-0.356, not -0.35599999999999987).
      expect(Number(versus.estimate!.toPrecision(15))).toBe(versus.estimate);
      expect(versus.illustrative).toBe(true);
    }
  });

  it("stamps every area's history with the demo loader or the area's own team", async () => {
    for (const code of [...PILOTS, ...COUNCILS]) {
      const res = await t.gql<{
        history: { actorSubject: string; actorRole: string; correlationId: string; commandId: string }[];
      }>('query($s: String!) { history(stream: $s) { actorSubject actorRole correlationId commandId } }', {
        s: `area-${code}`,
      });
      expect(res.errors).toBeUndefined();
      for (const e of res.data!.history) {
        expect(['demo-seed', `demo-${code}`]).toContain(e.actorSubject);
        expect(e.correlationId).toBe(`demo:area:${code}`);
        expect(e.commandId).toMatch(/^[0-9a-f-]{36}$/);
      }
    }
  });

  it('adds nothing when run again (the same commandIds apply once)', async () => {
    const before = await t.eventCount();
    const again = await seeder.seed();
    expect(await t.eventCount()).toBe(before);
    expect(again.applied).toBe(0);
    expect(again.repeated).toBe(again.commands);
    expect(await seeder.inspect()).toEqual({ state: 'DEMO_COMPLETE', areas: 10 });
  }, 120_000);

  it('tells a database with areas of its own apart from the demo', async () => {
    const res = await t.gql('mutation($input: RegisterAreaInput!) { registerArea(input: $input) { code } }', {
      input: {
        code: 'E07000012',
        name: 'South Cambridgeshire',
        kind: 'NON_PILOT',
        region: 'East of England',
      },
    });
    expect(res.errors).toBeUndefined();
    expect(await seeder.inspect()).toEqual({ state: 'OTHER_AREAS', areas: ['E07000012'] });
  });
});

describe('an interrupted demo load', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('completes on the next run without writing anything twice', async () => {
    const seeder = t.app.get(DemoSeeder);
    const crash = new Error('simulated crash');
    await expect(
      seeder.seed({
        onProgress: (done) => {
          if (done === 400) throw crash;
        },
      }),
    ).rejects.toBe(crash);
    expect(await seeder.inspect()).toMatchObject({ state: 'DEMO_INCOMPLETE' });

    const resumed = await seeder.seed();
    expect(resumed.repeated).toBeGreaterThan(300);
    expect(resumed.applied).toBeGreaterThan(200);
    expect(await seeder.inspect()).toEqual({ state: 'DEMO_COMPLETE', areas: 10 });
    const c = new pg.Client({ connectionString: t.db.url });
    await c.connect();
    try {
      const { rows } = await c.query(
        `SELECT count(*)::int AS events, count(DISTINCT metadata->>'commandId')::int AS commands
           FROM es_events WHERE metadata->>'commandId' IS NOT NULL`,
      );
      // Every demo command applied once: one event each, but the sample of public values, whose one command
      // records the file and then its rows a thousand to an event (1,300 rows: 1 + 2 events).
      expect(rows[0]).toEqual({ events: resumed.commands + 2, commands: resumed.commands });
    } finally {
      await c.end();
    }
  }, 120_000);
});
