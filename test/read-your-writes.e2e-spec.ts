import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { type GraphQLResponse, type TestApp, startTestApp } from './support/test-app.js';
import { ok } from './support/graphql.js';

/**
 * A mutation whose events were appended never answers an error because its read model is slow: with every
 * projection held back (their checkpoint rows locked, as a long batch or a stalled log would), each mutation
 * answers what it wrote, folded from its events, and says in `extensions.readModels` that the read models are
 * behind. Once they catch up, the same command sent again (same commandId) answers from the read models: both
 * answers must be identical, field by field, for every field of the mutation's type (taken from the schema).
 */
const AREA = 'E06000008';
const YEAR = '2019-20';
const WAIT_MS = 300;

interface IntrospectedField {
  name: string;
  args: { type: { kind: string } }[];
  type: IntrospectedType;
}
interface IntrospectedType {
  kind: string;
  name: string | null;
  ofType: IntrospectedType | null;
}

describe('mutations answer what they wrote while the read models catch up', () => {
  let t: TestApp;
  let types: Map<string, IntrospectedField[]>;
  let mutations: Map<string, IntrospectedField>;
  let partnerId: string;
  let actionId: string;

  beforeAll(async () => {
    t = await startTestApp({ readYourWritesWaitMs: WAIT_MS });
    const res = await t.gql<{
      __schema: { types: { name: string; kind: string; fields: IntrospectedField[] | null }[] };
    }>(`{ __schema { types { name kind fields {
        name args { type { kind } }
        type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }`);
    types = new Map(res.data!.__schema.types.filter((x) => x.fields).map((x) => [x.name, x.fields!]));
    mutations = new Map(types.get('Mutation')!.map((f) => [f.name, f]));
    // What every test but the first builds on: the pilot, a partner and an action (each test runs alone).
    ok(
      await t.gql(mutationOf('registerArea'), {
        input: { code: AREA, name: 'Blackburn with Darwen', kind: 'PILOT', region: 'North West' },
      }),
    );
    const partner = ok(
      await t.gql<{ registerPartner: { id: string } }>(mutationOf('registerPartner'), {
        input: { areaCode: AREA, name: 'Blackburn with Darwen Borough Council', sector: 'COUNCIL' },
      }),
    );
    partnerId = partner.registerPartner.id;
    const planned = ok(
      await t.gql<{ planAction: { id: string } }>(mutationOf('planAction'), {
        input: {
          areaCode: AREA,
          title: 'Welcome pack for new arrivals',
          description: 'A pack in twelve languages',
          themes: ['EDUCATION_AND_YOUNG_PEOPLE'],
          leadPartnerId: partnerId,
          plannedStart: '2019-09-01',
          plannedEnd: '2020-07-31',
        },
      }),
    );
    actionId = planned.planAction.id;
  });
  afterAll(async () => {
    await t?.close();
  });

  function named(type: IntrospectedType): IntrospectedType {
    return type.ofType ? named(type.ofType) : type;
  }

  /** Every field of a type without required arguments, objects to `depth` levels. */
  function selection(typeName: string, depth: number): string {
    const fields = types.get(typeName)!.filter((f) => f.args.every((a) => a.type.kind !== 'NON_NULL'));
    return fields
      .map((f) => {
        const inner = named(f.type);
        if (inner.kind !== 'OBJECT') return f.name;
        return depth > 1 ? `${f.name} { ${selection(inner.name!, depth - 1)} }` : null;
      })
      .filter((s): s is string => s !== null)
      .join(' ');
  }

  /** The mutation with every field its type has (nested objects one level down). */
  function mutationOf(name: string): string {
    const field = mutations.get(name)!;
    const inputType = /Input$/.test(name) ? name : `${name[0].toUpperCase()}${name.slice(1)}Input`;
    return `mutation($input: ${inputType}!) { ${name}(input: $input) { ${selection(named(field.type).name!, 2)} } }`;
  }

  /** Sends a mutation while every projection is held back, then again once they caught up: both must agree. */
  async function whileHeldBack(
    name: string,
    input: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    const query = mutationOf(name);
    const withId = { commandId: randomUUID(), ...input };
    const hold = new pg.Client({ connectionString: t.db.url });
    await hold.connect();
    let behind: GraphQLResponse<Record<string, unknown>>;
    try {
      await hold.query('BEGIN');
      await hold.query('SELECT name FROM projection_checkpoints FOR UPDATE');
      const started = Date.now();
      behind = await t.gql<Record<string, unknown>>(query, { input: withId });
      expect(behind.errors).toBeUndefined();
      // It waited for the read models, then answered without them.
      expect(Date.now() - started).toBeGreaterThanOrEqual(WAIT_MS - 50);
    } finally {
      await hold.query('ROLLBACK');
      await hold.end();
    }
    expect(behind.errors).toBeUndefined();
    expect(behind.extensions?.readModels).toMatchObject({ caughtUp: false });
    expect((behind.extensions?.readModels as { projections: string[] }).projections.length).toBeGreaterThan(
      0,
    );

    // Caught up: the same command again answers its first result, now from the read models.
    let caughtUp = await t.gql<Record<string, unknown>>(query, { input: withId });
    for (let i = 0; i < 50 && caughtUp.extensions?.readModels; i++) {
      caughtUp = await t.gql<Record<string, unknown>>(query, { input: withId });
    }
    expect(caughtUp.errors).toBeUndefined();
    expect(caughtUp.extensions?.readModels).toBeUndefined();
    expect(behind.data).toEqual(caughtUp.data);
    return behind.data![name] as Record<string, unknown>;
  }

  it('areas and partners', async () => {
    const area = await whileHeldBack('registerArea', {
      code: 'E06000009',
      name: 'Blackpool',
      kind: 'PILOT',
      region: 'North West',
    });
    expect(area).toMatchObject({ code: 'E06000009', name: 'Blackpool', revision: 0 });
    const partner = await whileHeldBack('registerPartner', {
      areaCode: 'E06000009',
      name: 'Blackpool Council',
      sector: 'COUNCIL',
    });
    expect(partner).toMatchObject({ areaCode: 'E06000009', sector: 'COUNCIL' });
  });

  it('themes', async () => {
    const theme = await whileHeldBack('defineTheme', {
      code: 'SPORT_AND_LEISURE',
      name: 'Sport and leisure',
      kind: 'STRATEGY_THEME',
      description: 'Mixing through sport',
    });
    expect(theme).toMatchObject({ code: 'SPORT_AND_LEISURE', version: 1, retired: false });
    const revised = await whileHeldBack('reviseTheme', {
      code: 'SPORT_AND_LEISURE',
      name: 'Sport, arts and leisure',
      description: 'Mixing through sport and the arts',
    });
    expect(revised).toMatchObject({ name: 'Sport, arts and leisure', version: 2 });
  });

  it('actions through their lifecycle', async () => {
    const planned = await whileHeldBack('planAction', {
      areaCode: AREA,
      title: 'Schools Linking programme',
      description: 'Pairs classes from different schools',
      themes: ['EDUCATION_AND_YOUNG_PEOPLE'],
      leadPartnerId: partnerId,
      plannedStart: '2019-09-01',
      plannedEnd: '2020-07-31',
      milestones: [{ title: 'First link visits', dueDate: '2019-11-30' }],
    });
    const actionId = planned.id as string;
    const milestoneId = (planned.milestones as { id: string }[])[0].id;
    expect(planned).toMatchObject({ status: 'PLANNED', revision: 0 });
    expect(await whileHeldBack('startAction', { actionId, on: '2019-09-02' })).toMatchObject({
      status: 'IN_PROGRESS',
      startedOn: '2019-09-02',
    });
    const reached = await whileHeldBack('reachMilestone', { actionId, milestoneId, on: '2019-11-20' });
    expect(reached.milestones).toEqual([expect.objectContaining({ reachedOn: '2019-11-20' })]);
    expect(
      await whileHeldBack('reviseAction', { actionId, title: 'Schools Linking', reason: 'Shorter' }),
    ).toMatchObject({ title: 'Schools Linking' });
    expect(
      await whileHeldBack('pauseAction', { actionId, on: '2019-12-01', reason: 'Staff changes' }),
    ).toMatchObject({ status: 'PAUSED', pausedReason: 'Staff changes' });
    expect(await whileHeldBack('resumeAction', { actionId, on: '2020-01-06' })).toMatchObject({
      status: 'IN_PROGRESS',
      pausedOn: null,
    });
  });

  it('funding', async () => {
    const base = { areaCode: AREA, fundingStream: 'Integration Area Programme' };
    expect(
      await whileHeldBack('allocateGrant', { ...base, year: YEAR, amountPence: 38313300 }),
    ).toMatchObject({ allocatedPence: 38313300 });
    await whileHeldBack('allocateGrant', { ...base, year: '2020-21', amountPence: 10000000 });
    const reprofiled = ok(
      await t.gql<{ reprofileAllocation: unknown[] }>(mutationOf('reprofileAllocation'), {
        input: { ...base, fromYear: '2020-21', toYear: YEAR, amountPence: 1000000, reason: 'Earlier start' },
      }),
    );
    expect(reprofiled.reprofileAllocation).toHaveLength(2);
    expect(
      await whileHeldBack('reprofileAllocation', {
        ...base,
        fromYear: '2020-21',
        toYear: YEAR,
        amountPence: 500000,
        reason: 'Earlier still',
      }),
    ).toBeDefined();
    expect(
      await whileHeldBack('commitFunds', { areaCode: AREA, actionId, year: YEAR, amountPence: 30000000 }),
    ).toMatchObject({ committedPence: 30000000 });
    const spent = await whileHeldBack('reportSpend', {
      areaCode: AREA,
      actionId,
      quarter: '2019-20 Q3',
      amountPence: 4512550,
    });
    expect(spent).toMatchObject({ spentPence: 4512550 });
    expect(
      await whileHeldBack('correctSpend', {
        areaCode: AREA,
        actionId,
        quarter: '2019-20 Q3',
        amountPence: 4500000,
        reason: 'Invoice credited',
      }),
    ).toMatchObject({ spentPence: 4500000 });
    expect(
      await whileHeldBack('recordMatchFunding', {
        areaCode: AREA,
        partnerId,
        year: YEAR,
        kind: 'IN_KIND',
        amountPence: 250000,
        description: 'Meeting rooms',
      }),
    ).toMatchObject({ matchInKindPence: 250000 });
    await whileHeldBack('approveOverspend', {
      areaCode: AREA,
      year: YEAR,
      amountPence: 100000,
      reason: 'Demand',
    });
    await whileHeldBack('reduceAllocation', {
      ...base,
      year: '2020-21',
      amountPence: 100000,
      reason: 'Underspend',
    });
  });

  it('indicators, baselines, targets and measurements', async () => {
    const indicator = await whileHeldBack('defineIndicator', {
      code: 'MIXING_MONTHLY',
      name: 'Young people mixing monthly',
      unit: 'COUNT',
      direction: 'HIGHER_IS_BETTER',
      theme: 'EDUCATION_AND_YOUNG_PEOPLE',
      domain: 'SOCIAL_BRIDGES',
      definition: 'Pupils reporting monthly mixing (illustrative)',
      source: 'Pupil survey',
    });
    expect(indicator).toMatchObject({ code: 'MIXING_MONTHLY', version: 1 });
    const base = { areaCode: AREA, indicatorCode: 'MIXING_MONTHLY' };
    await whileHeldBack('setBaseline', { ...base, value: 40, date: '2019-07-31', source: 'Pupil survey' });
    await whileHeldBack('setTarget', { ...base, value: 60, date: '2021-07-31' });
    const first = await whileHeldBack('recordMeasurement', {
      ...base,
      periodLabel: '2019-20 Q2',
      periodStart: '2019-07-01',
      periodEnd: '2019-09-30',
      value: 42,
      source: 'Pupil survey',
    });
    await whileHeldBack('recordMeasurement', {
      ...base,
      periodLabel: '2019-20 Q3',
      periodStart: '2019-10-01',
      periodEnd: '2019-12-31',
      value: 45,
      sampleSize: 240,
      source: 'Pupil survey',
    });
    expect(
      await whileHeldBack('correctMeasurement', {
        areaCode: AREA,
        measurementId: first.id,
        value: 43,
        reason: 'Late returns',
      }),
    ).toMatchObject({ value: 43, originalValue: 42, corrections: 1 });
    // The area's standing after measurements: latest, previous, trend, progress and cumulative from the events.
    const standing = await whileHeldBack('setTarget', { ...base, value: 70, date: '2022-07-31' });
    expect(standing).toMatchObject({ measurementCount: 2, cumulative: 88, latest: { value: 45 } });
    await whileHeldBack('reviseIndicator', {
      code: 'MIXING_MONTHLY',
      name: 'Young people mixing at least monthly',
      theme: 'EDUCATION_AND_YOUNG_PEOPLE',
      domain: 'SOCIAL_BRIDGES',
      definition: 'Pupils reporting monthly mixing (illustrative)',
      source: 'Pupil survey',
    });
  });

  it('periodic returns', async () => {
    const submitted = await whileHeldBack('submitReturn', { areaCode: AREA, quarter: '2019-20 Q3' });
    expect(submitted).toMatchObject({ status: 'SUBMITTED', locked: true, submissions: 1 });
    await whileHeldBack('sendBackReturn', { areaCode: AREA, quarter: '2019-20 Q3', comments: 'Add a note' });
    await whileHeldBack('submitReturn', { areaCode: AREA, quarter: '2019-20 Q3', note: 'Added' });
    expect(await whileHeldBack('approveReturn', { areaCode: AREA, quarter: '2019-20 Q3' })).toMatchObject({
      status: 'APPROVED',
      submissions: 2,
    });
  });

  it('learning', async () => {
    const drafted = await whileHeldBack('draftLearning', {
      areaCode: AREA,
      type: 'CASE_STUDY',
      title: 'Schools mixed through linking',
      summary: 'Pupils from different backgrounds met.',
      body: '## What we did\n\nTwelve schools were linked.',
      themes: ['EDUCATION_AND_YOUNG_PEOPLE'],
      actionIds: [actionId],
      indicatorCodes: ['MIXING_MONTHLY'],
      evidenceLinks: [{ title: 'Evaluation', url: 'https://example.org/linking.pdf' }],
    });
    expect(drafted).toMatchObject({ status: 'DRAFT', revision: 0 });
    expect(await whileHeldBack('publishLearning', { id: drafted.id })).toMatchObject({ status: 'PUBLISHED' });
    await t.gql(mutationOf('registerArea'), {
      input: { code: 'E06000016', name: 'Leicester', kind: 'NON_PILOT', region: 'East Midlands' },
    });
    const adopted = await whileHeldBack('adoptLearning', {
      id: drafted.id,
      adoptingAreaCode: 'E06000016',
      note: 'Trying it in two schools',
    });
    expect(adopted).toMatchObject({ adoptionCount: 1 });
    expect(
      await whileHeldBack('retractLearning', { id: drafted.id, reason: 'Figures under review' }),
    ).toMatchObject({ status: 'RETRACTED' });
  });

  it('a mutation that caught up says nothing about read models', async () => {
    // The read models catch up within WAIT_MS (300 ms) when the machine is idle; on a busy one a try can miss it,
    // so up to five partners are registered, half a second apart: the first whose read models caught up in time
    // must carry no readModels extension (an extension on every try fails, as it should).
    let res: GraphQLResponse<unknown> | undefined;
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 500));
      res = await t.gql(mutationOf('registerPartner'), {
        input: { areaCode: AREA, name: `Lancashire Constabulary ${i + 1}`, sector: 'POLICE' },
      });
      expect(res.errors).toBeUndefined();
      if (!res.extensions?.readModels) break;
    }
    expect(res?.extensions?.readModels).toBeUndefined();
  });
});
