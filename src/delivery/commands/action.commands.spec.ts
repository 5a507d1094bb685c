import { beforeEach, describe, expect, it } from '@jest/globals';
import { InMemoryEventStore } from '@iap/event-store';
import { areaDecider, areaStream } from '../../areas/public-api.js';
import { FixedClock } from '../../shared/clock.js';
import { type CommandEnvelope, decideAndAppend } from '../../shared/commands.js';
import { THEME_CATALOGUE_STREAM, themeDecider, DEFAULT_THEMES } from '../../themes/public-api.js';
import { ActionCommandHandler } from './action.commands.js';
import { ActionLifecycleCommand, type ActionRequest } from './action.command.js';

/**
 * The handler's own part, with no database: the in-memory store (same contract as PostgreSQL's) and a clock set
 * by the test. A status change sent without a date is dated today in England, whatever the server's time zone.
 */
describe('action command handler', () => {
  const AREA = 'E06000008';
  const ACTION = '0b7f3f0e-7a31-4a8e-9d7e-3c1a8a6f2b10';
  const envelope: CommandEnvelope = { metadata: { correlationId: 'action-handler-spec' } };
  let store: InMemoryEventStore;
  let clock: FixedClock;
  let handler: ActionCommandHandler;
  const send = (request: ActionRequest) => handler.execute(new ActionLifecycleCommand(request, envelope));

  beforeEach(async () => {
    store = new InMemoryEventStore();
    clock = new FixedClock(new Date('2020-06-30T23:30:00Z'));
    handler = new ActionCommandHandler(store, clock);
    const theme = DEFAULT_THEMES[0];
    await decideAndAppend(
      store,
      THEME_CATALOGUE_STREAM,
      themeDecider,
      { type: 'DefineTheme', ...theme },
      envelope,
    );
    await decideAndAppend(
      store,
      areaStream(AREA),
      areaDecider,
      {
        type: 'RegisterArea',
        code: AREA,
        name: 'Blackburn with Darwen',
        kind: 'PILOT',
        region: 'North West',
      },
      envelope,
    );
    await decideAndAppend(
      store,
      areaStream(AREA),
      areaDecider,
      { type: 'RegisterPartner', areaCode: AREA, partnerId: 'p-1', name: 'Council', sector: 'COUNCIL' },
      envelope,
    );
    await send({
      type: 'PlanAction',
      actionId: ACTION,
      areaCode: AREA,
      title: 'Schools Linking',
      description: '',
      themes: [theme.code],
      leadPartnerId: 'p-1',
      partnerIds: [],
      plannedStart: '2020-06-01',
      plannedEnd: '2021-07-31',
      milestones: [],
    });
  });

  it('dates a status change sent without a date today in England (BST), not in UTC', async () => {
    const result = await send({ type: 'StartAction', actionId: ACTION });
    expect(result.events.map((e) => [e.type, (e.data as { on: string }).on])).toEqual([
      ['ActionStarted', '2020-07-01'],
    ]);
  });

  it('follows the clock (GMT in winter) and keeps a date given by the client', async () => {
    await send({ type: 'StartAction', actionId: ACTION, on: '2020-06-02' });
    clock.set(new Date('2020-12-31T23:30:00Z'));
    const paused = await send({ type: 'PauseAction', actionId: ACTION, reason: 'Staff changes' });
    expect((paused.events[0].data as { on: string }).on).toBe('2020-12-31');
    const first = (await store.readStream(`action-${ACTION}`))[1];
    expect((first.data as { on: string }).on).toBe('2020-06-02');
  });
});
