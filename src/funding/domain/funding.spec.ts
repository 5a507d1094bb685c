import { describe, expect, it } from '@jest/globals';
import { refusal } from '@iap/common/testing';
import { deciderSpecification } from '@iap/event-store/testing';
import type { ReturnsState } from '../../outcomes/domain/public-api.js';
import {
  type ActionFacts,
  type FundingCommand,
  type FundingEvent,
  type FundingState,
  allocatedIn,
  committedIn,
  fundingDecider,
  fundingStreamId,
  grantAwardedOn,
  uncommittedIn,
} from './funding.js';
import { formatPence } from './money.js';

const AREA = 'E06000008';
const IAP = 'Integration Area Programme';
const ICELP = 'Integrated Communities English Language Programme';
const ACTION = 'action-1';

function stateOf(events: FundingEvent[]): FundingState {
  return given(events).state;
}

const given = deciderSpecification(fundingDecider);

const pilot = { registered: true, kind: 'PILOT' } as const;
const liveAction: ActionFacts = {
  exists: true,
  areaCode: AREA,
  status: 'IN_PROGRESS',
  title: 'Schools Linking',
};

const allocate = (year: string, amountPence: number, fundingStream = IAP): FundingEvent => ({
  type: 'GrantAllocated',
  data: { areaCode: AREA, year, fundingStream, amountPence, note: '' },
});
const committed = (year: string, amountPence: number, actionId = ACTION): FundingEvent => ({
  type: 'FundsCommitted',
  data: { areaCode: AREA, actionId, year, amountPence },
});
const reported = (quarter: string, amountPence: number, actionId = ACTION): FundingEvent => ({
  type: 'SpendReported',
  data: { areaCode: AREA, actionId, quarter, year: quarter.slice(0, 7), amountPence, note: '' },
});

const allocateCmd: FundingCommand = {
  type: 'AllocateGrant',
  areaCode: AREA,
  year: '2019-20',
  fundingStream: IAP,
  amountPence: 38313300,
  note: 'First-year award',
  awardedOn: '2018-12-20',
  today: '2019-01-10',
  area: pilot,
};
const reprofileCmd: FundingCommand = {
  type: 'ReprofileAllocation',
  areaCode: AREA,
  fromYear: '2019-20',
  toYear: '2020-21',
  fundingStream: IAP,
  amountPence: 1000000,
  reason: 'Schools Linking starts a year late',
};
const reduceCmd: FundingCommand = {
  type: 'ReduceAllocation',
  areaCode: AREA,
  year: '2019-20',
  fundingStream: IAP,
  amountPence: 500000,
  reason: 'Underspend returned to the programme',
};
const overspendCmd: FundingCommand = {
  type: 'ApproveOverspend',
  areaCode: AREA,
  year: '2019-20',
  amountPence: 200000,
  reason: 'Demand for ESOL places',
};
const commitCmd: FundingCommand = {
  type: 'CommitFunds',
  areaCode: AREA,
  actionId: ACTION,
  year: '2019-20',
  amountPence: 2500000,
  action: liveAction,
};
/** The area's periodic returns: none submitted, every quarter open. */
const OPEN: ReturnsState = new Map();
const reportCmd: FundingCommand = {
  type: 'ReportSpend',
  areaCode: AREA,
  actionId: ACTION,
  quarter: '2019-20 Q2',
  amountPence: 125050,
  note: 'Venue hire and transport',
  returns: OPEN,
};
const correctCmd: FundingCommand = {
  type: 'CorrectSpend',
  areaCode: AREA,
  actionId: ACTION,
  quarter: '2019-20 Q2',
  amountPence: 120000,
  reason: 'Invoice was credited',
  returns: OPEN,
};
const matchCmd: FundingCommand = {
  type: 'RecordMatchFunding',
  areaCode: AREA,
  matchId: 'match-1',
  partnerId: 'partner-1',
  actionId: null,
  year: '2019-20',
  kind: 'IN_KIND',
  amountPence: 300000,
  description: 'Sports hall for community mixing sessions',
  area: pilot,
  partner: { name: 'Sport England' },
  action: null,
};

