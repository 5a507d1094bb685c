import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { type GraphQLResponse, type TestApp, type TokenRequest, startTestApp } from './support/test-app.js';

/**
 * The authorisation matrix: every query and mutation of the running schema, as each kind of user, for their own
 * area and for another. Allowed calls must succeed; refused ones must answer FORBIDDEN (UNAUTHENTICATED for a
 * visitor without a token) and write nothing. The operations are read from the server's own schema, so adding an
 * operation without adding it to POLICY below (and a policy beside its resolver) fails this test.
 */

/** Who may call an operation. */
type Rule =
  /** everyone, with or without a token */
  | 'anyone'
  /** CENTRAL, PILOT and COUNCIL users */
  | 'signedIn'
  /** CENTRAL and PILOT users (pilot-level records: pilots read every pilot) */
  | 'pilotReaders'
  /** the central team only */
  | 'central'
  /** CENTRAL, and PILOT users for their own area only */
  | 'pilotOwnArea'
  /** CENTRAL, and PILOT or COUNCIL users for their own council only (adopting learning) */
  | 'ownCouncil';

const POLICY: Record<string, Rule> = {
  // queries
  action: 'pilotReaders',
  actions: 'pilotReaders',
  activity: 'pilotReaders',
  actorActivity: 'central',
  area: 'pilotReaders',
  areas: 'pilotReaders',
  comparePilots: 'signedIn',
  figureSources: 'pilotReaders',
  grantAwards: 'anyone',
  history: 'pilotReaders',
  indicator: 'signedIn',
  indicatorCatalogue: 'signedIn',
  indicatorSeries: 'signedIn',
  learningAdoptedBy: 'signedIn',
  learningAdoptionsByPilot: 'signedIn',
  learningAreas: 'anyone',
  learningItem: 'anyone',
  learningLibrary: 'anyone',
  measurements: 'pilotReaders',
  programmeSummary: 'signedIn',
  programmeTotals: 'anyone',
  themes: 'anyone',
  viewer: 'anyone',
  // mutations
  registerArea: 'central',
  registerPartner: 'pilotOwnArea',
  defineTheme: 'central',
  reviseTheme: 'central',
  retireTheme: 'central',
  planAction: 'pilotOwnArea',
  reviseAction: 'pilotOwnArea',
  startAction: 'pilotOwnArea',
  reachMilestone: 'pilotOwnArea',
  completeAction: 'pilotOwnArea',
  pauseAction: 'pilotOwnArea',
  resumeAction: 'pilotOwnArea',
  cancelAction: 'pilotOwnArea',
  allocateGrant: 'central',
  reprofileAllocation: 'central',
  reduceAllocation: 'central',
  approveOverspend: 'central',
  commitFunds: 'pilotOwnArea',
  reportSpend: 'pilotOwnArea',
  correctSpend: 'pilotOwnArea',
  recordMatchFunding: 'pilotOwnArea',
  defineIndicator: 'central',
  reviseIndicator: 'central',
  retireIndicator: 'central',
  setBaseline: 'pilotOwnArea',
  setTarget: 'pilotOwnArea',
  recordMeasurement: 'pilotOwnArea',
  correctMeasurement: 'pilotOwnArea',
  submitReturn: 'pilotOwnArea',
  approveReturn: 'central',
  sendBackReturn: 'central',
  draftLearning: 'pilotOwnArea',
  reviseLearning: 'pilotOwnArea',
  publishLearning: 'pilotOwnArea',
  retractLearning: 'pilotOwnArea',
  adoptLearning: 'ownCouncil',
  recordSpreadsheetImport: 'pilotOwnArea',
  // comparators (issue 16 §3): read as comparePilots, changed by the central team
  pilotVersusComparators: 'signedIn',
  comparators: 'signedIn',
  publicIndicators: 'signedIn',
  publicCouncils: 'signedIn',
  publicDataFiles: 'central',
  importPublicIndicatorValues: 'central',
  chooseComparators: 'central',
};

type Who = 'CENTRAL' | 'PILOT' | 'COUNCIL' | 'ANONYMOUS';
type Scope = 'own' | 'other';

