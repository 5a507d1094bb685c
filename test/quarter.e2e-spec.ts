import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type TestApp, startTestApp } from './support/test-app.js';
import { mutation, ok, refused as refuse } from './support/graphql.js';
import { step } from './support/steps.js';

/**
 * One pilot's full quarter, driven through GraphQL on a real PostgreSQL: plan actions, allocate and commit funds,
 * report spend, record measurements, submit the return, approve it; and the rejections a pilot meets on the way.
 */
const AREA = 'E06000008';
const YEAR = '2019-20';
const QUARTER = '2019-20 Q3';

describe('a full quarter for Blackburn with Darwen', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  /** A mutation that must be refused with `code` (naming `field`) and write nothing. */
  const refused = (query: string, input: Record<string, unknown>, code: string, field?: string) =>
    refuse(t, query, input, code, field);

  const m = mutation;
  const PLAN = m('planAction', 'PlanActionInput', 'id status revision milestones { id title }');
  const START = m('startAction', 'StartActionInput', 'id status revision');
  const MILESTONE = m('reachMilestone', 'ReachMilestoneInput', 'id milestones { id reachedOn }');
  const ALLOCATE = m('allocateGrant', 'AllocateGrantInput', 'year allocatedPence revision');
  const COMMIT = m('commitFunds', 'CommitFundsInput', 'year committedPence uncommittedPence revision');
  const REPORT = m('reportSpend', 'ReportSpendInput', 'year spentPence remainingPence');
  const DEFINE = m('defineIndicator', 'DefineIndicatorInput', 'code');
  const BASELINE = m('setBaseline', 'SetBaselineInput', 'indicatorCode');
  const TARGET = m('setTarget', 'SetTargetInput', 'indicatorCode');
  const RECORD = m('recordMeasurement', 'RecordMeasurementInput', 'id value');
  const SUBMIT = m('submitReturn', 'SubmitReturnInput', 'quarter status locked');
  const APPROVE = m('approveReturn', 'ApproveReturnInput', 'quarter status locked');

  // Each step of the quarter runs once, after the steps before it, for whichever test first needs it: any
  // test runs alone, and in order each step runs in its own test as the story goes.
  const pilot = step(async () => {
    ok(
      await t.gql(m('registerArea', 'RegisterAreaInput', 'code'), {
        input: { code: AREA, name: 'Blackburn with Darwen', kind: 'PILOT', region: 'North West' },
      }),
    );
    const partner = ok(
      await t.gql<{ registerPartner: { id: string } }>(m('registerPartner', 'RegisterPartnerInput', 'id'), {
        input: { areaCode: AREA, name: 'Blackburn with Darwen Borough Council', sector: 'COUNCIL' },
      }),
    );
    return { partnerId: partner.registerPartner.id };
  });

  const action = step(async () => {
    const { partnerId } = await pilot();
    const planned = ok(
      await t.gql<{ planAction: { id: string; status: string; milestones: { id: string }[] } }>(PLAN, {
        input: {
          areaCode: AREA,
          title: 'Schools Linking programme',
          description: 'Pairs classes from different schools for a year of joint activities',
          themes: ['EDUCATION_AND_YOUNG_PEOPLE', 'COMMON_GROUND'],
          leadPartnerId: partnerId,
          plannedStart: '2019-09-01',
          plannedEnd: '2020-07-31',
          milestones: [{ title: 'First link visits', dueDate: '2019-11-30' }],
        },
      }),
    ).planAction;
    const actionId = planned.id;
    ok(await t.gql(START, { input: { actionId, on: '2019-09-02' } }));
    const reached = ok(
      await t.gql<{ reachMilestone: { milestones: { reachedOn: string }[] } }>(MILESTONE, {
        input: { actionId, milestoneId: planned.milestones[0].id, on: '2019-11-20' },
      }),
    ).reachMilestone;
    return { actionId, planned, reached };
  });

  const funded = step(async () => {
    const { actionId } = await action();
    ok(
      await t.gql(ALLOCATE, {
        input: {
          areaCode: AREA,
          year: YEAR,
          fundingStream: 'Integration Area Programme',
          amountPence: 38313300,
        },
      }),
    );
    const committed = ok(
      await t.gql<{ commitFunds: { committedPence: number; uncommittedPence: number } }>(COMMIT, {
        input: { areaCode: AREA, actionId, year: YEAR, amountPence: 30000000 },
      }),
    ).commitFunds;
    const spent = ok(
      await t.gql<{ reportSpend: { spentPence: number; remainingPence: number } }>(REPORT, {
        input: { areaCode: AREA, actionId, quarter: QUARTER, amountPence: 4512550 },
      }),
    ).reportSpend;
    return { actionId, committed, spent };
  });

  const measured = step(async () => {
    await funded();
    ok(
      await t.gql(DEFINE, {
        input: {
          code: 'MIXING_MONTHLY',
          name: 'Young people mixing with peers of other backgrounds at least monthly',
          unit: 'PERCENTAGE',
          direction: 'HIGHER_IS_BETTER',
          theme: 'EDUCATION_AND_YOUNG_PEOPLE',
          domain: 'SOCIAL_BRIDGES',
          definition: 'Share of participating pupils reporting monthly mixing (illustrative)',
          source: 'Schools Linking pupil survey',
        },
      }),
    );
    const base = { areaCode: AREA, indicatorCode: 'MIXING_MONTHLY' };
    ok(await t.gql(BASELINE, { input: { ...base, value: 40, date: '2019-07-31', source: 'Pupil survey' } }));
    ok(await t.gql(TARGET, { input: { ...base, value: 60, date: '2021-07-31' } }));
    ok(
      await t.gql(RECORD, {
        input: {
          ...base,
          periodLabel: QUARTER,
          periodStart: '2019-10-01',
          periodEnd: '2019-12-31',
          value: 45,
          sampleSize: 240,
          source: 'Pupil survey',
        },
      }),
    );
  });

  it('sets up the pilot and its partnership', async () => {
    expect((await pilot()).partnerId).toEqual(expect.any(String));
  });

  it('plans and starts an action', async () => {
    const { planned, reached } = await action();
    expect(planned.status).toBe('PLANNED');
    expect(reached.milestones[0].reachedOn).toBe('2019-11-20');
  });

  it('allocates grant, commits it to the action and reports the quarter’s spend', async () => {
    const { committed, spent } = await funded();
    expect(committed).toMatchObject({ committedPence: 30000000, uncommittedPence: 8313300 });
    expect(spent).toMatchObject({ spentPence: 4512550, remainingPence: 38313300 - 4512550 });
  });

  it('refuses an overspend, naming the figures, and writes nothing', async () => {
    const { actionId } = await funded();
    const err = await refused(
      COMMIT,
      { areaCode: AREA, actionId, year: YEAR, amountPence: 8313301 },
      'CONFLICT',
    );
    expect(err.message).toMatch(/£83,133\.00/);
  });

  it('records outcome measurements against a baseline and target', async () => {
    await measured();
    const area = ok(
      await t.gql<{
        area: { indicators: { indicatorCode: string; latest: { value: number }; progress: number }[] };
      }>(`query { area(code: "${AREA}") { indicators { indicatorCode latest { value } progress } } }`),
    ).area;
    expect(area.indicators).toEqual([
      { indicatorCode: 'MIXING_MONTHLY', latest: { value: 45 }, progress: 0.25 },
    ]);
  });

  it('refuses a stale expected revision and malformed input, writing nothing', async () => {
    await measured();
    const { actionId } = await action();
    const current = ok(
      await t.gql<{ action: { revision: number } }>(`query($id: ID!) { action(id: $id) { revision } }`, {
        id: actionId,
      }),
    ).action;
    await refused(
      m('pauseAction', 'PauseActionInput', 'id'),
      { actionId, on: '2019-12-01', reason: 'Staff changes', expectedRevision: current.revision - 1 },
      'CONFLICT',
    );
    await refused(
      REPORT,
      { areaCode: AREA, actionId, quarter: '2019-20 Q5', amountPence: 100 },
      'BAD_USER_INPUT',
      'quarter',
    );
    await refused(
      REPORT,
      { areaCode: AREA, actionId, quarter: '2019-20 Q4', amountPence: -5 },
      'BAD_USER_INPUT',
      'amountPence',
    );
  });

  const approved = step(async () => {
    await measured();
    const { actionId } = await action();
    const submitted = ok(
      await t.gql<{ submitReturn: { status: string; locked: boolean } }>(SUBMIT, {
        input: { areaCode: AREA, quarter: QUARTER, note: 'Schools Linking under way' },
      }),
    ).submitReturn;
    expect(submitted).toEqual({ quarter: QUARTER, status: 'SUBMITTED', locked: true });

    // Changes to the locked quarter are refused with a clear error and write nothing.
    const lockedSpend = await refused(
      m('correctSpend', 'CorrectSpendInput', 'year'),
      { areaCode: AREA, actionId, quarter: QUARTER, amountPence: 4000000, reason: 'Invoice credited' },
      'CONFLICT',
      'quarter',
    );
    expect(lockedSpend.message).toMatch(/locked/);
    await refused(
      RECORD,
      {
        areaCode: AREA,
        indicatorCode: 'MIXING_MONTHLY',
        periodLabel: 'December 2019',
        periodStart: '2019-12-01',
        periodEnd: '2019-12-31',
        value: 47,
        source: 'Pupil survey',
      },
      'CONFLICT',
      'period',
    );

    const approved = ok(
      await t.gql<{ approveReturn: { status: string; locked: boolean } }>(APPROVE, {
        input: { areaCode: AREA, quarter: QUARTER, comments: 'Clear and complete', commandId: randomUUID() },
      }),
    ).approveReturn;
    expect(approved).toEqual({ quarter: QUARTER, status: 'APPROVED', locked: true });

    const overview = ok(
      await t.gql<{
        area: {
          funding: { allocatedPence: number; committedPence: number; spentPence: number };
          actions: { nodes: { status: string }[] };
          returns: { quarter: string; status: string }[];
        };
      }>(
        `query { area(code: "${AREA}") {
          funding(year: "${YEAR}") { allocatedPence committedPence spentPence }
          actions(first: 10) { nodes { status } }
          returns(year: "${YEAR}") { quarter status }
        } }`,
      ),
    ).area;
    expect(overview.funding).toEqual({
      allocatedPence: 38313300,
      committedPence: 30000000,
      spentPence: 4512550,
    });
    expect(overview.actions.nodes).toEqual([{ status: 'IN_PROGRESS' }]);
    expect(overview.returns.map((r) => [r.quarter, r.status])).toEqual([
      ['2019-20 Q1', 'NOT_SUBMITTED'],
      ['2019-20 Q2', 'NOT_SUBMITTED'],
      ['2019-20 Q3', 'APPROVED'],
      ['2019-20 Q4', 'NOT_SUBMITTED'],
    ]);
  });

  it('submits the return, which locks the quarter, and the central team approves it', async () => {
    await approved();
  });

  it("shows the whole quarter in the area's activity feed, naming what each event is about", async () => {
    await approved();
    // The mutations waited for the read models they answer from; the activity feed follows on its own.
    expect(await t.settle()).toBe(true);
    const feed = ok(
      await t.gql<{ activity: { nodes: { type: string; areaCode: string; summary: string }[] } }>(
        `{ activity(first: 100, areaCode: "${AREA}") { nodes { type areaCode summary } } }`,
      ),
    ).activity.nodes;
    // Events that do not name their area or title themselves (an action started) are placed by their stream.
    expect(feed).toContainEqual({
      type: 'ActionStarted',
      areaCode: AREA,
      summary: 'Action started “Schools Linking programme”, Blackburn with Darwen',
    });
    expect(feed.map((f) => f.type)).toEqual(
      expect.arrayContaining([
        'ReturnApproved',
        'ReturnSubmitted',
        'MeasurementRecorded',
        'SpendReported',
        'ActionPlanned',
      ]),
    );
  });
});