describe('money', () => {
  it('formats pence as pounds and pence', () => {
    expect(formatPence(38313300)).toBe('£383,133.00');
    expect(formatPence(230750)).toBe('£2,307.50');
    expect(formatPence(5)).toBe('£0.05');
    expect(formatPence(0)).toBe('£0.00');
    expect(formatPence(-150)).toBe('-£1.50');
    expect(formatPence(5_000_000_000)).toBe('£50,000,000.00');
  });

  it('names one stream per area', () => {
    expect(fundingStreamId(AREA)).toBe('funding-E06000008');
  });
});

describe('funding: allocating grant', () => {
  it('allocates grant to a pilot by year and stream', () => {
    given([])
      .when(allocateCmd)
      .then([
        {
          type: 'GrantAllocated',
          data: {
            areaCode: AREA,
            year: '2019-20',
            fundingStream: IAP,
            amountPence: 38313300,
            note: 'First-year award',
            awardedOn: '2018-12-20',
          },
        },
      ]);
  });

  it('dates an award today when no date is given, and accepts an award dated today', () => {
    const { awardedOn: _omitted, ...undated } = allocateCmd as Extract<
      FundingCommand,
      { type: 'AllocateGrant' }
    >;
    for (const command of [undated, { ...undated, awardedOn: '2019-01-10' }]) {
      given([])
        .when(command)
        .then([
          {
            type: 'GrantAllocated',
            data: {
              areaCode: AREA,
              year: '2019-20',
              fundingStream: IAP,
              amountPence: 38313300,
              note: 'First-year award',
              awardedOn: '2019-01-10',
            },
          },
        ]);
    }
  });

  it('refuses an award dated in the future', () => {
    given([])
      .when({ ...allocateCmd, awardedOn: '2019-01-11' })
      .thenThrows(refusal('BAD_USER_INPUT', 'awardedOn'));
  });

  it.each(['2019-02-30', '2018-13-01', '20/12/2018', '2018-12-2', ''])(
    'refuses the award date %p (a real calendar date only)',
    (awardedOn) => {
      given([])
        .when({ ...allocateCmd, awardedOn })
        .thenThrows(refusal('BAD_USER_INPUT', 'awardedOn'));
    },
  );

  it("dates an older award without awardedOn by its recorded time's date in England", () => {
    const data = { areaCode: AREA, year: '2019-20', fundingStream: IAP, amountPence: 1, note: '' };
    expect(grantAwardedOn(data, new Date('2019-06-30T23:30:00Z'))).toBe('2019-07-01');
    expect(grantAwardedOn({ ...data, awardedOn: '2019-05-01' }, new Date('2019-06-30T23:30:00Z'))).toBe(
      '2019-05-01',
    );
  });

  it('adds a second allocation to the same year and stream, and keeps streams apart', () => {
    const state = stateOf([allocate('2019-20', 100), allocate('2019-20', 50), allocate('2019-20', 7, ICELP)]);
    expect(allocatedIn(state, '2019-20')).toBe(157);
    expect(state.years.get('2019-20')?.allocations.get(IAP)).toBe(150);
    expect(state.years.get('2019-20')?.allocations.get(ICELP)).toBe(7);
  });

  it('spells a stream as it was first allocated, whatever the case and spacing', () => {
    given([allocate('2019-20', 100)])
      .when({ ...allocateCmd, fundingStream: '  integration  area programme ', note: '' })
      .then([
        {
          type: 'GrantAllocated',
          data: {
            areaCode: AREA,
            year: '2019-20',
            fundingStream: IAP,
            amountPence: 38313300,
            note: '',
            awardedOn: '2018-12-20',
          },
        },
      ]);
  });

  it.each([0, -1, 1.5, Number.NaN, 2 ** 53])(
    'refuses the amount %p (positive whole pence only)',
    (amountPence) => {
      given([])
        .when({ ...allocateCmd, amountPence })
        .thenThrows(refusal('BAD_USER_INPUT', 'amountPence'));
    },
  );

  it.each(['2019', '2019-21', '2019/20', '19-20', '2019-20 Q1', ''])(
    'refuses the malformed year %p',
    (year) => {
      given([])
        .when({ ...allocateCmd, year })
        .thenThrows(refusal('BAD_USER_INPUT', 'year'));
    },
  );

  it('refuses a blank funding stream', () => {
    given([])
      .when({ ...allocateCmd, fundingStream: '   ' })
      .thenThrows(refusal('BAD_USER_INPUT', 'fundingStream'));
  });

  it('refuses an unregistered area', () => {
    given([])
      .when({ ...allocateCmd, area: { registered: false } })
      .thenThrows(refusal('NOT_FOUND', undefined, AREA));
  });

  it('refuses an area that is not a pilot', () => {
    given([])
      .when({ ...allocateCmd, area: { registered: true, kind: 'NON_PILOT' } })
      .thenThrows(refusal('CONFLICT', 'areaCode', /not a pilot/));
  });
});

