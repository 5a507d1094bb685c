import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type TestApp, startTestApp } from './support/test-app.js';

const REGISTER = `mutation Register($input: RegisterAreaInput!) {
  registerArea(input: $input) { code name kind region registeredAt }
}`;

describe('areas, end to end over GraphQL', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('registers an area and answers it from the read model', async () => {
    const input = { code: 'E06000008', name: 'Blackburn with Darwen', kind: 'PILOT', region: 'North West' };
    const res = await t.gql(REGISTER, { input });
    expect(res.errors).toBeUndefined();
    expect(res.data).toMatchObject({ registerArea: input });

    const list = await t.gql<{ areas: { code: string; kind: string }[] }>(
      '{ areas { code name kind region } }',
    );
    expect(list.data?.areas).toEqual([input]);
    const one = await t.gql('query($c: String!) { area(code: $c) { code name registeredAt } }', {
      c: 'E06000008',
    });
    expect(one.data).toMatchObject({ area: { code: 'E06000008', name: 'Blackburn with Darwen' } });
    expect(await t.eventCount('area-E06000008')).toBe(1);
  });

  it('answers an unknown area with null', async () => {
    const res = await t.gql('{ area(code: "E09000031") { code } }');
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ area: null });
  });

  it('rejects re-registering a code with CONFLICT and writes nothing', async () => {
    const before = await t.eventCount();
    const res = await t.gql(REGISTER, {
      input: { code: 'E06000008', name: 'Another name', kind: 'NON_PILOT', region: 'North West' },
    });
    expect(res.errors?.[0].extensions.code).toBe('CONFLICT');
    expect(res.errors?.[0].message).toContain('E06000008');
    expect(await t.eventCount()).toBe(before);
  });

  it('lets exactly one of many racing registrations of one code win', async () => {
    const input = { code: 'E08000032', name: 'Bradford', kind: 'PILOT', region: 'Yorkshire and The Humber' };
    const results = await Promise.all(Array.from({ length: 12 }, () => t.gql(REGISTER, { input })));
    const ok = results.filter((r) => !r.errors);
    const conflicts = results.filter((r) => r.errors?.[0].extensions.code === 'CONFLICT');
    expect(ok).toHaveLength(1);
    expect(conflicts).toHaveLength(11);
    expect(await t.eventCount('area-E08000032')).toBe(1);
    const list = await t.gql<{ areas: { code: string }[] }>('{ areas { code } }');
    expect(list.data?.areas.filter((a) => a.code === 'E08000032')).toHaveLength(1);
  });

  it.each([
    ['code', { code: 'E6000008', name: 'X', kind: 'PILOT', region: 'London' }],
    ['code', { code: 'X09000031', name: 'X', kind: 'PILOT', region: 'London' }],
    ['name', { code: 'E09000030', name: '', kind: 'PILOT', region: 'London' }],
    ['region', { code: 'E09000030', name: 'Tower Hamlets', kind: 'PILOT', region: 'Atlantis' }],
  ])('rejects a malformed %s with BAD_USER_INPUT naming the field, writing nothing', async (field, input) => {
    const before = await t.eventCount();
    const res = await t.gql(REGISTER, { input });
    expect(res.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].extensions.field).toBe(`input.${field}`); // the path from the arguments
    expect(res.errors?.[0].message).toContain(field);
    expect(await t.eventCount()).toBe(before);
  });

  it('rejects an unknown kind as BAD_USER_INPUT', async () => {
    const res = await t.gql(REGISTER, {
      input: { code: 'E09000030', name: 'X', kind: 'MAYBE', region: 'London' },
    });
    expect(res.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].message).toContain('kind');
  });

  it('rejects a malformed code in the area query as BAD_USER_INPUT', async () => {
    const res = await t.gql('{ area(code: "nonsense") { code } }');
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'code' });
  });

  it('never shows stack traces or SQL to clients', async () => {
    const res = await t.gql('{ nope }');
    expect(res.errors?.[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(JSON.stringify(res)).not.toMatch(/at .*\.(js|ts):\d+|SELECT|INSERT/);
  });

  it('registers partners, shown nested under the area, and records who did what in the activity feed', async () => {
    const res = await t.gql(
      `mutation($i: RegisterPartnerInput!) { registerPartner(input: $i) { id areaCode name sector } }`,
      { i: { areaCode: 'E06000008', name: 'Lancashire Constabulary', sector: 'POLICE' } },
      { 'x-correlation-id': 'req-partner-1' },
    );
    expect(res.errors).toBeUndefined();
    const unknownArea = await t.gql(
      `mutation($i: RegisterPartnerInput!) { registerPartner(input: $i) { id } }`,
      {
        i: { areaCode: 'E09000031', name: 'Somebody', sector: 'FAITH' },
      },
    );
    expect(unknownArea.errors?.[0].extensions.code).toBe('NOT_FOUND');

    const areas = await t.gql<{ areas: { code: string; partners: { name: string; sector: string }[] }[] }>(
      '{ areas { code partners { name sector } } }',
    );
    expect(areas.data?.areas.find((a) => a.code === 'E06000008')?.partners).toEqual([
      { name: 'Lancashire Constabulary', sector: 'POLICE' },
    ]);

    // The mutation waited for the areas read model it answers from; the activity feed follows on its own.
    expect(await t.settle()).toBe(true);
    const feed = await t.gql<{
      activity: {
        nodes: {
          type: string;
          areaCode: string;
          summary: string;
          correlationId: string;
          actorSubject: string;
        }[];
      };
    }>(
      '{ activity(first: 50) { nodes { type areaCode summary correlationId actorSubject } pageInfo { hasNextPage } } }',
    );
    const latest = feed.data!.activity.nodes[0];
    expect(latest).toMatchObject({
      type: 'PartnerRegistered',
      areaCode: 'E06000008',
      correlationId: 'req-partner-1',
      summary: 'Partner registered “Lancashire Constabulary”, Blackburn with Darwen',
    });
    const page1 = await t.gql<{
      activity: { nodes: { type: string }[]; pageInfo: { endCursor: string; hasNextPage: boolean } };
    }>('{ activity(first: 1, areaCode: "E06000008") { nodes { type } pageInfo { endCursor hasNextPage } } }');
    expect(page1.data!.activity.pageInfo.hasNextPage).toBe(true);
    const page2 = await t.gql<{ activity: { nodes: { type: string }[] } }>(
      'query($a: String) { activity(first: 10, areaCode: "E06000008", after: $a) { nodes { type } } }',
      { a: page1.data!.activity.pageInfo.endCursor },
    );
    expect(page2.data!.activity.nodes.map((n) => n.type)).toEqual(['AreaRegistered']);
  });

  it('lists the history of any aggregate with actor, time and what changed', async () => {
    const res = await t.gql<{
      history: { type: string; revision: number; actorSubject: string; data: Record<string, unknown> }[];
    }>('{ history(stream: "area-E06000008") { type revision actorSubject recordedAt data } }');
    expect(res.errors).toBeUndefined();
    expect(res.data!.history.map((h) => [h.type, h.revision])).toEqual([
      ['AreaRegistered', 0],
      ['PartnerRegistered', 1],
    ]);
    expect(res.data!.history[0].data).toMatchObject({ code: 'E06000008', kind: 'PILOT' });
    expect(res.data!.history[1].actorSubject).toBe('anonymous');
    const past = await t.gql<{ history: unknown[] }>(
      '{ history(stream: "area-E06000008", asOf: "2000-01-01T00:00:00Z") { type } }',
    );
    expect(past.data!.history).toEqual([]);
    const missing = await t.gql('{ history(stream: "area-E09000001") { type } }');
    expect(missing.errors?.[0].extensions.code).toBe('NOT_FOUND');
    const bad = await t.gql('{ history(stream: "DROP TABLE") { type } }');
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'stream' });
  });
});
