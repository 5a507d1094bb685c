import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { FundingProjection } from '../src/funding/projections/funding.projection.js';
import { spendForQuarter } from '../src/funding/public-api.js';
import { type TestApp, startTestApp } from './support/test-app.js';
import { mutation, refused as refuse, succeeds } from './support/graphql.js';
import { expectRebuildUnchanged } from './support/rebuild.js';
import { step } from './support/steps.js';

const AREA = 'E06000008';
const STREAM = `funding-${AREA}`;
/** Well-formed, and no action's id: a case about another field is refused for that field alone. */
const NO_SUCH_ACTION = '00000000-0000-4000-8000-000000000000';
const IAP = 'Integration Area Programme';
const ICELP = 'Integrated Communities English Language Programme';

const YEAR_FIELDS = `
  areaCode year allocatedPence committedPence spentPence matchCashPence matchInKindPence overspendApprovedPence
  remainingPence uncommittedPence spendRate revision
  byStream { fundingStream allocatedPence }
  commitments { actionId committedPence spentPence }
  spend { actionId quarter amountPence originalPence corrections note reportedAt correctedAt }
  match { matchId partnerId actionId year kind amountPence description }`;

interface FundingYear {
  areaCode: string;
  year: string;
  allocatedPence: number;
  committedPence: number;
  spentPence: number;
  matchCashPence: number;
  matchInKindPence: number;
  overspendApprovedPence: number;
  remainingPence: number;
  uncommittedPence: number;
  spendRate: number | null;
  revision: number;
  byStream: { fundingStream: string; allocatedPence: number }[];
  commitments: { actionId: string; committedPence: number; spentPence: number }[];
  spend: {
    actionId: string;
    quarter: string;
    amountPence: number;
    originalPence: number;
    corrections: number;
    note: string;
    reportedAt: string;
    correctedAt: string | null;
  }[];
  match: {
    matchId: string;
    partnerId: string;
    actionId: string | null;
    year: string;
    kind: string;
    amountPence: number;
    description: string;
  }[];
}

const yearMutation = (name: string, input: string) => mutation(name, input, YEAR_FIELDS);
const ALLOCATE = yearMutation('allocateGrant', 'AllocateGrantInput');
const REPROFILE = yearMutation('reprofileAllocation', 'ReprofileAllocationInput');
const REDUCE = yearMutation('reduceAllocation', 'ReduceAllocationInput');
const OVERSPEND = yearMutation('approveOverspend', 'ApproveOverspendInput');
const COMMIT = yearMutation('commitFunds', 'CommitFundsInput');
const REPORT = yearMutation('reportSpend', 'ReportSpendInput');
const CORRECT = yearMutation('correctSpend', 'CorrectSpendInput');
const MATCH = yearMutation('recordMatchFunding', 'RecordMatchFundingInput');
const FUNDING = `query($code: String!, $year: String!) { area(code: $code) { funding(year: $year) { ${YEAR_FIELDS} } } }`;