describe('funding: reprofiling and clawback', () => {
  const base = [allocate('2019-20', 5000000), allocate('2019-20', 1000000, ICELP)];

  it('moves part of an allocation to another year in one event', () => {
    given(base)
      .when(reprofileCmd)
      .then([
        {
          type: 'AllocationReprofiled',
          data: {
            areaCode: AREA,
            fromYear: '2019-20',
            toYear: '2020-21',
            fundingStream: IAP,
            amountPence: 1000000,
            reason: 'Schools Linking starts a year late',
          },
        },
      ]);
    const after = stateOf([...base, ...fundingDecider.decide(reprofileCmd, stateOf(base))]);
    expect(allocatedIn(after, '2019-20')).toBe(5000000);
    expect(allocatedIn(after, '2020-21')).toBe(1000000);
  });

  it('may move money back to an earlier year', () => {
    given([allocate('2020-21', 100)])
      .when({ ...reprofileCmd, fromYear: '2020-21', toYear: '2019-20', amountPence: 100 })
      .then([
        {
          type: 'AllocationReprofiled',
          data: {
            areaCode: AREA,
            fromYear: '2020-21',
            toYear: '2019-20',
            fundingStream: IAP,
            amountPence: 100,
            reason: reprofileCmd.reason,
          },
        },
      ]);
  });

  it('refuses to reprofile more than the uncommitted remainder of the year', () => {
    // 5,000,000 allocated to the stream; 4,500,000 of the year's 6,000,000 committed: 1,500,000 uncommitted.
    const events = [...base, committed('2019-20', 4500000)];
    given(events)
      .when({ ...reprofileCmd, amountPence: 1500000 })
      .then([expect.anything() as never]);
    given(events)
      .when({ ...reprofileCmd, amountPence: 1500001 })
      .thenThrows(refusal('CONFLICT', 'amountPence', /at most £15,000.00 is uncommitted/));
  });

  it('refuses to reprofile more than the stream holds in that year', () => {
    given(base)
      .when({ ...reprofileCmd, fundingStream: ICELP, amountPence: 1000001 })
      .thenThrows(refusal('CONFLICT', 'amountPence', /£10,000.00/));
  });

  it('refuses to reprofile a stream with nothing allocated that year', () => {
    given(base)
      .when({ ...reprofileCmd, fundingStream: 'ESOL for Integration Fund' })
      .thenThrows(refusal('CONFLICT', 'fundingStream'));
    given(base)
      .when({ ...reprofileCmd, fromYear: '2021-22', toYear: '2022-23' })
      .thenThrows(refusal('CONFLICT', 'fundingStream'));
  });

  it('needs a reason to reprofile', () => {
    given(base)
      .when({ ...reprofileCmd, reason: '  ' })
      .thenThrows(refusal('BAD_USER_INPUT', 'reason'));
  });

  it('refuses to reprofile into the same year', () => {
    given(base)
      .when({ ...reprofileCmd, toYear: '2019-20' })
      .thenThrows(refusal('BAD_USER_INPUT', 'toYear'));
  });

  it.each([
    ['fromYear', { fromYear: '2019-2020' }],
    ['toYear', { toYear: '2020/21' }],
    ['amountPence', { amountPence: 0 }],
    ['amountPence', { amountPence: 10.5 }],
    ['fundingStream', { fundingStream: '' }],
  ])('refuses a malformed %s when reprofiling', (field, change) => {
    given(base)
      .when({ ...reprofileCmd, ...change } as FundingCommand)
      .thenThrows(refusal('BAD_USER_INPUT', field));
  });

  it('claws back part of an allocation with a reason', () => {
    given(base)
      .when(reduceCmd)
      .then([
        {
          type: 'AllocationReduced',
          data: {
            areaCode: AREA,
            year: '2019-20',
            fundingStream: IAP,
            amountPence: 500000,
            reason: 'Underspend returned to the programme',
          },
        },
      ]);
    const after = stateOf([...base, ...fundingDecider.decide(reduceCmd, stateOf(base))]);
    expect(allocatedIn(after, '2019-20')).toBe(5500000);
  });

  it('refuses to claw back committed money', () => {
    const events = [...base, committed('2019-20', 5800000)];
    given(events)
      .when({ ...reduceCmd, amountPence: 200000 })
      .then([expect.anything() as never]);
    given(events)
      .when({ ...reduceCmd, amountPence: 200001 })
      .thenThrows(refusal('CONFLICT', 'amountPence', /£2,000.00 is uncommitted/));
  });

  it('does not count approved overspend as money that can be clawed back', () => {
    const events = [
      ...base,
      {
        type: 'OverspendApproved',
        data: { areaCode: AREA, year: '2019-20', amountPence: 1000000, reason: 'x' },
      } as FundingEvent,
      committed('2019-20', 6000000),
    ];
    given(events)
      .when({ ...reduceCmd, amountPence: 1 })
      .thenThrows(refusal('CONFLICT', 'amountPence'));
  });

  it('needs a reason to claw back', () => {
    given(base)
      .when({ ...reduceCmd, reason: '' })
      .thenThrows(refusal('BAD_USER_INPUT', 'reason'));
  });

  it.each([
    ['year', { year: '2019' }],
    ['amountPence', { amountPence: -5 }],
    ['fundingStream', { fundingStream: ' ' }],
  ])('refuses a malformed %s when clawing back', (field, change) => {
    given(base)
      .when({ ...reduceCmd, ...change } as FundingCommand)
      .thenThrows(refusal('BAD_USER_INPUT', field));
  });
});

