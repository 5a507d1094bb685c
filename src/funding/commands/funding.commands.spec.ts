import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { AppError } from '@iap/common';
import { InMemoryEventStore } from '@iap/event-store';
import { areaDecider, areaStream } from '../../areas/public-api.js';
import { returnDecider, returnStream } from '../../outcomes/public-api.js';
import { FixedClock } from '../../shared/clock.js';
import { type CommandEnvelope, decideAndAppend } from '../../shared/commands.js';
import { fundingDecider, fundingStreamId } from '../domain/funding.js';
import { FundingCommandHandler } from './funding.commands.js';
import { AreaFundingCommand, type FundingRequest } from './funding.command.js';

/**
 * The handler's own part: it loads facts from the areas and outcomes contexts through their public APIs, and
 * refuses spend in a quarter whose periodic return is locked. Other contexts' state is made with their own
 * deciders, so it is what those contexts would have written.
 */
describe('funding command handler', () => {
  // The in-memory store passes the same contract suite as the PostgreSQL one: no database needed here.
  let store: InMemoryEventStore;
  let handler: FundingCommandHandler;
  const envelope: CommandEnvelope = { metadata: { correlationId: 'funding-handler-spec' } };
  const PILOT = 'E06000031';
  const OTHER = 'E07000012';
  // 23:30 GMT on 31 March 2020 is already 1 April in England (BST began on 29 March 2020).
  const clock = new FixedClock(new Date('2020-03-31T23:30:00Z'));

  const send = (command: FundingRequest) => handler.execute(new AreaFundingCommand(command, envelope));
  const refusal = (p: Promise<unknown>) =>
    p.then(
      () => null,
      (err: unknown) => err as AppError,
    );

  // Each test starts from a store of its own holding the two areas (it runs alone as well as in order).
  beforeEach(async () => {
    store = new InMemoryEventStore();
    handler = new FundingCommandHandler(store, clock);

    await decideAndAppend(
      store,
      areaStream(PILOT),
      areaDecider,
      { type: 'RegisterArea', code: PILOT, name: 'Peterborough', kind: 'PILOT', region: 'East of England' },
      envelope,
    );
    await decideAndAppend(
      store,
      areaStream(PILOT),
      areaDecider,
      {
        type: 'RegisterPartner',
        areaCode: PILOT,
        partnerId: 'p-1',
        name: 'Peterborough Council for Voluntary Service',
        sector: 'VOLUNTARY',
      },
      envelope,
    );
    await decideAndAppend(
      store,
      areaStream(OTHER),
      areaDecider,
      { type: 'RegisterArea', code: OTHER, name: 'Cambridge', kind: 'NON_PILOT', region: 'East of England' },
      envelope,
    );
  });
  afterEach(async () => {
    await store?.close();
  });

  it('allocates to a registered pilot, and refuses a non-pilot or unknown area', async () => {
    const allocate = {
      type: 'AllocateGrant',
      year: '2019-20',
      fundingStream: 'Integration Area Programme',
      amountPence: 97000000,
      note: '',
    } as const;
    const ok = await send({ ...allocate, areaCode: PILOT });
    expect(ok.events.map((e) => e.type)).toEqual(['GrantAllocated']);
    expect(ok.events[0]?.data).toMatchObject({ awardedOn: '2020-04-01' });
    expect(ok.streamId).toBe(fundingStreamId(PILOT));
    expect((await refusal(send({ ...allocate, areaCode: OTHER })))?.code).toBe('CONFLICT');
    expect((await refusal(send({ ...allocate, areaCode: 'E09000031' })))?.code).toBe('NOT_FOUND');
  });

  it("records match funding only from a partner in the area's partnership", async () => {
    const match = {
      type: 'RecordMatchFunding',
      areaCode: PILOT,
      matchId: 'm-1',
      actionId: null,
      year: '2019-20',
      kind: 'CASH',
      amountPence: 50000,
      description: 'Volunteer coordinator',
    } as const;
    const wrong = await refusal(send({ ...match, partnerId: 'p-unknown' }));
    expect(wrong?.code).toBe('BAD_USER_INPUT');
    expect(wrong?.details.field).toBe('partnerId');
    expect((await send({ ...match, partnerId: 'p-1' })).events.map((e) => e.type)).toEqual([
      'MatchFundingRecorded',
    ]);
  });

  it('refuses spend and corrections in a quarter whose return is submitted, and accepts them once sent back', async () => {
    await send({
      type: 'AllocateGrant',
      areaCode: PILOT,
      year: '2019-20',
      fundingStream: 'Integration Area Programme',
      amountPence: 97000000,
      note: '',
    });
    // A commitment, decided with the facts the handler would have loaded.
    await decideAndAppend(
      store,
      fundingStreamId(PILOT),
      fundingDecider,
      {
        type: 'CommitFunds',
        areaCode: PILOT,
        actionId: 'a-1',
        year: '2019-20',
        amountPence: 1000000,
        action: {
          exists: true,
          areaCode: PILOT,
          status: 'IN_PROGRESS',
          title: 'Belonging Together small grants',
        },
      },
      envelope,
    );
    const report = {
      type: 'ReportSpend',
      areaCode: PILOT,
      actionId: 'a-1',
      amountPence: 2000,
      note: '',
    } as const;
    expect((await send({ ...report, quarter: '2019-20 Q1' })).events).toHaveLength(1);

    const submit = {
      type: 'SubmitReturn',
      areaCode: PILOT,
      quarter: '2019-20 Q1',
      note: '',
      snapshot: { spendPence: 2000, measurements: 0, actionsByStatus: {} },
      today: '2019-07-10',
      area: { registered: true, kind: 'PILOT' },
    } as const;
    await decideAndAppend(store, returnStream(PILOT), returnDecider, submit, envelope);

    const correct = {
      type: 'CorrectSpend',
      areaCode: PILOT,
      actionId: 'a-1',
      quarter: '2019-20 Q1',
      amountPence: 1500,
      reason: 'Refund',
    } as const;
    const lockedCorrection = await refusal(send(correct));
    expect(lockedCorrection?.code).toBe('CONFLICT');
    expect(lockedCorrection?.details).toMatchObject({ field: 'quarter', period: '2019-20 Q1' });
    // Another action's first report in the locked quarter is refused too; the next quarter is open.
    await decideAndAppend(
      store,
      fundingStreamId(PILOT),
      fundingDecider,
      {
        type: 'CommitFunds',
        areaCode: PILOT,
        actionId: 'a-2',
        year: '2019-20',
        amountPence: 1000,
        action: { exists: true, areaCode: PILOT, status: 'PLANNED', title: 'Welcome pack' },
      },
      envelope,
    );
    expect((await refusal(send({ ...report, actionId: 'a-2', quarter: '2019-20 Q1' })))?.code).toBe(
      'CONFLICT',
    );
    expect((await send({ ...report, actionId: 'a-2', quarter: '2019-20 Q2' })).events).toHaveLength(1);

    await decideAndAppend(
      store,
      returnStream(PILOT),
      returnDecider,
      { type: 'SendBackReturn', areaCode: PILOT, quarter: '2019-20 Q1', comments: 'Please check the spend' },
      envelope,
    );
    const corrected = await send(correct);
    expect(corrected.events[0].data).toMatchObject({ amountPence: 1500, previousPence: 2000 });
  });

  it('leaves a malformed quarter to the decider (BAD_USER_INPUT, not a lock check)', async () => {
    const err = await refusal(
      send({
        type: 'ReportSpend',
        areaCode: PILOT,
        actionId: 'a-1',
        quarter: '2019 Q1',
        amountPence: 1,
        note: '',
      }),
    );
    expect(err?.code).toBe('BAD_USER_INPUT');
    expect(err?.details.field).toBe('quarter');
  });
});
