import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { DataSource } from 'typeorm';
import { EventStore } from '@iap/event-store';
import { ActionsProjection } from '../src/delivery/projections/actions.projection.js';
import { todayInEngland } from '../src/shared/periods.js';
import { type ActionRow, actionStatusCounts, loadActionSummary } from '../src/delivery/public-api.js';
import { type ReturnEvent, returnStream } from '../src/outcomes/domain/periodic-return.js';
import { type TestApp, startTestApp } from './support/test-app.js';
import { expectRebuildUnchanged } from './support/rebuild.js';
import * as gql from './support/graphql.js';

const ACTION_FIELDS = `id areaCode title description status themes leadPartnerId partnerIds plannedStart plannedEnd
  startedOn completedOn summary pausedOn pausedReason cancelledOn cancelledReason
  milestones { id title dueDate reachedOn note } revision createdAt updatedAt`;

/** An action as the API answers it (the fields of its read-model row, and the revision). */
type Action = ActionRow & { revision: number };

interface Page {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: { id: string; title: string; plannedStart: string; areaCode: string; status: string }[];
}

const MUTATION_INPUTS: Record<string, string> = {
  planAction: 'PlanActionInput',
  startAction: 'StartActionInput',
  reachMilestone: 'ReachMilestoneInput',
  reviseAction: 'ReviseActionInput',
  completeAction: 'CompleteActionInput',
  pauseAction: 'PauseActionInput',
  resumeAction: 'ResumeActionInput',
  cancelAction: 'CancelActionInput',
};

const BLACKBURN = 'E06000008';
const BRADFORD = 'E08000032';
const WALSALL = 'E08000030';
const WALTHAM_FOREST = 'E09000031';
const KENT = 'E10000016';