describe('funding, end to end over GraphQL', () => {
  let t: TestApp;
  let partnerId: string;
  let schoolsLinking: string;
  let welcomePack: string;

  const ok = <T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>) =>
    succeeds<T>(t, query, variables);

  async function funding(year: string): Promise<FundingYear | null> {
    const data = await ok<{ area: { funding: FundingYear | null } }>(FUNDING, { code: AREA, year });
    return data.area.funding;
  }

  async function events(stream = STREAM): Promise<{ type: string; data: Record<string, unknown> }[]> {
    const c = new pg.Client({ connectionString: t.db.url });
    await c.connect();
    try {
      const r = await c.query(
        'SELECT event_type AS type, data FROM es_events WHERE stream_id = $1 ORDER BY revision',
        [stream],
      );
      return r.rows;
    } finally {
      await c.end();
    }
  }

  /** The command is refused with `code` (naming `field` when given) and writes nothing: the error. */
  const refused = (query: string, input: Record<string, unknown>, code: string, field?: string) =>
    refuse(t, query, input, code, field);

  async function planAction(title: string): Promise<string> {
    const data = await ok<{ planAction: { id: string } }>(
      `mutation($input: PlanActionInput!) { planAction(input: $input) { id } }`,
      {
        input: {
          areaCode: AREA,
          title,
          themes: ['EDUCATION_AND_YOUNG_PEOPLE'],
          leadPartnerId: partnerId,
          plannedStart: '2019-06-01',
          plannedEnd: '2020-03-31',
        },
      },
    );
    return data.planAction.id;
  }

  beforeAll(async () => {
    t = await startTestApp();
    await ok(`mutation($input: RegisterAreaInput!) { registerArea(input: $input) { code } }`, {
      input: { code: AREA, name: 'Blackburn with Darwen', kind: 'PILOT', region: 'North West' },
    });
    await ok(`mutation($input: RegisterAreaInput!) { registerArea(input: $input) { code } }`, {
      input: { code: 'E07000117', name: 'Burnley', kind: 'NON_PILOT', region: 'North West' },
    });
    const partner = await ok<{ registerPartner: { id: string } }>(
      `mutation($input: RegisterPartnerInput!) { registerPartner(input: $input) { id } }`,
      { input: { areaCode: AREA, name: 'Blackburn with Darwen Borough Council', sector: 'COUNCIL' } },
    );
    partnerId = partner.registerPartner.id;
    schoolsLinking = await planAction('Schools Linking');
    welcomePack = await planAction('Welcome pack for new arrivals');
  });
  afterAll(async () => {
    await t?.close();
  });

  // The year's story in steps: each runs once, after the step it awaits, for whichever test first needs it, so
  // any test runs alone (`-t`) on the state it had in order.
  const granted = step(async () => {
    const first = await ok<{ allocateGrant: FundingYear }>(ALLOCATE, {
      input: {
        areaCode: AREA,
        year: '2019-20',
        fundingStream: IAP,
        amountPence: 38313300,
        note: 'First-year award',
        awardedOn: '2019-03-08',
      },
    });
    expect(first.allocateGrant).toMatchObject({
      areaCode: AREA,
      year: '2019-20',
      allocatedPence: 38313300,
      committedPence: 0,
      spentPence: 0,
      remainingPence: 38313300,
      uncommittedPence: 38313300,
      spendRate: 0,
      byStream: [{ fundingStream: IAP, allocatedPence: 38313300 }],
    });
    await ok(ALLOCATE, {
      input: { areaCode: AREA, year: '2019-20', fundingStream: ICELP, amountPence: 5000000 },
    });
    const year = await funding('2019-20');
    expect(year).toMatchObject({
      allocatedPence: 43313300,
      byStream: [
        { fundingStream: ICELP, allocatedPence: 5000000 },
        { fundingStream: IAP, allocatedPence: 38313300 },
      ],
    });
    expect(year!.revision).toBe(1);
    expect(await funding('2021-22')).toBeNull();

    // The award date is the one given, or today in England; the open data publishes it.
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
    expect((await events()).map((e) => e.data.awardedOn)).toEqual(['2019-03-08', today]);
    const awards = await ok<{ grantAwards: { fundingStream: string; awardedAt: string }[] }>(
      '{ grantAwards { fundingStream awardedAt } }',
    );
    expect(awards.grantAwards).toEqual(
      expect.arrayContaining([
        { fundingStream: IAP, awardedAt: '2019-03-08T00:00:00.000Z' },
        { fundingStream: ICELP, awardedAt: `${today}T00:00:00.000Z` },
      ]),
    );
  });
  it('allocates grant by year and funding stream, and answers it on the area', () => granted());

  it('refuses grant for an area that is not a pilot', async () => {
    const res = await t.gql(ALLOCATE, {
      input: { areaCode: 'E07000117', year: '2019-20', fundingStream: IAP, amountPence: 100 },
    });
    expect(res.errors?.[0].extensions.code).toBe('CONFLICT');
    expect(await events('funding-E07000117')).toHaveLength(0);
  });

  const fundsCommitted = step(async () => {
    await granted();
    const res = await ok<{ commitFunds: FundingYear }>(COMMIT, {
      input: {
        areaCode: AREA,
        actionId: schoolsLinking,
        year: '2019-20',
        amountPence: 30000000,
        note: 'Twelve schools for a year',
      },
    });
    expect(res.commitFunds).toMatchObject({
      committedPence: 30000000,
      uncommittedPence: 13313300,
      commitments: [{ actionId: schoolsLinking, committedPence: 30000000, spentPence: 0 }],
    });
    // The optional note is kept in the event.
    expect((await events()).find((e) => e.type === 'FundsCommitted')?.data).toEqual({
      areaCode: AREA,
      actionId: schoolsLinking,
      year: '2019-20',
      amountPence: 30000000,
      note: 'Twelve schools for a year',
    });
  });
  it('commits funds to an action of the area', () => fundsCommitted());

  const reprofiled = step(async () => {
    await fundsCommitted();
    const moved = await ok<{ reprofileAllocation: FundingYear[] }>(REPROFILE, {
      input: {
        areaCode: AREA,
        fromYear: '2019-20',
        toYear: '2020-21',
        fundingStream: IAP,
        amountPence: 1000000,
        reason: 'Second cohort of schools starts in 2020',
      },
    });
    expect(moved.reprofileAllocation.map((y) => [y.year, y.allocatedPence])).toEqual([
      ['2019-20', 42313300],
      ['2020-21', 1000000],
    ]);
    const reduced = await ok<{ reduceAllocation: FundingYear }>(REDUCE, {
      input: {
        areaCode: AREA,
        year: '2019-20',
        fundingStream: ICELP,
        amountPence: 500000,
        reason: 'Fewer learner places needed',
      },
    });
    expect(reduced.reduceAllocation).toMatchObject({ allocatedPence: 41813300, uncommittedPence: 11813300 });
    expect(reduced.reduceAllocation.byStream).toContainEqual({
      fundingStream: ICELP,
      allocatedPence: 4500000,
    });

    const history = await events();
    expect(history.map((e) => e.type)).toEqual([
      'GrantAllocated',
      'GrantAllocated',
      'FundsCommitted',
      'AllocationReprofiled',
      'AllocationReduced',
    ]);
  });
  it('reprofiles part of an allocation into the next year and claws some back', () => reprofiled());

  it('refuses to reprofile or claw back more than the uncommitted remainder, and needs a reason', async () => {
    await reprofiled();
    const refusal = await refused(
      REDUCE,
      { areaCode: AREA, year: '2019-20', fundingStream: ICELP, amountPence: 4500001, reason: 'x' },
      'CONFLICT',
    );
    expect(refusal.message).toContain('£45,000.00');
    await refused(
      REPROFILE,
      {
        areaCode: AREA,
        fromYear: '2019-20',
        toYear: '2020-21',
        fundingStream: IAP,
        amountPence: 100,
        reason: '',
      },
      'BAD_USER_INPUT',
      'reason',
    );
  });

  it('refuses a commitment beyond the uncommitted allocation with CONFLICT stating the figures, writing nothing', async () => {
    await reprofiled();
    const refusal = await refused(
      COMMIT,
      { areaCode: AREA, actionId: schoolsLinking, year: '2019-20', amountPence: 11813301 },
      'CONFLICT',
    );
    expect(refusal.message).toContain('£118,133.01');
    expect(refusal.message).toContain('allocated £418,133.00');
    expect(refusal.message).toContain('already committed £300,000.00');
    expect(refusal.message).toContain('£118,133.00 can still be committed');
    expect(refusal.extensions).toMatchObject({
      field: 'input.amountPence',
      uncommittedPence: 11813300,
    });
    expect(await funding('2019-20')).toMatchObject({ committedPence: 30000000 });
  });

  const overspendApproved = step(async () => {
    await reprofiled();
    const approved = await ok<{ approveOverspend: FundingYear }>(OVERSPEND, {
      input: {
        areaCode: AREA,
        year: '2019-20',
        amountPence: 100000,
        reason: 'Extra schools joined the linking programme',
      },
    });
    expect(approved.approveOverspend).toMatchObject({
      overspendApprovedPence: 100000,
      uncommittedPence: 11913300,
    });
    const committed = await ok<{ commitFunds: FundingYear }>(COMMIT, {
      input: { areaCode: AREA, actionId: schoolsLinking, year: '2019-20', amountPence: 11913300 },
    });
    expect(committed.commitFunds).toMatchObject({
      committedPence: 41913300,
      uncommittedPence: 0,
      allocatedPence: 41813300,
    });
    await refused(
      COMMIT,
      { areaCode: AREA, actionId: schoolsLinking, year: '2019-20', amountPence: 1 },
      'CONFLICT',
    );
  });
  it('allows the overspend once the central team approves it', () => overspendApproved());

  const spendReported = step(async () => {
    await overspendApproved();
    const res = await ok<{ reportSpend: FundingYear }>(REPORT, {
      input: {
        areaCode: AREA,
        actionId: schoolsLinking,
        quarter: '2019-20 Q1',
        amountPence: 1250050,
        note: 'Coaches and venue hire',
      },
    });
    expect(res.reportSpend).toMatchObject({
      spentPence: 1250050,
      remainingPence: 41813300 - 1250050,
      spendRate: 1250050 / 41813300,
      commitments: [{ actionId: schoolsLinking, committedPence: 41913300, spentPence: 1250050 }],
      spend: [
        {
          actionId: schoolsLinking,
          quarter: '2019-20 Q1',
          amountPence: 1250050,
          originalPence: 1250050,
          corrections: 0,
          note: 'Coaches and venue hire',
          correctedAt: null,
        },
      ],
    });
  });
  it('reports spend for a quarter against a committed action', () => spendReported());

  it('refuses a second report for the same action and quarter, telling the user to correct it', async () => {
    await spendReported();
    const refusal = await refused(
      REPORT,
      { areaCode: AREA, actionId: schoolsLinking, quarter: '2019-20 Q1', amountPence: 5 },
      'CONFLICT',
    );
    expect(refusal.extensions.field).toBe('input.quarter');
    expect(refusal.message).toContain('correctSpend');
  });

  it('refuses spend against an action with no commitment', async () => {
    await spendReported();
    const refusal = await refused(
      REPORT,
      { areaCode: AREA, actionId: welcomePack, quarter: '2019-20 Q2', amountPence: 1000 },
      'CONFLICT',
    );
    expect(refusal.extensions.field).toBe('input.actionId');
    // committed in 2019-20 only: 2020-21 spend is refused as well
    await refused(
      REPORT,
      { areaCode: AREA, actionId: schoolsLinking, quarter: '2020-21 Q1', amountPence: 1000 },
      'CONFLICT',
    );
  });

  const spendCorrected = step(async () => {
    await spendReported();
    const res = await ok<{ correctSpend: FundingYear }>(CORRECT, {
      input: {
        areaCode: AREA,
        actionId: schoolsLinking,
        quarter: '2019-20 Q1',
        amountPence: 1200000,
        reason: 'Coach invoice credited',
      },
    });
    expect(res.correctSpend.spentPence).toBe(1200000);
    expect(res.correctSpend.commitments[0].spentPence).toBe(1200000);
    expect(res.correctSpend.spend).toEqual([
      expect.objectContaining({
        quarter: '2019-20 Q1',
        amountPence: 1200000,
        originalPence: 1250050,
        corrections: 1,
      }),
    ]);
    expect(res.correctSpend.spend[0].correctedAt).not.toBeNull();

    const history = (await events()).filter((e) => e.type.startsWith('Spend'));
    expect(history).toEqual([
      {
        type: 'SpendReported',
        data: expect.objectContaining({ quarter: '2019-20 Q1', amountPence: 1250050 }),
      },
      {
        type: 'SpendCorrected',
        data: expect.objectContaining({
          amountPence: 1200000,
          previousPence: 1250050,
          reason: 'Coach invoice credited',
        }),
      },
    ]);
    expect(await spendForQuarter(t.app.get(DataSource), AREA, '2019-20 Q1')).toBe(1200000);
    expect(await spendForQuarter(t.app.get(DataSource), AREA, '2019-20 Q2')).toBe(0);
  });
  it('corrects a quarter, keeping the original figure visible', () => spendCorrected());

  it('refuses a correction without a reason or of a quarter with no report', async () => {
    await spendCorrected();
    await refused(
      CORRECT,
      { areaCode: AREA, actionId: schoolsLinking, quarter: '2019-20 Q1', amountPence: 1100000, reason: '' },
      'BAD_USER_INPUT',
      'reason',
    );
    await refused(
      CORRECT,
      { areaCode: AREA, actionId: schoolsLinking, quarter: '2019-20 Q3', amountPence: 1, reason: 'x' },
      'NOT_FOUND',
    );
  });

  const returnSentBack = step(async () => {
    await spendCorrected();
    const submitted = await ok<{ submitReturn: { status: string; locked: boolean } }>(
      `mutation($input: SubmitReturnInput!) { submitReturn(input: $input) { status locked } }`,
      { input: { areaCode: AREA, quarter: '2019-20 Q1' } },
    );
    expect(submitted.submitReturn).toEqual({ status: 'SUBMITTED', locked: true });

    const locked = await refused(
      CORRECT,
      {
        areaCode: AREA,
        actionId: schoolsLinking,
        quarter: '2019-20 Q1',
        amountPence: 1100000,
        reason: 'Late credit note',
      },
      'CONFLICT',
      'quarter',
    );
    expect(locked.message).toContain('locked');
    await refused(
      REPORT,
      { areaCode: AREA, actionId: schoolsLinking, quarter: '2019-20 Q1', amountPence: 1 },
      'CONFLICT',
      'quarter',
    );
    // other quarters stay open
    await ok(REPORT, {
      input: { areaCode: AREA, actionId: schoolsLinking, quarter: '2019-20 Q2', amountPence: 800000 },
    });

    await ok(`mutation($input: SendBackReturnInput!) { sendBackReturn(input: $input) { status } }`, {
      input: { areaCode: AREA, quarter: '2019-20 Q1', comments: 'Please include the credit note' },
    });
    const corrected = await ok<{ correctSpend: FundingYear }>(CORRECT, {
      input: {
        areaCode: AREA,
        actionId: schoolsLinking,
        quarter: '2019-20 Q1',
        amountPence: 1100000,
        reason: 'Late credit note',
      },
    });
    expect(corrected.correctSpend.spentPence).toBe(1100000 + 800000);
    expect(corrected.correctSpend.spend).toEqual([
      expect.objectContaining({
        quarter: '2019-20 Q1',
        amountPence: 1100000,
        originalPence: 1250050,
        corrections: 2,
      }),
      expect.objectContaining({
        quarter: '2019-20 Q2',
        amountPence: 800000,
        originalPence: 800000,
        corrections: 0,
      }),
    ]);
  });
  it('refuses spend and corrections in a quarter whose return is locked, until it is sent back', () =>
    returnSentBack());

  const matchRecorded = step(async () => {
    await returnSentBack();
    const commandId = '8d0f7a52-4a57-4d69-9a4e-0f2b1b3b2c11';
    const cash = {
      commandId,
      areaCode: AREA,
      partnerId,
      actionId: schoolsLinking,
      year: '2019-20',
      kind: 'CASH',
      amountPence: 500000,
      description: 'Council contribution to coach travel',
    };
    await ok(MATCH, { input: cash });
    const again = await ok<{ recordMatchFunding: FundingYear }>(MATCH, { input: cash });
    expect(again.recordMatchFunding.match).toHaveLength(1);
    const inKind = await ok<{ recordMatchFunding: FundingYear }>(MATCH, {
      input: {
        areaCode: AREA,
        partnerId,
        year: '2019-20',
        kind: 'IN_KIND',
        amountPence: 250000,
        description: 'Meeting rooms at the town hall',
      },
    });
    expect(inKind.recordMatchFunding).toMatchObject({ matchCashPence: 500000, matchInKindPence: 250000 });
    expect(inKind.recordMatchFunding.match).toEqual([
      expect.objectContaining({ partnerId, actionId: schoolsLinking, kind: 'CASH', amountPence: 500000 }),
      expect.objectContaining({
        partnerId,
        actionId: null,
        kind: 'IN_KIND',
        amountPence: 250000,
        description: 'Meeting rooms at the town hall',
      }),
    ]);
  });
  it("records partners' match funding, cash and in kind, once per commandId", () => matchRecorded());

  it('refuses match funding from someone who is not a partner of the area', async () => {
    await matchRecorded();
    await refused(
      MATCH,
      {
        areaCode: AREA,
        partnerId: 'not-a-partner',
        year: '2019-20',
        kind: 'CASH',
        amountPence: 100,
        description: 'x',
      },
      'BAD_USER_INPUT',
      'partnerId',
    );
  });

  const actionCancelled = step(async () => {
    await matchRecorded();
    await ok(`mutation($input: CancelActionInput!) { cancelAction(input: $input) { id status } }`, {
      input: { actionId: welcomePack, on: '2019-12-01', reason: 'Replaced by the council welcome service' },
    });
    await ok(ALLOCATE, {
      input: { areaCode: AREA, year: '2020-21', fundingStream: IAP, amountPence: 100000 },
    });
    const refusal = await refused(
      COMMIT,
      { areaCode: AREA, actionId: welcomePack, year: '2020-21', amountPence: 100 },
      'CONFLICT',
    );
    expect(refusal.message).toContain('cancelled');
    await refused(
      COMMIT,
      { areaCode: AREA, actionId: '6a0f2b0e-5f0d-4b9e-8f59-1d5cb7a3e111', year: '2020-21', amountPence: 100 },
      'NOT_FOUND',
    );
  });
  it('refuses to commit funds to a cancelled action', () => actionCancelled());

  const revisionAccepted = step(async () => {
    await actionCancelled();
    const { revision } = (await funding('2019-20'))!;
    const input = { areaCode: AREA, year: '2020-21', fundingStream: IAP, amountPence: 100 };
    const refusal = await refused(ALLOCATE, { ...input, expectedRevision: revision - 1 }, 'CONFLICT');
    expect(refusal.message).toContain('has changed since you read it');
    const accepted = await ok<{ allocateGrant: FundingYear }>(ALLOCATE, {
      input: { ...input, expectedRevision: revision },
    });
    expect(accepted.allocateGrant.revision).toBe(revision + 1);
    // every year of the area answers with the stream's revision
    expect((await funding('2019-20'))!.revision).toBe(revision + 1);
  });
  it('refuses a stale expectedRevision with CONFLICT, and accepts the current one', () => revisionAccepted());

  it('lists the years on the area', async () => {
    await revisionAccepted();
    const data = await ok<{ area: { fundingYears: { year: string; allocatedPence: number }[] } }>(
      `query($code: String!) { area(code: $code) { fundingYears { year allocatedPence } } }`,
      { code: AREA },
    );
    expect(data.area.fundingYears).toEqual([
      { year: '2019-20', allocatedPence: 41813300 },
      { year: '2020-21', allocatedPence: 1100100 },
    ]);
    const all = await ok<{ areas: { code: string; fundingYears: { year: string }[] }[] }>(
      '{ areas { code fundingYears { year byStream { fundingStream } } } }',
    );
    expect(all.areas.find((a) => a.code === 'E07000117')?.fundingYears).toEqual([]);
  });

  it('rebuilds the read models from the events to the same rows', async () => {
    await revisionAccepted();
    const before = await expectRebuildUnchanged(t, [FundingProjection], async (db) => ({
      years: await db.query('SELECT * FROM funding_years ORDER BY area_code, year'),
      allocations: await db.query(
        'SELECT * FROM funding_allocations ORDER BY area_code, year, funding_stream',
      ),
      commitments: await db.query('SELECT * FROM funding_commitments ORDER BY area_code, year, action_id'),
      spend: await db.query('SELECT * FROM funding_spend ORDER BY area_code, action_id, quarter'),
      match: await db.query('SELECT * FROM funding_match ORDER BY match_id'),
    }));
    expect(before.spend.length).toBeGreaterThan(0);
  });

  it.each([
    [
      'negative pence',
      COMMIT,
      { areaCode: AREA, actionId: NO_SUCH_ACTION, year: '2019-20', amountPence: -5 },
      'amountPence',
    ],
    [
      'zero pence',
      ALLOCATE,
      { areaCode: AREA, year: '2019-20', fundingStream: IAP, amountPence: 0 },
      'amountPence',
    ],
    [
      'fractional pence',
      ALLOCATE,
      { areaCode: AREA, year: '2019-20', fundingStream: IAP, amountPence: 1.5 },
      'amountPence',
    ],
    [
      'malformed year',
      ALLOCATE,
      { areaCode: AREA, year: '2019/20', fundingStream: IAP, amountPence: 100 },
      'year',
    ],
    [
      'impossible year',
      ALLOCATE,
      { areaCode: AREA, year: '2019-21', fundingStream: IAP, amountPence: 100 },
      'year',
    ],
    [
      'an award date in the future',
      ALLOCATE,
      { areaCode: AREA, year: '2019-20', fundingStream: IAP, amountPence: 100, awardedOn: '2999-01-01' },
      'awardedOn',
    ],
    [
      'an award date that is not a real date',
      ALLOCATE,
      { areaCode: AREA, year: '2019-20', fundingStream: IAP, amountPence: 100, awardedOn: '2019-02-29' },
      'awardedOn',
    ],
    [
      'blank funding stream',
      ALLOCATE,
      { areaCode: AREA, year: '2019-20', fundingStream: '  ', amountPence: 100 },
      'fundingStream',
    ],
    [
      'malformed quarter',
      REPORT,
      { areaCode: AREA, actionId: NO_SUCH_ACTION, quarter: '2019-20 Q5', amountPence: 100 },
      'quarter',
    ],
    [
      'negative correction',
      CORRECT,
      { areaCode: AREA, actionId: NO_SUCH_ACTION, quarter: '2019-20 Q1', amountPence: -1, reason: 'x' },
      'amountPence',
    ],
    [
      'malformed fromYear',
      REPROFILE,
      {
        areaCode: AREA,
        fromYear: '2019',
        toYear: '2020-21',
        fundingStream: IAP,
        amountPence: 1,
        reason: 'x',
      },
      'fromYear',
    ],
  ])(
    'rejects %s with BAD_USER_INPUT naming the field, writing nothing',
    async (_what, query, input, field) => {
      await refused(query, input, 'BAD_USER_INPUT', field);
    },
  );

  it('rejects a malformed year on Area.funding with BAD_USER_INPUT', async () => {
    const res = await t.gql(FUNDING, { code: AREA, year: '2019' });
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'year' });
  });
});