describe('funding: overspend approval', () => {
  it('approves extra headroom for a year with an allocation', () => {
    given([allocate('2019-20', 100)])
      .when(overspendCmd)
      .then([
        {
          type: 'OverspendApproved',
          data: { areaCode: AREA, year: '2019-20', amountPence: 200000, reason: 'Demand for ESOL places' },
        },
      ]);
  });

  it('refuses an overspend for a year with nothing allocated', () => {
    given([allocate('2020-21', 100)])
      .when(overspendCmd)
      .thenThrows(refusal('CONFLICT', 'year'));
  });

  it('needs a reason, a positive amount and a well-formed year', () => {
    const events = [allocate('2019-20', 100)];
    given(events)
      .when({ ...overspendCmd, reason: ' ' })
      .thenThrows(refusal('BAD_USER_INPUT', 'reason'));
    given(events)
      .when({ ...overspendCmd, amountPence: 0 })
      .thenThrows(refusal('BAD_USER_INPUT', 'amountPence'));
    given(events)
      .when({ ...overspendCmd, year: '2019-2' })
      .thenThrows(refusal('BAD_USER_INPUT', 'year'));
  });
});

describe('funding: commitments', () => {
  const base = [allocate('2019-20', 3000000)];

  it('commits funds to an action of the area', () => {
    given(base)
      .when(commitCmd)
      .then([
        {
          type: 'FundsCommitted',
          data: { areaCode: AREA, actionId: ACTION, year: '2019-20', amountPence: 2500000 },
        },
      ]);
  });

  it('keeps a note with the commitment when one is given (events before notes have none)', () => {
    given(base)
      .when({ ...commitCmd, note: '  Venue and tutors (illustrative)  ' })
      .then([
        {
          type: 'FundsCommitted',
          data: {
            areaCode: AREA,
            actionId: ACTION,
            year: '2019-20',
            amountPence: 2500000,
            note: 'Venue and tutors (illustrative)',
          },
        },
      ]);
    given(base)
      .when({ ...commitCmd, note: '' })
      .then([
        {
          type: 'FundsCommitted',
          data: { areaCode: AREA, actionId: ACTION, year: '2019-20', amountPence: 2500000 },
        },
      ]);
    given(base)
      .when({ ...commitCmd, note: 'x'.repeat(2001) })
      .thenThrows(refusal('BAD_USER_INPUT', 'note'));
    // An event written before commitments had notes still counts.
    expect(committedIn(stateOf([...base, committed('2019-20', 2500000)]), '2019-20')).toBe(2500000);
  });

  it('may commit exactly what is uncommitted, and adds up commitments', () => {
    const events = [...base, committed('2019-20', 2500000)];
    given(events)
      .when({ ...commitCmd, amountPence: 500000 })
      .then([
        {
          type: 'FundsCommitted',
          data: { areaCode: AREA, actionId: ACTION, year: '2019-20', amountPence: 500000 },
        },
      ]);
    const state = stateOf([...events, committed('2019-20', 500000, 'action-2')]);
    expect(committedIn(state, '2019-20')).toBe(3000000);
    expect(uncommittedIn(state, '2019-20')).toBe(0);
  });

  it('refuses to commit more than the uncommitted allocation, stating the figures', () => {
    given([...base, committed('2019-20', 2500000)])
      .when({ ...commitCmd, amountPence: 500001 })
      .thenThrows(
        refusal(
          'CONFLICT',
          'amountPence',
          /Committing £5,000.01 .* allocated £30,000.00, already committed £25,000.00, so £5,000.00 can still be committed/,
        ),
      );
  });

  it('refuses to commit in a year with no allocation', () => {
    given(base)
      .when({ ...commitCmd, year: '2020-21', amountPence: 1 })
      .thenThrows(refusal('CONFLICT', 'amountPence', /£0.00 can still/));
  });

  it('allows commitments up to the approved overspend', () => {
    const events: FundingEvent[] = [
      ...base,
      committed('2019-20', 2500000),
      {
        type: 'OverspendApproved',
        data: { areaCode: AREA, year: '2019-20', amountPence: 100000, reason: 'x' },
      },
    ];
    given(events)
      .when({ ...commitCmd, amountPence: 600000 })
      .then([
        {
          type: 'FundsCommitted',
          data: { areaCode: AREA, actionId: ACTION, year: '2019-20', amountPence: 600000 },
        },
      ]);
    given(events)
      .when({ ...commitCmd, amountPence: 600001 })
      .thenThrows(refusal('CONFLICT', 'amountPence', /plus approved overspend £1,000.00/));
  });

  it('counts reprofiled and clawed-back money in the headroom', () => {
    const events: FundingEvent[] = [
      ...base,
      {
        type: 'AllocationReprofiled',
        data: {
          areaCode: AREA,
          fromYear: '2019-20',
          toYear: '2020-21',
          fundingStream: IAP,
          amountPence: 1000000,
          reason: 'x',
        },
      },
      {
        type: 'AllocationReduced',
        data: { areaCode: AREA, year: '2019-20', fundingStream: IAP, amountPence: 500000, reason: 'x' },
      },
    ];
    given(events)
      .when({ ...commitCmd, amountPence: 1500001 })
      .thenThrows(refusal('CONFLICT', 'amountPence'));
    given(events)
      .when({ ...commitCmd, amountPence: 1500000 })
      .then([expect.anything() as never]);
    given(events)
      .when({ ...commitCmd, year: '2020-21', amountPence: 1000000 })
      .then([expect.anything() as never]);
  });

  it('refuses an action that does not exist', () => {
    given(base)
      .when({ ...commitCmd, action: { exists: false } })
      .thenThrows(refusal('NOT_FOUND', undefined, ACTION));
  });

  it("refuses another area's action", () => {
    given(base)
      .when({ ...commitCmd, action: { ...liveAction, areaCode: 'E08000032' } as ActionFacts })
      .thenThrows(refusal('BAD_USER_INPUT', 'actionId', /E08000032/));
  });

  it('refuses a cancelled action', () => {
    given(base)
      .when({ ...commitCmd, action: { ...liveAction, status: 'CANCELLED' } as ActionFacts })
      .thenThrows(refusal('CONFLICT', 'actionId', /cancelled/));
  });

  it.each([
    ['amountPence', { amountPence: 0 }],
    ['amountPence', { amountPence: -100 }],
    ['amountPence', { amountPence: 99.5 }],
    ['year', { year: '2019-21' }],
    ['actionId', { actionId: ' ' }],
  ])('refuses a malformed %s', (field, change) => {
    given(base)
      .when({ ...commitCmd, ...change } as FundingCommand)
      .thenThrows(refusal('BAD_USER_INPUT', field));
  });
});