describe('actions, end to end over GraphQL', () => {
  let t: TestApp;
  const partners = new Map<string, Record<string, string>>();

  beforeAll(async () => {
    t = await startTestApp();
    const areas: [string, string, string, string][] = [
      [BLACKBURN, 'Blackburn with Darwen', 'PILOT', 'North West'],
      [BRADFORD, 'Bradford', 'PILOT', 'Yorkshire and The Humber'],
      [WALSALL, 'Walsall', 'PILOT', 'West Midlands'],
      [WALTHAM_FOREST, 'Waltham Forest', 'PILOT', 'London'],
      [KENT, 'Kent', 'NON_PILOT', 'South East'],
    ];
    for (const [code, name, kind, region] of areas) {
      const res = await t.gql('mutation($i: RegisterAreaInput!) { registerArea(input: $i) { code } }', {
        i: { code, name, kind, region },
      });
      expect(res.errors).toBeUndefined();
      const ids: Record<string, string> = {};
      for (const [key, partnerName, sector] of [
        ['council', `${name} Council`, 'COUNCIL'],
        ['schools', `${name} Schools Linking`, 'SCHOOLS'],
        ['police', `${name} Police`, 'POLICE'],
      ]) {
        const p = await t.gql<{ registerPartner: { id: string } }>(
          'mutation($i: RegisterPartnerInput!) { registerPartner(input: $i) { id } }',
          { i: { areaCode: code, name: partnerName, sector } },
        );
        expect(p.errors).toBeUndefined();
        ids[key] = p.data!.registerPartner.id;
      }
      partners.set(code, ids);
    }
  });

  afterAll(async () => {
    await t?.close();
  });

  /** Runs one of the action mutations and returns the response. */
  const mutate = (name: string, input: Record<string, unknown>) =>
    t.gql<Record<string, Action>>(gql.mutation(name, MUTATION_INPUTS[name], ACTION_FIELDS), { input });

  /** Runs an action mutation that must succeed: the action it answers. */
  const ok = async (name: string, input: Record<string, unknown>) => gql.ok(await mutate(name, input))[name];

  function planInput(areaCode: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
    const p = partners.get(areaCode)!;
    return {
      areaCode,
      title: 'Schools Linking',
      description: 'Pupils meet young people of other backgrounds',
      themes: ['EDUCATION_AND_YOUNG_PEOPLE', 'PLACES_AND_COMMUNITY'],
      leadPartnerId: p.schools,
      partnerIds: [p.council],
      plannedStart: '2019-09-01',
      plannedEnd: '2020-07-31',
      milestones: [
        { title: 'First link visits', dueDate: '2019-11-30' },
        { title: 'Evaluation report', dueDate: '2020-07-31' },
      ],
      ...overrides,
    };
  }

  /** Expects a refusal with this code (and field), and that nothing was written: its message. */
  const refused = async (name: string, input: Record<string, unknown>, code: string, field?: string) =>
    (await gql.refused(t, gql.mutation(name, MUTATION_INPUTS[name], ACTION_FIELDS), input, code, field))
      .message;

  it('refuses a plan with no title, theme or lead partner naming all three at once, and writes nothing', async () => {
    const err = await gql.refused(
      t,
      gql.mutation('planAction', MUTATION_INPUTS.planAction, ACTION_FIELDS),
      planInput(BLACKBURN, { title: '  ', themes: [], leadPartnerId: '' }),
      'BAD_USER_INPUT',
    );
    const problems = err.extensions.problems as { field: string; message: string }[];
    expect(problems.map((p) => p.field).sort()).toEqual([
      'input.leadPartnerId',
      'input.themes',
      'input.title',
    ]);
    expect(problems.find((p) => p.field === 'input.title')?.message).toBe('title must not be blank');
  });

  it('plans, starts, reaches a milestone, revises and completes an action', async () => {
    const p = partners.get(BLACKBURN)!;
    const planned = await ok(
      'planAction',
      planInput(BLACKBURN, { title: '  Schools Linking  ', commandId: randomUUID() }),
    );
    expect(planned).toMatchObject({
      areaCode: BLACKBURN,
      title: 'Schools Linking',
      status: 'PLANNED',
      themes: ['EDUCATION_AND_YOUNG_PEOPLE', 'PLACES_AND_COMMUNITY'],
      leadPartnerId: p.schools,
      partnerIds: [p.council],
      plannedStart: '2019-09-01',
      plannedEnd: '2020-07-31',
      startedOn: null,
      revision: 0,
    });
    expect(planned.milestones.map((m) => [m.title, m.dueDate, m.reachedOn])).toEqual([
      ['First link visits', '2019-11-30', null],
      ['Evaluation report', '2020-07-31', null],
    ]);

    const started = await ok('startAction', { actionId: planned.id, on: '2019-09-02', expectedRevision: 0 });
    expect(started).toMatchObject({ status: 'IN_PROGRESS', startedOn: '2019-09-02', revision: 1 });

    const reached = await ok('reachMilestone', {
      actionId: planned.id,
      milestoneId: planned.milestones[0].id,
      on: '2019-11-28',
      note: '12 schools linked',
    });
    expect(reached.milestones[0]).toMatchObject({ reachedOn: '2019-11-28', note: '12 schools linked' });
    expect(reached.milestones[1].reachedOn).toBeNull();

    const revised = await ok('reviseAction', {
      actionId: planned.id,
      reason: 'Partnership board extended the programme',
      title: 'Schools Linking (phase 1)',
      themes: ['EDUCATION_AND_YOUNG_PEOPLE', 'ENGLISH_LANGUAGE'],
      partnerIds: [p.council, p.police],
      plannedEnd: '2020-12-31',
      addMilestones: [{ title: 'Celebration event', dueDate: '2020-12-01' }],
    });
    expect(revised).toMatchObject({
      title: 'Schools Linking (phase 1)',
      themes: ['EDUCATION_AND_YOUNG_PEOPLE', 'ENGLISH_LANGUAGE'],
      partnerIds: [p.council, p.police],
      plannedEnd: '2020-12-31',
      status: 'IN_PROGRESS',
      revision: 3,
    });
    expect(revised.milestones.map((m) => m.title)).toEqual([
      'First link visits',
      'Evaluation report',
      'Celebration event',
    ]);

    const completed = await ok('completeAction', {
      actionId: planned.id,
      on: '2020-12-15',
      summary: '600 pupils took part',
    });
    expect(completed).toMatchObject({
      status: 'COMPLETED',
      completedOn: '2020-12-15',
      summary: '600 pupils took part',
      revision: 4,
    });

    const one = await t.gql<{ action: Action }>(`query($id: ID!) { action(id: $id) { ${ACTION_FIELDS} } }`, {
      id: planned.id,
    });
    expect(one.data?.action).toEqual(completed);
    expect(await t.eventCount(`action-${planned.id}`)).toBe(5);

    const store = t.app.get(EventStore);
    expect(await loadActionSummary(store, planned.id)).toEqual({
      exists: true,
      areaCode: BLACKBURN,
      status: 'COMPLETED',
      title: 'Schools Linking (phase 1)',
      plannedStart: '2019-09-01',
      plannedEnd: '2020-12-31',
    });
    expect(await loadActionSummary(store, randomUUID())).toEqual({ exists: false });
  });

  it('pauses and resumes an action', async () => {
    const planned = await ok('planAction', planInput(BLACKBURN, { title: 'Community Conversations' }));
    await ok('startAction', { actionId: planned.id, on: '2019-09-10' });
    const paused = await ok('pauseAction', { actionId: planned.id, on: '2020-03-20', reason: 'Lockdown' });
    expect(paused).toMatchObject({ status: 'PAUSED', pausedOn: '2020-03-20', pausedReason: 'Lockdown' });
    const resumeTooEarly = await refused(
      'resumeAction',
      { actionId: planned.id, on: '2020-03-19' },
      'CONFLICT',
      'on',
    );
    expect(resumeTooEarly).toContain('2020-03-20');
    const resumed = await ok('resumeAction', { actionId: planned.id, on: '2020-06-01' });
    expect(resumed).toMatchObject({
      status: 'IN_PROGRESS',
      pausedOn: null,
      pausedReason: null,
      startedOn: '2019-09-10',
    });
    const message = await refused('resumeAction', { actionId: planned.id, on: '2020-06-02' }, 'CONFLICT');
    expect(message).toContain('IN_PROGRESS');
  });

  it('cancels an action, and then refuses to complete it', async () => {
    const planned = await ok('planAction', planInput(BLACKBURN, { title: 'Community Ambassadors' }));
    await ok('startAction', { actionId: planned.id, on: '2019-09-05' });
    const cancelled = await ok('cancelAction', {
      actionId: planned.id,
      on: '2019-12-01',
      reason: 'Lead partner withdrew',
    });
    expect(cancelled).toMatchObject({
      status: 'CANCELLED',
      cancelledOn: '2019-12-01',
      cancelledReason: 'Lead partner withdrew',
    });

    const message = await refused(
      'completeAction',
      { actionId: planned.id, on: '2019-12-02', summary: 'x' },
      'CONFLICT',
    );
    expect(message).toMatch(/CANCELLED/);
    expect(message).toMatch(/Lead partner withdrew/);
    expect(message).toMatch(/completing it/);
    await refused('reviseAction', { actionId: planned.id, reason: 'r', title: 'New' }, 'CONFLICT');
  });

  it('refuses to start before the planned start, until plannedStart is revised', async () => {
    const planned = await ok('planAction', planInput(BLACKBURN, { title: 'Welcome packs', milestones: [] }));
    const message = await refused(
      'startAction',
      { actionId: planned.id, on: '2019-08-15' },
      'CONFLICT',
      'on',
    );
    expect(message).toContain('revise plannedStart');
    await ok('reviseAction', { actionId: planned.id, reason: 'Ready early', plannedStart: '2019-08-01' });
    expect(await ok('startAction', { actionId: planned.id, on: '2019-08-15' })).toMatchObject({
      status: 'IN_PROGRESS',
    });
  });

  it('refuses an unknown theme, an unknown partner, a non-pilot area and dates in the future, writing nothing', async () => {
    const other = partners.get(BRADFORD)!;
    expect(
      await refused(
        'planAction',
        planInput(BLACKBURN, { themes: ['NOT_A_THEME'] }),
        'BAD_USER_INPUT',
        'themes',
      ),
    ).toContain('NOT_A_THEME');
    await refused('planAction', planInput(BLACKBURN, { themes: [] }), 'BAD_USER_INPUT', 'themes');
    // A partner of another area is not a partner of this one.
    await refused(
      'planAction',
      planInput(BLACKBURN, { leadPartnerId: other.schools }),
      'BAD_USER_INPUT',
      'leadPartnerId',
    );
    await refused(
      'planAction',
      planInput(BLACKBURN, { partnerIds: [randomUUID()] }),
      'BAD_USER_INPUT',
      'partnerIds.0',
    );
    await refused('planAction', planInput(KENT), 'BAD_USER_INPUT', 'areaCode');
    await refused(
      'planAction',
      planInput(BLACKBURN, { plannedEnd: '2019-08-01', milestones: [] }),
      'BAD_USER_INPUT',
      'plannedEnd',
    );
    await refused(
      'planAction',
      planInput(BLACKBURN, { milestones: [{ title: 'Bad', dueDate: '2019-02-30' }] }),
      'BAD_USER_INPUT',
      'milestones.0.dueDate',
    );
    await refused(
      'planAction',
      planInput(BLACKBURN, { plannedStart: '1st Sept' }),
      'BAD_USER_INPUT',
      'plannedStart',
    );
    await refused('planAction', planInput(BLACKBURN, { title: '   ' }), 'BAD_USER_INPUT', 'title');

    const planned = await ok('planAction', planInput(BLACKBURN, { title: 'English conversation clubs' }));
    await refused('startAction', { actionId: planned.id, on: '2999-01-01' }, 'BAD_USER_INPUT', 'on');
    // Leaving out the date means today (in England).
    expect(await ok('startAction', { actionId: planned.id })).toMatchObject({
      status: 'IN_PROGRESS',
      startedOn: todayInEngland(new Date()),
    });
    await refused('startAction', { actionId: 'not-a-uuid' }, 'BAD_USER_INPUT', 'actionId');
    await refused('startAction', { actionId: randomUUID() }, 'NOT_FOUND');
    await refused(
      'reviseAction',
      { actionId: planned.id, reason: 'r', themes: ['NOT_A_THEME'] },
      'BAD_USER_INPUT',
      'themes',
    );
    await refused(
      'reviseAction',
      { actionId: planned.id, reason: 'r', leadPartnerId: other.police },
      'BAD_USER_INPUT',
      'leadPartnerId',
    );
  });

  it('refuses a stale expectedRevision with CONFLICT, writing nothing', async () => {
    const planned = await ok('planAction', planInput(BLACKBURN, { title: 'Youth ambassadors' }));
    await ok('reviseAction', {
      actionId: planned.id,
      reason: 'Rename',
      title: 'Youth and Workforce Ambassadors',
      expectedRevision: 0,
    });
    const message = await refused(
      'startAction',
      { actionId: planned.id, on: '2019-09-01', expectedRevision: 0 },
      'CONFLICT',
    );
    expect(message).toContain('changed since you read it');
    expect(
      await ok('startAction', { actionId: planned.id, on: '2019-09-01', expectedRevision: 1 }),
    ).toMatchObject({ revision: 2 });
  });

  it('applies a repeated commandId once', async () => {
    const commandId = randomUUID();
    const input = planInput(BLACKBURN, { title: 'ESOL classes', commandId });
    const [a, b] = await Promise.all([ok('planAction', input), ok('planAction', input)]);
    const c = await ok('planAction', input);
    expect(b.id).toBe(a.id);
    expect(c.id).toBe(a.id);
    expect(await t.eventCount(`action-${a.id}`)).toBe(1);

    const start = { actionId: a.id, on: '2019-09-03', commandId: randomUUID() };
    await ok('startAction', start);
    expect(await ok('startAction', start)).toMatchObject({
      status: 'IN_PROGRESS',
      startedOn: '2019-09-03',
      revision: 1,
    });
    expect(await t.eventCount(`action-${a.id}`)).toBe(2);
    // A new commandId is a new command: starting twice is an illegal transition.
    await refused('startAction', { ...start, commandId: randomUUID() }, 'CONFLICT');
  });

  it('refuses a status change dated in a quarter whose return is locked', async () => {
    const store = t.app.get(EventStore);
    const submitted: ReturnEvent = {
      type: 'ReturnSubmitted',
      data: {
        areaCode: BRADFORD,
        quarter: '2019-20 Q3',
        note: 'Q3 return',
        snapshot: { spendPence: 0, measurements: 0, actionsByStatus: {} },
      },
    };
    await store.appendToStream(returnStream(BRADFORD), [
      { id: randomUUID(), ...submitted, metadata: { schemaVersion: 1 } },
    ]);
    const planned = await ok(
      'planAction',
      planInput(BRADFORD, { title: 'Bradford for Everyone conversations' }),
    );
    const message = await refused(
      'startAction',
      { actionId: planned.id, on: '2019-10-15' },
      'CONFLICT',
      'on',
    );
    expect(message).toContain('2019-20 Q3');
    // The quarter before is open.
    expect(await ok('startAction', { actionId: planned.id, on: '2019-09-30' })).toMatchObject({
      status: 'IN_PROGRESS',
    });
    await refused(
      'reachMilestone',
      { actionId: planned.id, milestoneId: planned.milestones[0].id, on: '2019-11-28' },
      'CONFLICT',
      'on',
    );
    await refused('pauseAction', { actionId: planned.id, on: '2019-12-31', reason: 'x' }, 'CONFLICT', 'on');
    expect(await ok('pauseAction', { actionId: planned.id, on: '2020-01-01', reason: 'x' })).toMatchObject({
      status: 'PAUSED',
    });
  });

  describe('lists', () => {
    const walsall: Action[] = [];
    const walthamForest: Action[] = [];

    beforeAll(async () => {
      // Walsall: five actions, two themes; Waltham Forest: three.
      for (let i = 0; i < 5; i++) {
        walsall.push(
          await ok(
            'planAction',
            planInput(WALSALL, {
              title: `Walsall for All ${i}`,
              plannedStart: `2019-0${i + 4}-01`,
              milestones: [],
              themes: i % 2 === 0 ? ['ENGLISH_LANGUAGE'] : ['ENGLISH_LANGUAGE', 'ECONOMIC_OPPORTUNITY'],
            }),
          ),
        );
      }
      for (let i = 0; i < 3; i++) {
        walthamForest.push(
          await ok(
            'planAction',
            planInput(WALTHAM_FOREST, {
              title: `Our Place ${i}`,
              plannedStart: `2019-0${i + 4}-15`,
              milestones: [],
              themes: ['ENGLISH_LANGUAGE'],
            }),
          ),
        );
      }
      await ok('startAction', { actionId: walsall[1].id, on: '2019-06-01' });
      await ok('startAction', { actionId: walsall[3].id, on: '2019-08-01' });
      await ok('cancelAction', {
        actionId: walsall[4].id,
        on: '2019-06-01',
        reason: 'Merged into another action',
      });
      await ok('startAction', { actionId: walthamForest[0].id, on: '2019-05-01' });
    });

    const LIST = `query($f: ActionFilter, $first: Int, $after: String) {
      actions(filter: $f, first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } nodes { id title plannedStart areaCode status }
      }
    }`;

    async function list(
      filter: Record<string, unknown>,
      first?: number,
      after?: string | null,
    ): Promise<Page> {
      const res = await t.gql<{ actions: Page }>(LIST, { f: filter, first, after });
      expect(res.errors).toBeUndefined();
      return res.data!.actions;
    }

    it('pages through one area in planned-start order', async () => {
      const first = await list({ areaCode: WALSALL }, 2);
      expect(first.totalCount).toBe(5);
      expect(first.nodes.map((n) => n.title)).toEqual(['Walsall for All 0', 'Walsall for All 1']);
      expect(first.pageInfo.hasNextPage).toBe(true);
      const second = await list({ areaCode: WALSALL }, 2, first.pageInfo.endCursor);
      expect(second.nodes.map((n) => n.title)).toEqual(['Walsall for All 2', 'Walsall for All 3']);
      const third = await list({ areaCode: WALSALL }, 2, second.pageInfo.endCursor);
      expect(third.nodes.map((n) => n.title)).toEqual(['Walsall for All 4']);
      expect(third.pageInfo.hasNextPage).toBe(false);
    });

    it('filters by status and theme, across areas', async () => {
      const started = await list({ areaCode: WALSALL, status: 'IN_PROGRESS' });
      expect(started.nodes.map((n) => n.title)).toEqual(['Walsall for All 1', 'Walsall for All 3']);
      expect(started.totalCount).toBe(2);
      const economic = await list({ areaCode: WALSALL, theme: 'ECONOMIC_OPPORTUNITY' });
      expect(economic.nodes.map((n) => n.title)).toEqual(['Walsall for All 1', 'Walsall for All 3']);
      const cancelled = await list({ areaCode: WALSALL, status: 'CANCELLED', theme: 'ENGLISH_LANGUAGE' });
      expect(cancelled.nodes.map((n) => n.title)).toEqual(['Walsall for All 4']);
      expect(cancelled.totalCount).toBe(1);

      const english = await list({ theme: 'ENGLISH_LANGUAGE' }, 100);
      const mine = english.nodes.filter((n) => n.areaCode === WALSALL || n.areaCode === WALTHAM_FOREST);
      expect(mine).toHaveLength(8);
      expect(english.totalCount).toBe(english.nodes.length);
      const planStarts = english.nodes.map((n) => n.plannedStart);
      expect([...planStarts].sort()).toEqual(planStarts);
      expect(await list({ areaCode: WALTHAM_FOREST, status: 'IN_PROGRESS' })).toMatchObject({
        totalCount: 1,
        nodes: [{ title: 'Our Place 0' }],
      });
    });

    it('answers an area with actions and counts by status and theme, one query per field for a list', async () => {
      const db = t.app.get(DataSource);
      const spy = jest.spyOn(db, 'query');
      let res;
      let sql: string[];
      try {
        res = await t.gql<{
          areas: {
            code: string;
            actions: Page;
            actionCounts: { status: string; theme: string; count: number }[];
          }[];
        }>(`{
          areas {
            code
            actions(first: 2, filter: { status: "PLANNED" }) { totalCount pageInfo { hasNextPage } nodes { title } }
            actionCounts { status theme count }
          }
        }`);
      } finally {
        sql = spy.mock.calls.map((c) => String(c[0]));
        spy.mockRestore();
      }
      expect(res.errors).toBeUndefined();
      expect(res.data!.areas.length).toBe(5);
      expect(sql.filter((q) => /FROM actions/.test(q))).toHaveLength(1);
      expect(sql.filter((q) => /FROM area_action_counts/.test(q))).toHaveLength(1);
      expect(sql.filter((q) => /JOIN area_action_counts/.test(q))).toHaveLength(1);
      const byCode = new Map(res.data!.areas.map((a) => [a.code, a]));
      expect(byCode.get(WALSALL)!.actions).toEqual({
        totalCount: 2,
        pageInfo: { hasNextPage: false },
        nodes: [{ title: 'Walsall for All 0' }, { title: 'Walsall for All 2' }],
      });
      expect(byCode.get(WALTHAM_FOREST)!.actions.nodes.map((n) => n.title)).toEqual([
        'Our Place 1',
        'Our Place 2',
      ]);
      expect(byCode.get(KENT)!.actions).toEqual({
        totalCount: 0,
        pageInfo: { hasNextPage: false },
        nodes: [],
      });
      expect(byCode.get(WALSALL)!.actionCounts).toEqual([
        { status: 'PLANNED', theme: 'ENGLISH_LANGUAGE', count: 2 },
        { status: 'IN_PROGRESS', theme: 'ECONOMIC_OPPORTUNITY', count: 2 },
        { status: 'IN_PROGRESS', theme: 'ENGLISH_LANGUAGE', count: 2 },
        { status: 'CANCELLED', theme: 'ENGLISH_LANGUAGE', count: 1 },
      ]);
      expect(byCode.get(WALTHAM_FOREST)!.actionCounts).toEqual([
        { status: 'PLANNED', theme: 'ENGLISH_LANGUAGE', count: 2 },
        { status: 'IN_PROGRESS', theme: 'ENGLISH_LANGUAGE', count: 1 },
      ]);
      expect(await actionStatusCounts(t.app.get(DataSource), WALSALL)).toEqual({
        PLANNED: 2,
        IN_PROGRESS: 2,
        PAUSED: 0,
        COMPLETED: 0,
        CANCELLED: 1,
      });
    });

    it('keeps the counts in step as themes and statuses change', async () => {
      await ok('reviseAction', {
        actionId: walthamForest[1].id,
        reason: 'Refocus',
        themes: ['ECONOMIC_OPPORTUNITY'],
      });
      await ok('startAction', { actionId: walthamForest[2].id, on: '2019-06-20' });
      const res = await t.gql<{ area: { actionCounts: { status: string; theme: string; count: number }[] } }>(
        `query($c: String!) { area(code: $c) { actionCounts { status theme count } } }`,
        { c: WALTHAM_FOREST },
      );
      expect(res.data!.area.actionCounts).toEqual([
        { status: 'PLANNED', theme: 'ECONOMIC_OPPORTUNITY', count: 1 },
        { status: 'IN_PROGRESS', theme: 'ENGLISH_LANGUAGE', count: 2 },
      ]);
      expect(await actionStatusCounts(t.app.get(DataSource), WALTHAM_FOREST)).toMatchObject({
        PLANNED: 1,
        IN_PROGRESS: 2,
      });
    });

    it('rebuilds the read models from the events to the same rows and counts', async () => {
      const before = await expectRebuildUnchanged(t, [ActionsProjection], async (db) => ({
        actions: await db.query(`SELECT * FROM actions ORDER BY id`),
        counts: await db.query(`SELECT * FROM area_action_counts ORDER BY area_code, status, theme`),
      }));
      expect(before.counts.length).toBeGreaterThan(0);
    });

    it.each([
      ['filter.areaCode', { areaCode: 'walsall' }],
      ['filter.status', { status: 'FINISHED' }],
      ['filter.theme', { theme: 'english language' }],
    ])('rejects a bad %s with BAD_USER_INPUT naming the field', async (field, filter) => {
      const res = await t.gql(LIST, { f: filter });
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(res.errors?.[0].message).toContain(field);
    });

    it('rejects a bad page size or cursor', async () => {
      expect((await t.gql(LIST, { f: {}, first: 0 })).errors?.[0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'first',
      });
      expect((await t.gql(LIST, { f: {}, after: 'nonsense' })).errors?.[0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'after',
      });
      const res = await t.gql('{ action(id: "nope") { id } }');
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
      expect((await t.gql(`{ action(id: "${randomUUID()}") { id } }`)).data).toEqual({ action: null });
    });
  });
});
