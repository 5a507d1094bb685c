import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type TestApp, startTestApp } from './support/test-app.js';

const REGISTER = `mutation($i: RegisterAreaInput!) { registerArea(input: $i) { code name kind region registeredAt } }`;
const PARTNER = `mutation($i: RegisterPartnerInput!) { registerPartner(input: $i) { id areaCode name } }`;
const PLAN = `mutation($i: PlanActionInput!) { planAction(input: $i) { id title themes revision } }`;
const DEFINE_THEME = `mutation($i: DefineThemeInput!) { defineTheme(input: $i) { code } }`;
const REUSED = 'this commandId was used for a different command';

describe('a commandId names one command across the whole store, end to end over GraphQL', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  const area = (code: string, name: string) => ({ code, name, kind: 'PILOT', region: 'North West' });

  it('refuses the same commandId for another record with CONFLICT, and writes nothing', async () => {
    const commandId = randomUUID();
    const first = await t.gql(REGISTER, { i: { ...area('E06000008', 'Blackburn with Darwen'), commandId } });
    expect(first.errors).toBeUndefined();
    const before = await t.eventCount();

    const other = await t.gql(REGISTER, { i: { ...area('E08000032', 'Bradford'), commandId } });
    expect(other.data).toBeNull();
    expect(other.errors?.[0]).toMatchObject({ message: REUSED, extensions: { code: 'CONFLICT' } });
    expect(await t.eventCount('area-E08000032')).toBe(0);
    expect(await t.eventCount()).toBe(before);
    const areas = await t.gql<{ areas: { code: string }[] }>('{ areas { code } }');
    expect(areas.data?.areas.map((a) => a.code)).toEqual(['E06000008']);
  });

  it('answers the same command again (same commandId, same input) with the first answer, writing nothing', async () => {
    const commandId = randomUUID();
    const input = { ...area('E08000026', 'Coventry'), commandId };
    const first = await t.gql(REGISTER, { i: input });
    expect(first.errors).toBeUndefined();
    const before = await t.eventCount();
    const again = await t.gql(REGISTER, { i: input });
    expect(again.errors).toBeUndefined();
    expect(again.data).toEqual(first.data);
    expect(await t.eventCount()).toBe(before);
  });

  it('refuses the same commandId with another input for the same record with CONFLICT, and writes nothing', async () => {
    const commandId = randomUUID();
    const first = await t.gql(REGISTER, { i: { ...area('E06000015', 'Derby'), commandId } });
    expect(first.errors).toBeUndefined();
    const before = await t.eventCount();
    const changed = await t.gql(REGISTER, { i: { ...area('E06000015', 'Derby City'), commandId } });
    expect(changed.errors?.[0]).toMatchObject({ message: REUSED, extensions: { code: 'CONFLICT' } });
    expect(await t.eventCount()).toBe(before);
    const one = await t.gql<{ area: { name: string } }>('{ area(code: "E06000015") { name } }');
    expect(one.data?.area.name).toBe('Derby');
  });

  it('refuses a commandId used by another kind of command (a partner where an area was registered)', async () => {
    const commandId = randomUUID();
    expect(
      (await t.gql(REGISTER, { i: { ...area('E06000016', 'Leicester'), commandId } })).errors,
    ).toBeUndefined();
    const partner = await t.gql(PARTNER, {
      i: { areaCode: 'E06000016', name: 'Leicester Council', sector: 'COUNCIL', commandId },
    });
    expect(partner.errors?.[0]).toMatchObject({ message: REUSED, extensions: { code: 'CONFLICT' } });
    expect(await t.eventCount('area-E06000016')).toBe(1);
  });

  it('recognises a retry by what the client sent, not by facts the handler loads (the theme catalogue changed since)', async () => {
    expect((await t.gql(REGISTER, { i: area('E08000030', 'Walsall') })).errors).toBeUndefined();
    const lead = await t.gql<{ registerPartner: { id: string } }>(PARTNER, {
      i: { areaCode: 'E08000030', name: 'Walsall Council', sector: 'COUNCIL' },
    });
    expect(lead.errors).toBeUndefined();
    const input = {
      areaCode: 'E08000030',
      title: 'Conversation clubs',
      description: 'Weekly English conversation clubs in libraries',
      themes: ['ENGLISH_LANGUAGE'],
      leadPartnerId: lead.data!.registerPartner.id,
      partnerIds: [],
      plannedStart: '2019-09-01',
      plannedEnd: '2020-07-31',
      milestones: [],
      commandId: randomUUID(),
    };
    const first = await t.gql<{ planAction: { id: string } }>(PLAN, { i: input });
    expect(first.errors).toBeUndefined();
    // The plan handler loads the theme catalogue into the command it decides; a new theme changes it.
    const theme = await t.gql(DEFINE_THEME, {
      i: { code: 'NEW_THEME_X', name: 'A new theme', kind: 'STRATEGY_THEME' },
    });
    expect(theme.errors).toBeUndefined();
    const again = await t.gql<{ planAction: { id: string } }>(PLAN, { i: input });
    expect(again.errors).toBeUndefined();
    expect(again.data).toEqual(first.data);
    expect(await t.eventCount(`action-${first.data!.planAction.id}`)).toBe(1);
  });
});
