import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CommandBus } from '@nestjs/cqrs';
import { EventStore, type HandleResult } from '@iap/event-store';
import { DataSource } from 'typeorm';
import { untilLogShowsAll } from '../libs/event-store/src/testing/readable.js';
import { ProjectionRunner } from '@iap/projections';
import { ActionLifecycleCommand } from '../src/delivery/commands/action.command.js';
import { AreaFundingCommand } from '../src/funding/commands/funding.command.js';
import { AreaOutcomesCommand } from '../src/outcomes/commands/area-outcomes.command.js';
import { PeriodicReturnCommand } from '../src/outcomes/commands/return.command.js';
import type { CommandEnvelope } from '../src/shared/commands.js';
import { type TestApp, startTestApp } from './support/test-app.js';
import { mutation, ok } from './support/graphql.js';
import { ESOL_ENROLMENTS } from '../src/outcomes/domain/testing/indicators.js';

/**
 * A submitted return's snapshot is kept in the log for good: it must hold what the events say when it is
 * submitted, even while the read models have not applied the latest of them (here: the projections stopped).
 */
const AREA = 'E06000008';
const QUARTER = '2019-20 Q3';

describe('a return submitted before the read models catch up', () => {
  let t: TestApp;
  let partnerId: string;
  let actionId: string;

  const m = mutation;
  const envelope: CommandEnvelope = {
    metadata: { actor: { subject: 'snapshot-test', name: 'Snapshot test', role: 'PILOT', area: AREA } },
  };

  beforeAll(async () => {
    t = await startTestApp();
    ok(
      await t.gql(m('registerArea', 'RegisterAreaInput', 'code'), {
        input: { code: AREA, name: 'Blackburn with Darwen', kind: 'PILOT', region: 'North West' },
      }),
    );
    partnerId = ok(
      await t.gql<{ registerPartner: { id: string } }>(m('registerPartner', 'RegisterPartnerInput', 'id'), {
        input: { areaCode: AREA, name: 'Blackburn with Darwen Council', sector: 'COUNCIL' },
      }),
    ).registerPartner.id;
    actionId = ok(
      await t.gql<{ planAction: { id: string } }>(m('planAction', 'PlanActionInput', 'id'), {
        input: {
          areaCode: AREA,
          title: 'Schools Linking',
          themes: ['EDUCATION_AND_YOUNG_PEOPLE'],
          leadPartnerId: partnerId,
          plannedStart: '2019-09-01',
          plannedEnd: '2020-07-31',
        },
      }),
    ).planAction.id;
    ok(
      await t.gql(m('allocateGrant', 'AllocateGrantInput', 'year'), {
        input: {
          areaCode: AREA,
          year: '2019-20',
          fundingStream: 'Integration Area Programme',
          amountPence: 1e7,
        },
      }),
    );
    ok(
      await t.gql(m('commitFunds', 'CommitFundsInput', 'year'), {
        input: { areaCode: AREA, actionId, year: '2019-20', amountPence: 5_000_000 },
      }),
    );
    ok(
      await t.gql(m('reportSpend', 'ReportSpendInput', 'year'), {
        input: { areaCode: AREA, actionId, quarter: QUARTER, amountPence: 120_000 },
      }),
    );
    ok(
      await t.gql(m('defineIndicator', 'DefineIndicatorInput', 'code'), {
        input: ESOL_ENROLMENTS,
      }),
    );
  });

  afterAll(async () => {
    await t?.close();
  });

  it('holds the spend, actions and measurements the log holds, not what the read models had applied', async () => {
    const bus = t.app.get(CommandBus);
    const runner = t.app.get(ProjectionRunner);
    await runner.stop();
    let submitted: HandleResult<unknown>;
    try {
      // Written while no projection runs: the read models know nothing of these.
      await bus.execute(
        new AreaFundingCommand(
          {
            type: 'CorrectSpend',
            areaCode: AREA,
            actionId,
            quarter: QUARTER,
            amountPence: 150_000,
            reason: 'Late invoice',
          },
          envelope,
        ),
      );
      await bus.execute(
        new ActionLifecycleCommand({ type: 'StartAction', actionId, on: '2019-09-02' }, envelope),
      );
      const later = randomUUID();
      await bus.execute(
        new ActionLifecycleCommand(
          {
            type: 'PlanAction',
            actionId: later,
            areaCode: AREA,
            title: 'Community Conversations',
            description: '',
            themes: ['PLACES_AND_COMMUNITY'],
            leadPartnerId: partnerId,
            partnerIds: [],
            plannedStart: '2020-01-06',
            plannedEnd: '2020-12-31',
            milestones: [],
          },
          envelope,
        ),
      );
      await bus.execute(
        new AreaOutcomesCommand(
          {
            type: 'RecordMeasurement',
            areaCode: AREA,
            measurementId: randomUUID(),
            indicatorCode: 'ESOL_ENROLMENTS',
            periodLabel: QUARTER,
            periodStart: '2019-10-01',
            periodEnd: '2019-12-31',
            value: 42,
            source: 'Programme records',
          },
          envelope,
        ),
      );
      // The action counts follow the log as its readers see it: once every transaction older than these
      // appends has ended on the server (other test files run theirs on it too).
      await untilLogShowsAll(t.app.get(EventStore), t.app.get(DataSource));
      submitted = await bus.execute(
        new PeriodicReturnCommand(
          { type: 'SubmitReturn', areaCode: AREA, quarter: QUARTER, note: '' },
          envelope,
        ),
      );
    } finally {
      runner.start();
    }
    const event = submitted.events.find((e) => e.type === 'ReturnSubmitted')!;
    expect((event.data as { snapshot: unknown }).snapshot).toEqual({
      spendPence: 150_000,
      measurements: 1,
      actionsByStatus: { PLANNED: 1, IN_PROGRESS: 1, PAUSED: 0, COMPLETED: 0, CANCELLED: 0 },
    });
  }, 60_000);
});