describe('funding: spend', () => {
  const base = [allocate('2019-20', 3000000), committed('2019-20', 2500000)];

  it('reports a quarter of spend against a committed action', () => {
    given(base)
      .when(reportCmd)
      .then([
        {
          type: 'SpendReported',
          data: {
            areaCode: AREA,
            actionId: ACTION,
            quarter: '2019-20 Q2',
            year: '2019-20',
            amountPence: 125050,
            note: 'Venue hire and transport',
          },
        },
      ]);
  });

  it("places Q4 (January to March) in the financial year's commitment", () => {
    given(base)
      .when({ ...reportCmd, quarter: '2019-20 Q4' })
      .then([expect.objectContaining({ type: 'SpendReported' }) as never]);
  });

  it('refuses spend against an action with no commitment', () => {
    given(base)
      .when({ ...reportCmd, actionId: 'action-2' })
      .thenThrows(refusal('CONFLICT', 'actionId', /commit funds/));
  });

  it("refuses spend in a year other than the commitment's", () => {
    given(base)
      .when({ ...reportCmd, quarter: '2020-21 Q1' })
      .thenThrows(refusal('CONFLICT', 'actionId', /2020-21/));
  });

  it('refuses a second report for the same action and quarter, pointing to correctSpend', () => {
    given([...base, reported('2019-20 Q2', 100)])
      .when(reportCmd)
      .thenThrows(refusal('CONFLICT', 'quarter', /correctSpend/));
    given([...base, reported('2019-20 Q2', 100)])
      .when({ ...reportCmd, quarter: '2019-20 Q3' })
      .then([expect.objectContaining({ type: 'SpendReported' }) as never]);
  });

  it.each([
    ['amountPence', { amountPence: 0 }],
    ['amountPence', { amountPence: -1 }],
    ['amountPence', { amountPence: 0.25 }],
    ['quarter', { quarter: '2019-20 Q5' }],
    ['quarter', { quarter: '2019-20' }],
    ['quarter', { quarter: '2019-21 Q1' }],
  ])('refuses a malformed %s', (field, change) => {
    given(base)
      .when({ ...reportCmd, ...change } as FundingCommand)
      .thenThrows(refusal('BAD_USER_INPUT', field));
  });

  it('corrects a report, carrying the figure it replaces', () => {
    given([...base, reported('2019-20 Q2', 125050)])
      .when(correctCmd)
      .then([
        {
          type: 'SpendCorrected',
          data: {
            areaCode: AREA,
            actionId: ACTION,
            quarter: '2019-20 Q2',
            year: '2019-20',
            amountPence: 120000,
            previousPence: 125050,
            reason: 'Invoice was credited',
          },
        },
      ]);
  });

  it('keeps the original figure and counts corrections', () => {
    const events: FundingEvent[] = [
      ...base,
      reported('2019-20 Q2', 125050),
      {
        type: 'SpendCorrected',
        data: {
          areaCode: AREA,
          actionId: ACTION,
          quarter: '2019-20 Q2',
          year: '2019-20',
          amountPence: 120000,
          previousPence: 125050,
          reason: 'a',
        },
      },
    ];
    expect(stateOf(events).spend.get(`${ACTION}|2019-20 Q2`)).toEqual({
      amountPence: 120000,
      originalPence: 125050,
      corrections: 1,
    });
    given(events)
      .when({ ...correctCmd, amountPence: 110000 })
      .then([
        {
          type: 'SpendCorrected',
          data: {
            areaCode: AREA,
            actionId: ACTION,
            quarter: '2019-20 Q2',
            year: '2019-20',
            amountPence: 110000,
            previousPence: 120000,
            reason: 'Invoice was credited',
          },
        },
      ]);
  });

  it('may correct a report down to nothing', () => {
    given([...base, reported('2019-20 Q2', 125050)])
      .when({ ...correctCmd, amountPence: 0 })
      .then([expect.objectContaining({ type: 'SpendCorrected' }) as never]);
  });

  it('refuses to correct a report that does not exist', () => {
    given([...base, reported('2019-20 Q1', 100)])
      .when(correctCmd)
      .thenThrows(refusal('NOT_FOUND', undefined, /reportSpend/));
  });

  it('needs a reason to correct', () => {
    given([...base, reported('2019-20 Q2', 125050)])
      .when({ ...correctCmd, reason: ' ' })
      .thenThrows(refusal('BAD_USER_INPUT', 'reason'));
  });

  it('refuses a correction that changes nothing, or a malformed amount', () => {
    const events = [...base, reported('2019-20 Q2', 125050)];
    given(events)
      .when({ ...correctCmd, amountPence: 125050 })
      .thenThrows(refusal('BAD_USER_INPUT', 'amountPence'));
    given(events)
      .when({ ...correctCmd, amountPence: -1 })
      .thenThrows(refusal('BAD_USER_INPUT', 'amountPence'));
    given(events)
      .when({ ...correctCmd, amountPence: 1.5 })
      .thenThrows(refusal('BAD_USER_INPUT', 'amountPence'));
    given(events)
      .when({ ...correctCmd, quarter: '2019 Q2' })
      .thenThrows(refusal('BAD_USER_INPUT', 'quarter'));
  });
});