function allowed(rule: Rule, who: Who, scope: Scope): boolean {
  switch (rule) {
    case 'anyone':
      return true;
    case 'signedIn':
      return who !== 'ANONYMOUS';
    case 'pilotReaders':
      return who === 'CENTRAL' || who === 'PILOT';
    case 'central':
      return who === 'CENTRAL';
    case 'pilotOwnArea':
      return who === 'CENTRAL' || (who === 'PILOT' && scope === 'own');
    case 'ownCouncil':
      return who === 'CENTRAL' || ((who === 'PILOT' || who === 'COUNCIL') && scope === 'own');
  }
}

const A = 'E06000008'; // pilot: Blackburn with Darwen (the PILOT user's own area)
const B = 'E08000032'; // pilot: Bradford
const C = 'E06000016'; // council outside the programme: Leicester (the COUNCIL user's own council)
const D = 'E08000034'; // council outside the programme: Kirklees
const PILOTS = new Set([A, B]);
const YEAR = '2019-20';
const INDICATOR = 'MATRIX_MIXING';
const THEMES = ['EDUCATION_AND_YOUNG_PEOPLE'];
const PUBLIC_INDICATOR = 'MATRIX_PUBLIC';
const PUBLIC_CSV = [
  'ons_code,indicator_code,period,value,source',
  ...[A, B, C, D, 'E08000031'].flatMap((code, i) => [
    `${code},${PUBLIC_INDICATOR},2017-18,${50 + i},Matrix test (illustrative)`,
    `${code},${PUBLIC_INDICATOR},2019-20,${52 + 2 * i},Matrix test (illustrative)`,
  ]),
].join('\n');

const ACTORS: Record<Who, { token?: TokenRequest; own: string; other: string }> = {
  CENTRAL: { token: { role: 'CENTRAL', subject: 'matrix-central', name: 'Central Team' }, own: A, other: B },
  PILOT: {
    token: { role: 'PILOT', area: A, subject: 'matrix-pilot', name: 'Pilot Officer' },
    own: A,
    other: B,
  },
  COUNCIL: { token: { role: 'COUNCIL', area: C, subject: 'matrix-council' }, own: C, other: D },
  ANONYMOUS: { own: A, other: B },
};

interface Call {
  query: string;
  variables: Record<string, unknown>;
}
/** Builds a schema-valid call of an operation touching `area`, preparing what it needs (as the central team). */
type Case = (area: string) => Promise<Call>;