describe("funding: the period lock (the area's returns are a fact given to the decider)", () => {
  const base = [allocate('2019-20', 3000000), committed('2019-20', 2500000)];
  const q2Submitted: ReturnsState = new Map([['2019-20 Q2', 'SUBMITTED']]);

  it('refuses to report or correct spend in a quarter whose return is submitted or approved', () => {
    given(base)
      .when({ ...reportCmd, returns: q2Submitted })
      .thenThrows(
        refusal('CONFLICT', 'quarter', /2019-20 Q2 is locked for E06000008: its return is submitted/),
      );
    given([...base, reported('2019-20 Q2', 125050)])
      .when({ ...correctCmd, returns: new Map([['2019-20 Q2', 'APPROVED']]) })
      .thenThrows(refusal('CONFLICT', 'quarter', /2019-20 Q2 is locked/));
  });

  it('accepts spend in another quarter, or once the return is sent back', () => {
    given(base)
      .when({ ...reportCmd, quarter: '2019-20 Q3', returns: q2Submitted })
      .then([expect.objectContaining({ type: 'SpendReported' }) as never]);
    given([...base, reported('2019-20 Q2', 125050)])
      .when({ ...correctCmd, returns: new Map([['2019-20 Q2', 'SENT_BACK']]) })
      .then([expect.objectContaining({ type: 'SpendCorrected' }) as never]);
  });

  it('applies the funding rules first: a malformed quarter or a missing commitment says so', () => {
    given(base)
      .when({ ...reportCmd, quarter: '2019-20 Q5', returns: q2Submitted })
      .thenThrows(refusal('BAD_USER_INPUT', 'quarter'));
    given(base)
      .when({ ...reportCmd, actionId: 'action-2', returns: q2Submitted })
      .thenThrows(refusal('CONFLICT', 'actionId', /commit funds/));
  });
});

describe('funding: match funding', () => {
  it("records a partner's match funding in kind", () => {
    given([])
      .when(matchCmd)
      .then([
        {
          type: 'MatchFundingRecorded',
          data: {
            areaCode: AREA,
            matchId: 'match-1',
            partnerId: 'partner-1',
            actionId: null,
            year: '2019-20',
            kind: 'IN_KIND',
            amountPence: 300000,
            description: 'Sports hall for community mixing sessions',
          },
        },
      ]);
  });

  it('records cash match funding for an action of the area', () => {
    given([])
      .when({ ...matchCmd, kind: 'CASH', actionId: ACTION, action: liveAction })
      .then([
        expect.objectContaining({
          data: expect.objectContaining({ kind: 'CASH', actionId: ACTION }),
        }) as never,
      ]);
  });

  it('needs a registered partner of the area', () => {
    given([])
      .when({ ...matchCmd, partner: null })
      .thenThrows(refusal('BAD_USER_INPUT', 'partnerId', AREA));
  });

  it('needs a registered pilot area', () => {
    given([])
      .when({ ...matchCmd, area: { registered: false } })
      .thenThrows(refusal('NOT_FOUND'));
    given([])
      .when({ ...matchCmd, area: { registered: true, kind: 'NON_PILOT' } })
      .thenThrows(refusal('CONFLICT', 'areaCode'));
  });

  it('refuses an action that is missing, of another area, or cancelled', () => {
    given([])
      .when({ ...matchCmd, actionId: ACTION, action: { exists: false } })
      .thenThrows(refusal('NOT_FOUND'));
    given([])
      .when({
        ...matchCmd,
        actionId: ACTION,
        action: { ...liveAction, areaCode: 'E09000031' } as ActionFacts,
      })
      .thenThrows(refusal('BAD_USER_INPUT', 'actionId'));
    given([])
      .when({ ...matchCmd, actionId: ACTION, action: { ...liveAction, status: 'CANCELLED' } as ActionFacts })
      .thenThrows(refusal('CONFLICT', 'actionId'));
  });

  it.each([
    ['amountPence', { amountPence: 0 }],
    ['amountPence', { amountPence: 2.5 }],
    ['year', { year: 'next year' }],
    ['kind', { kind: 'LOAN' }],
    ['description', { description: '  ' }],
    ['partnerId', { partnerId: '' }],
  ])('refuses a malformed %s', (field, change) => {
    given([])
      .when({ ...matchCmd, ...change } as FundingCommand)
      .thenThrows(refusal('BAD_USER_INPUT', field));
  });

  it('records the same match funding once', () => {
    given([
      {
        type: 'MatchFundingRecorded',
        data: {
          areaCode: AREA,
          matchId: 'match-1',
          partnerId: 'partner-1',
          actionId: null,
          year: '2019-20',
          kind: 'CASH',
          amountPence: 1,
          description: 'x',
        },
      },
    ])
      .when(matchCmd)
      .then([]);
  });
});