describe('authorisation matrix: every operation as every kind of user', () => {
  let t: TestApp;
  let central: Record<string, string>;
  let n = 0;
  const next = () => ++n;
  const partners = new Map<string, string>();
  const quarters = new Map<string, number>();

  async function latestActors(count: number): Promise<Record<string, unknown>[]> {
    const c = new pg.Client({ connectionString: t.db.url });
    await c.connect();
    try {
      const r = await c.query('SELECT metadata FROM es_events ORDER BY global_position DESC LIMIT $1', [
        count,
      ]);
      return r.rows.map((row) => row.metadata.actor);
    } finally {
      await c.end();
    }
  }

  /** A preparation step as the central team: must succeed. */
  async function prep<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown>,
  ): Promise<T> {
    const res = await t.gql<T>(query, variables, central);
    if (res.errors) throw new Error(`preparation failed: ${JSON.stringify(res.errors)}`);
    return res.data as T;
  }

  const m = (name: string, type: string) =>
    `mutation($input: ${type}!) { ${name}(input: $input) { __typename } }`;

  const PLAN = 'mutation($i: PlanActionInput!) { planAction(input: $i) { id milestones { id } } }';

  // -------------------------------------------------------------------------------- things to act upon
  // For councils outside the programme nothing can be prepared: made-up ids (the calls are refused anyway).

  async function newAction(
    area: string,
    state: 'PLANNED' | 'IN_PROGRESS' | 'PAUSED' = 'PLANNED',
  ): Promise<{ id: string; milestoneId: string }> {
    if (!PILOTS.has(area)) return { id: randomUUID(), milestoneId: randomUUID() };
    const planned = await prep<{ planAction: { id: string; milestones: { id: string }[] } }>(PLAN, {
      i: {
        areaCode: area,
        title: `Matrix action ${next()}`,
        themes: THEMES,
        leadPartnerId: partners.get(area),
        plannedStart: '2019-04-01',
        plannedEnd: '2021-03-31',
        milestones: [{ title: 'Halfway', dueDate: '2020-03-31' }],
      },
    });
    const id = planned.planAction.id;
    if (state !== 'PLANNED')
      await prep(m('startAction', 'StartActionInput'), { input: { actionId: id, on: '2019-04-02' } });
    if (state === 'PAUSED')
      await prep(m('pauseAction', 'PauseActionInput'), {
        input: { actionId: id, on: '2019-05-01', reason: 'Staff changes' },
      });
    return { id, milestoneId: planned.planAction.milestones[0].id };
  }

  async function committedAction(area: string): Promise<string> {
    const { id } = await newAction(area, 'IN_PROGRESS');
    if (PILOTS.has(area))
      await prep(m('commitFunds', 'CommitFundsInput'), {
        input: { areaCode: area, actionId: id, year: YEAR, amountPence: 10_000 },
      });
    return id;
  }

  async function reportedAction(area: string): Promise<string> {
    const id = await committedAction(area);
    if (PILOTS.has(area))
      await prep(m('reportSpend', 'ReportSpendInput'), {
        input: { areaCode: area, actionId: id, quarter: `${YEAR} Q1`, amountPence: 5_000 },
      });
    return id;
  }

  /** A period of one day, unique across the test: one measurement per area, indicator and period. */
  function period(): { periodLabel: string; periodStart: string; periodEnd: string } {
    const day = new Date(Date.UTC(2019, 3, 1) + next() * 86_400_000).toISOString().slice(0, 10);
    return { periodLabel: `Day ${day}`, periodStart: day, periodEnd: day };
  }

  async function newMeasurement(area: string): Promise<string> {
    if (!PILOTS.has(area)) return randomUUID();
    const data = await prep<{ recordMeasurement: { id: string } }>(
      'mutation($input: RecordMeasurementInput!) { recordMeasurement(input: $input) { id } }',
      { input: { areaCode: area, indicatorCode: INDICATOR, value: 41, source: 'Survey', ...period() } },
    );
    return data.recordMeasurement.id;
  }

  /** A quarter no return has touched yet (from 2020-21 on, clear of the spend and measurements above). */
  function freshQuarter(area: string): string {
    const i = quarters.get(area) ?? 0;
    quarters.set(area, i + 1);
    const year = 2020 + Math.floor(i / 4);
    return `${year}-${String((year + 1) % 100).padStart(2, '0')} Q${(i % 4) + 1}`;
  }

  async function submittedQuarter(area: string): Promise<string> {
    const quarter = freshQuarter(area);
    if (PILOTS.has(area))
      await prep(m('submitReturn', 'SubmitReturnInput'), {
        input: { areaCode: area, quarter, note: 'Done' },
      });
    return quarter;
  }

  async function newItem(area: string, published: boolean): Promise<string> {
    if (!PILOTS.has(area)) return randomUUID();
    const data = await prep<{ draftLearning: { id: string } }>(
      'mutation($input: DraftLearningInput!) { draftLearning(input: $input) { id } }',
      {
        input: {
          areaCode: area,
          type: 'CASE_STUDY',
          title: `Matrix learning ${next()}`,
          summary: 'What happened when schools were linked.',
          body: 'Twelve schools were linked for a year.',
          themes: THEMES,
        },
      },
    );
    const id = data.draftLearning.id;
    if (published) await prep(m('publishLearning', 'PublishLearningInput'), { input: { id } });
    return id;
  }

  async function newTheme(): Promise<string> {
    const code = `MATRIX_THEME_${next()}`;
    await prep(m('defineTheme', 'DefineThemeInput'), {
      input: { code, name: `Theme ${code}`, kind: 'STRATEGY_THEME' },
    });
    return code;
  }

  const indicatorInput = (code: string) => ({
    code,
    name: `Indicator ${code}`,
    unit: 'PERCENTAGE',
    direction: 'HIGHER_IS_BETTER',
    theme: 'EDUCATION_AND_YOUNG_PEOPLE',
    domain: 'SOCIAL_BRIDGES',
    definition: 'Share of pupils mixing monthly',
    source: 'Pupil survey',
  });

  async function newIndicator(): Promise<string> {
    const code = `MATRIX_IND_${next()}`;
    await prep(m('defineIndicator', 'DefineIndicatorInput'), { input: indicatorInput(code) });
    return code;
  }

  const freshAreaCode = () => `E07${String(100_000 + next()).padStart(6, '0')}`;

  // --------------------------------------------------------------------------------------- the cases

  const CASES: Record<string, Case> = {
    // ---- queries
    action: async (area) => ({
      query: 'query($id: ID!) { action(id: $id) { __typename } }',
      variables: { id: (await newAction(PILOTS.has(area) ? area : A)).id },
    }),
    actions: async (area) => ({
      query: 'query($f: ActionFilter) { actions(filter: $f) { nodes { id } } }',
      variables: { f: { areaCode: area } },
    }),
    activity: async (area) => ({
      query: 'query($a: String) { activity(areaCode: $a, first: 5) { nodes { type actorSubject } } }',
      variables: { a: area },
    }),
    actorActivity: async () => ({
      query: `query($s: String!, $from: DateTime!, $to: DateTime!) {
        actorActivity(subject: $s, from: $from, to: $to) { nodes { type } } }`,
      variables: { s: 'matrix-pilot', from: '2000-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z' },
    }),
    area: async (area) => ({
      query: 'query($c: String!) { area(code: $c) { code partners { name } } }',
      variables: { c: area },
    }),
    areas: async () => ({ query: '{ areas { code } }', variables: {} }),
    pilotVersusComparators: async (area) => ({
      query: `query($a: String!) {
        pilotVersusComparators(areaCode: $a, indicatorCode: "${PUBLIC_INDICATOR}") { estimate caveats } }`,
      variables: { a: PILOTS.has(area) ? area : A },
    }),
    comparators: async (area) => ({
      query: 'query($a: String!) { comparators(areaCode: $a) { revision } }',
      variables: { a: area },
    }),
    publicIndicators: async () => ({ query: '{ publicIndicators { code } }', variables: {} }),
    publicCouncils: async () => ({ query: '{ publicCouncils { code } }', variables: {} }),
    publicDataFiles: async () => ({ query: '{ publicDataFiles { digest } }', variables: {} }),
    importPublicIndicatorValues: async () => ({
      query: m('importPublicIndicatorValues', 'ImportPublicValuesInput'),
      variables: {
        input: {
          fileName: 'matrix.csv',
          csv: `ons_code,indicator_code,period,value,source\nE08000031,${PUBLIC_INDICATOR},2020-21,${next()},Matrix test\n`,
        },
      },
    }),
    chooseComparators: async (area) => ({
      query: m('chooseComparators', 'ChooseComparatorsInput'),
      variables: {
        input: {
          pilotCode: PILOTS.has(area) ? area : A,
          method: 'BY_HAND',
          areaCodes: next() % 2 ? ['E08000031', C] : ['E08000031', D],
        },
      },
    }),
    comparePilots: async () => ({
      query: 'query($y: String!) { comparePilots(year: $y) { areaCode } }',
      variables: { y: YEAR },
    }),
    figureSources: async (area) => ({
      query:
        'query($a: String!, $y: String) { figureSources(areaCode: $a, figure: ALLOCATED, year: $y) { type } }',
      variables: { a: area, y: YEAR },
    }),
    history: async (area) => ({
      query: 'query($s: String!) { history(stream: $s) { type actorSubject } }',
      variables: { s: `area-${area}` },
    }),
    indicator: async () => ({ query: `{ indicator(code: "${INDICATOR}") { code } }`, variables: {} }),
    indicatorCatalogue: async () => ({ query: '{ indicatorCatalogue { code } }', variables: {} }),
    indicatorSeries: async (area) => ({
      query:
        'query($i: String!, $a: [String!]) { indicatorSeries(indicatorCode: $i, areaCodes: $a) { value } }',
      variables: { i: INDICATOR, a: [area] },
    }),
    learningAdoptedBy: async (area) => ({
      query: 'query($a: String!) { learningAdoptedBy(areaCode: $a) { itemId } }',
      variables: { a: area },
    }),
    learningAreas: async () => ({
      query: '{ learningAreas { code name published } }',
      variables: {},
    }),
    learningAdoptionsByPilot: async () => ({
      query: '{ learningAdoptionsByPilot { areaCode adoptions } }',
      variables: {},
    }),
    learningItem: async (area) => ({
      query: 'query($id: ID!) { learningItem(id: $id) { id title } }',
      variables: { id: await newItem(PILOTS.has(area) ? area : A, true) },
    }),
    learningLibrary: async (area) => ({
      query: 'query($f: LearningLibraryFilter) { learningLibrary(filter: $f) { nodes { id } } }',
      variables: { f: { areaCode: area } },
    }),
    measurements: async (area) => ({
      query: 'query($f: MeasurementFilter) { measurements(filter: $f) { nodes { id } } }',
      variables: { f: { areaCode: area } },
    }),
    grantAwards: async () => ({ query: '{ grantAwards { areaCode amountPence awardedAt } }', variables: {} }),
    programmeTotals: async () => ({ query: '{ programmeTotals { year allocatedPence } }', variables: {} }),
    programmeSummary: async () => ({
      query: 'query($y: String!) { programmeSummary(year: $y) { pilots } }',
      variables: { y: YEAR },
    }),
    themes: async () => ({ query: '{ themes { code } }', variables: {} }),
    viewer: async () => ({
      query: '{ viewer { signedIn role may(operation: "registerArea") } }',
      variables: {},
    }),

    // ---- mutations: areas and themes
    registerArea: async () => ({
      query: m('registerArea', 'RegisterAreaInput'),
      variables: {
        input: { code: freshAreaCode(), name: 'New council', kind: 'NON_PILOT', region: 'South East' },
      },
    }),
    registerPartner: async (area) => ({
      query: m('registerPartner', 'RegisterPartnerInput'),
      variables: { input: { areaCode: area, name: `Partner ${next()}`, sector: 'VOLUNTARY' } },
    }),
    defineTheme: async () => ({
      query: m('defineTheme', 'DefineThemeInput'),
      variables: { input: { code: `MATRIX_NEW_${next()}`, name: 'A theme', kind: 'STRATEGY_THEME' } },
    }),
    reviseTheme: async () => ({
      query: m('reviseTheme', 'ReviseThemeInput'),
      variables: { input: { code: await newTheme(), name: `Renamed ${next()}` } },
    }),
    retireTheme: async () => ({
      query: m('retireTheme', 'RetireThemeInput'),
      variables: { input: { code: await newTheme(), reason: 'Merged into another' } },
    }),

    // ---- delivery
    planAction: async (area) => ({
      query: m('planAction', 'PlanActionInput'),
      variables: {
        input: {
          areaCode: area,
          title: `Planned ${next()}`,
          themes: THEMES,
          leadPartnerId: partners.get(area) ?? randomUUID(),
          plannedStart: '2019-04-01',
          plannedEnd: '2020-03-31',
        },
      },
    }),
    reviseAction: async (area) => ({
      query: m('reviseAction', 'ReviseActionInput'),
      variables: {
        input: { actionId: (await newAction(area)).id, reason: 'Rescoped', title: `Revised ${next()}` },
      },
    }),
    startAction: async (area) => ({
      query: m('startAction', 'StartActionInput'),
      variables: { input: { actionId: (await newAction(area)).id, on: '2019-04-02' } },
    }),
    reachMilestone: async (area) => {
      const action = await newAction(area, 'IN_PROGRESS');
      return {
        query: m('reachMilestone', 'ReachMilestoneInput'),
        variables: { input: { actionId: action.id, milestoneId: action.milestoneId, on: '2019-06-01' } },
      };
    },
    completeAction: async (area) => ({
      query: m('completeAction', 'CompleteActionInput'),
      variables: {
        input: { actionId: (await newAction(area, 'IN_PROGRESS')).id, summary: 'Done', on: '2019-07-01' },
      },
    }),
    pauseAction: async (area) => ({
      query: m('pauseAction', 'PauseActionInput'),
      variables: {
        input: { actionId: (await newAction(area, 'IN_PROGRESS')).id, reason: 'Staff', on: '2019-06-01' },
      },
    }),
    resumeAction: async (area) => ({
      query: m('resumeAction', 'ResumeActionInput'),
      variables: { input: { actionId: (await newAction(area, 'PAUSED')).id, on: '2019-06-01' } },
    }),
    cancelAction: async (area) => ({
      query: m('cancelAction', 'CancelActionInput'),
      variables: {
        input: { actionId: (await newAction(area)).id, reason: 'No longer needed', on: '2019-06-01' },
      },
    }),

    // ---- funding
    allocateGrant: async (area) => ({
      query: m('allocateGrant', 'AllocateGrantInput'),
      variables: {
        input: {
          areaCode: area,
          year: YEAR,
          fundingStream: 'Integration Area Programme',
          amountPence: 1_000,
        },
      },
    }),
    reprofileAllocation: async (area) => ({
      query: m('reprofileAllocation', 'ReprofileAllocationInput'),
      variables: {
        input: {
          areaCode: area,
          fromYear: YEAR,
          toYear: '2020-21',
          fundingStream: 'Integration Area Programme',
          amountPence: 100,
          reason: 'Slipped',
        },
      },
    }),
    reduceAllocation: async (area) => ({
      query: m('reduceAllocation', 'ReduceAllocationInput'),
      variables: {
        input: {
          areaCode: area,
          year: YEAR,
          fundingStream: 'Integration Area Programme',
          amountPence: 100,
          reason: 'Underspend',
        },
      },
    }),
    approveOverspend: async (area) => ({
      query: m('approveOverspend', 'ApproveOverspendInput'),
      variables: { input: { areaCode: area, year: YEAR, amountPence: 100, reason: 'Agreed' } },
    }),
    commitFunds: async (area) => ({
      query: m('commitFunds', 'CommitFundsInput'),
      variables: {
        input: { areaCode: area, actionId: (await newAction(area)).id, year: YEAR, amountPence: 1_000 },
      },
    }),
    reportSpend: async (area) => ({
      query: m('reportSpend', 'ReportSpendInput'),
      variables: {
        input: {
          areaCode: area,
          actionId: await committedAction(area),
          quarter: `${YEAR} Q2`,
          amountPence: 700,
        },
      },
    }),
    correctSpend: async (area) => ({
      query: m('correctSpend', 'CorrectSpendInput'),
      variables: {
        input: {
          areaCode: area,
          actionId: await reportedAction(area),
          quarter: `${YEAR} Q1`,
          amountPence: 4_000,
          reason: 'Invoice credited',
        },
      },
    }),
    recordMatchFunding: async (area) => ({
      query: m('recordMatchFunding', 'RecordMatchFundingInput'),
      variables: {
        input: {
          areaCode: area,
          partnerId: partners.get(area) ?? randomUUID(),
          year: YEAR,
          kind: 'CASH',
          amountPence: 500,
          description: 'Room hire',
        },
      },
    }),

    // ---- outcomes
    defineIndicator: async () => ({
      query: m('defineIndicator', 'DefineIndicatorInput'),
      variables: { input: indicatorInput(`MATRIX_NEWIND_${next()}`) },
    }),
    reviseIndicator: async () => {
      const { code: _code, unit: _unit, direction: _direction, ...rest } = indicatorInput('X');
      return {
        query: m('reviseIndicator', 'ReviseIndicatorInput'),
        variables: { input: { ...rest, code: await newIndicator(), name: `Renamed ${next()}` } },
      };
    },
    retireIndicator: async () => ({
      query: m('retireIndicator', 'RetireIndicatorInput'),
      variables: { input: { code: await newIndicator(), reason: 'Replaced' } },
    }),
    setBaseline: async (area) => ({
      query: m('setBaseline', 'SetBaselineInput'),
      variables: {
        input: {
          areaCode: area,
          indicatorCode: INDICATOR,
          value: 10 + (next() % 80),
          date: '2019-03-31',
          source: 'Survey',
        },
      },
    }),
    setTarget: async (area) => ({
      query: m('setTarget', 'SetTargetInput'),
      variables: {
        input: { areaCode: area, indicatorCode: INDICATOR, value: 60, date: `${2021 + next()}-03-31` },
      },
    }),
    recordMeasurement: async (area) => ({
      query: m('recordMeasurement', 'RecordMeasurementInput'),
      variables: {
        input: { areaCode: area, indicatorCode: INDICATOR, value: 45, source: 'Survey', ...period() },
      },
    }),
    correctMeasurement: async (area) => ({
      query: m('correctMeasurement', 'CorrectMeasurementInput'),
      variables: {
        input: { areaCode: area, measurementId: await newMeasurement(area), value: 47, reason: 'Recounted' },
      },
    }),
    recordSpreadsheetImport: async (area) => ({
      query: m('recordSpreadsheetImport', 'RecordSpreadsheetImportInput'),
      variables: {
        input: {
          areaCode: area,
          quarter: '2019-20 Q3',
          fileName: 'return.xlsx',
          digest: 'a'.repeat(64),
          rowsApplied: 1,
        },
      },
    }),
    submitReturn: async (area) => ({
      query: m('submitReturn', 'SubmitReturnInput'),
      variables: { input: { areaCode: area, quarter: freshQuarter(area), note: 'Our return' } },
    }),
    approveReturn: async (area) => ({
      query: m('approveReturn', 'ApproveReturnInput'),
      variables: { input: { areaCode: area, quarter: await submittedQuarter(area), comments: 'Fine' } },
    }),
    sendBackReturn: async (area) => ({
      query: m('sendBackReturn', 'SendBackReturnInput'),
      variables: {
        input: { areaCode: area, quarter: await submittedQuarter(area), comments: 'Add the spend' },
      },
    }),

    // ---- learning
    draftLearning: async (area) => ({
      query: m('draftLearning', 'DraftLearningInput'),
      variables: {
        input: {
          areaCode: area,
          type: 'LESSON_LEARNED',
          title: `Drafted ${next()}`,
          summary: 'A lesson.',
          body: 'What we learned.',
          themes: THEMES,
        },
      },
    }),
    reviseLearning: async (area) => ({
      query: m('reviseLearning', 'ReviseLearningInput'),
      variables: { input: { id: await newItem(area, false), title: `Revised ${next()}` } },
    }),
    publishLearning: async (area) => ({
      query: m('publishLearning', 'PublishLearningInput'),
      variables: { input: { id: await newItem(area, false) } },
    }),
    retractLearning: async (area) => ({
      query: m('retractLearning', 'RetractLearningInput'),
      variables: { input: { id: await newItem(area, true), reason: 'Superseded' } },
    }),
    adoptLearning: async (area) => ({
      query: m('adoptLearning', 'AdoptLearningInput'),
      variables: {
        // another pilot's published item, adopted by `area`
        input: {
          id: await newItem(area === A ? B : A, true),
          adoptingAreaCode: area,
          note: 'Trying it here',
        },
      },
    }),
  };

  let schemaOps: { query: string[]; mutation: string[] };

  beforeAll(async () => {
    t = await startTestApp({ tokenless: 'anonymous' });
    central = t.as(ACTORS.CENTRAL.token!);
    for (const [code, name, kind, region] of [
      [A, 'Blackburn with Darwen', 'PILOT', 'North West'],
      [B, 'Bradford', 'PILOT', 'Yorkshire and The Humber'],
      [C, 'Leicester', 'NON_PILOT', 'East Midlands'],
      [D, 'Kirklees', 'NON_PILOT', 'Yorkshire and The Humber'],
    ]) {
      await prep(m('registerArea', 'RegisterAreaInput'), { input: { code, name, kind, region } });
    }
    for (const area of PILOTS) {
      const p = await prep<{ registerPartner: { id: string } }>(
        'mutation($input: RegisterPartnerInput!) { registerPartner(input: $input) { id } }',
        { input: { areaCode: area, name: 'The council', sector: 'COUNCIL' } },
      );
      partners.set(area, p.registerPartner.id);
      await prep(m('allocateGrant', 'AllocateGrantInput'), {
        input: { areaCode: area, year: YEAR, fundingStream: 'Integration Area Programme', amountPence: 1e9 },
      });
    }
    await prep(m('defineIndicator', 'DefineIndicatorInput'), { input: indicatorInput(INDICATOR) });
    for (const area of PILOTS)
      await prep(m('setBaseline', 'SetBaselineInput'), {
        input: { areaCode: area, indicatorCode: INDICATOR, value: 30, date: '2019-03-31', source: 'Survey' },
      });
    await prep(m('importPublicIndicatorValues', 'ImportPublicValuesInput'), {
      input: { fileName: 'matrix.csv', csv: PUBLIC_CSV },
    });
    const schema = await t.gql<{
      __schema: { queryType: { fields: { name: string }[] }; mutationType: { fields: { name: string }[] } };
    }>('{ __schema { queryType { fields { name } } mutationType { fields { name } } } }', {}, central);
    schemaOps = {
      query: schema.data!.__schema.queryType.fields.map((f) => f.name),
      mutation: schema.data!.__schema.mutationType.fields.map((f) => f.name),
    };
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  it('has a policy row and a case for every query and mutation of the schema, and no stale rows', () => {
    const inSchema = [...schemaOps.query, ...schemaOps.mutation].sort();
    expect(inSchema.filter((op) => !(op in POLICY))).toEqual([]);
    expect(inSchema.filter((op) => !(op in CASES))).toEqual([]);
    expect(Object.keys(POLICY).filter((op) => !inSchema.includes(op))).toEqual([]);
    expect(inSchema.length).toBeGreaterThanOrEqual(50);
  });

  it('allows or refuses every operation as the table says, writing nothing when it refuses', async () => {
    const failures: string[] = [];
    let checked = 0;
    // Refused calls write nothing, so one prepared call per operation and area serves all of them.
    const refusedCalls = new Map<string, Promise<Call>>();
    for (const op of [...schemaOps.query, ...schemaOps.mutation]) {
      const rule = POLICY[op];
      const build = CASES[op];
      if (!rule || !build) continue; // reported by the test above
      for (const who of ['CENTRAL', 'PILOT', 'COUNCIL', 'ANONYMOUS'] as Who[]) {
        for (const scope of ['own', 'other'] as Scope[]) {
          const actor = ACTORS[who];
          const area = actor[scope];
          const expectAllowed = allowed(rule, who, scope);
          let call: Call;
          if (expectAllowed) {
            call = await build(area);
          } else {
            const key = `${op} ${area}`;
            if (!refusedCalls.has(key)) refusedCalls.set(key, build(area));
            call = await refusedCalls.get(key)!;
          }
          const headers = actor.token ? t.as(actor.token) : {};
          const before = await t.eventCount();
          const res: GraphQLResponse = await t.gql(call.query, call.variables, headers);
          const after = await t.eventCount();
          const label = `${op} as ${who} (${scope} area ${area})`;
          checked++;
          if (expectAllowed) {
            if (res.errors)
              failures.push(`${label}: expected to be allowed, got ${JSON.stringify(res.errors)}`);
            else if (after > before && actor.token) {
              // every event it caused carries who did it
              for (const a of await latestActors(after - before)) {
                const { subject, role, area: actorArea, name } = actor.token;
                const expected = { subject, role, area: actorArea, name };
                if (Object.entries(expected).some(([k, v]) => a?.[k] !== v))
                  failures.push(
                    `${label}: event actor ${JSON.stringify(a)}, expected ${JSON.stringify(expected)}`,
                  );
              }
            }
          } else {
            const code = who === 'ANONYMOUS' ? 'UNAUTHENTICATED' : 'FORBIDDEN';
            if (res.errors?.[0]?.extensions.code !== code)
              failures.push(`${label}: expected ${code}, got ${JSON.stringify(res.errors ?? res.data)}`);
            if (after !== before) failures.push(`${label}: refused but wrote ${after - before} events`);
            if (res.data && Object.values(res.data).some((v) => v !== null))
              failures.push(`${label}: refused but answered data ${JSON.stringify(res.data)}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(400);
  }, 600_000);
});
