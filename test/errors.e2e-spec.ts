import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { type TestApp, startTestApp } from './support/test-app.js';

/**
 * How the API refuses input (issue 13, points 5, 6, 11 and 16): every refusal of a value is BAD_USER_INPUT naming
 * it in `extensions.field` as its path from the field's arguments (`asOf`, `input.amountPence`); nothing is an
 * internal error; refusals are logged at info/warn with the request's correlation id, never at error.
 */

const A = 'E06000008';
const B = 'E08000032';

interface LogLine {
  level: string;
  msg?: string;
  correlationId?: string;
  code?: string;
  field?: string;
  context?: string;
  [key: string]: unknown;
}

describe('refusing input', () => {
  let t: TestApp;
  let db: pg.Client;
  const lines: string[] = [];
  const logs = (): LogLine[] => lines.map((l) => JSON.parse(l) as LogLine);
  let central: Record<string, string>;
  let pilotA: Record<string, string>;
  let actionId: string;
  let partnerId: string;

  beforeAll(async () => {
    t = await startTestApp({
      tokenless: 'anonymous',
      logDestination: { write: (s: string) => void lines.push(...s.split('\n').filter((l) => l !== '')) },
    });
    db = new pg.Client({ connectionString: t.db.url });
    await db.connect();
    central = t.as({ role: 'CENTRAL', subject: 'errors-central' });
    pilotA = t.as({ role: 'PILOT', area: A });
    const reg = 'mutation($i: RegisterAreaInput!) { registerArea(input: $i) { code } }';
    for (const [code, name, region] of [
      [A, 'Blackburn with Darwen', 'North West'],
      [B, 'Bradford', 'Yorkshire and The Humber'],
    ]) {
      const res = await t.gql(reg, { i: { code, name, kind: 'PILOT', region } }, central);
      expect(res.errors).toBeUndefined();
    }
    const partner = await t.gql<{ registerPartner: { id: string } }>(
      'mutation($i: RegisterPartnerInput!) { registerPartner(input: $i) { id } }',
      { i: { areaCode: A, name: 'The council', sector: 'COUNCIL' } },
      central,
    );
    const action = await t.gql<{ planAction: { id: string } }>(
      'mutation($i: PlanActionInput!) { planAction(input: $i) { id } }',
      {
        i: {
          areaCode: A,
          title: 'Schools linking',
          themes: ['EDUCATION_AND_YOUNG_PEOPLE'],
          leadPartnerId: partner.data!.registerPartner.id,
          plannedStart: '2019-04-01',
          plannedEnd: '2020-03-31',
        },
      },
      central,
    );
    expect(action.errors).toBeUndefined();
    partnerId = partner.data!.registerPartner.id;
    actionId = action.data!.planAction.id;
  }, 120_000);

  afterAll(async () => {
    await db?.end();
    await t?.close();
  });

  describe('5. a malformed asOf or cursor', () => {
    it.each([
      ['area', `{ area(code: "${A}", asOf: "not-a-date") { code } }`],
      ['comparePilots', '{ comparePilots(year: "2019-20", asOf: "yesterday") { areaName } }'],
      ['programmeSummary', '{ programmeSummary(year: "2019-20", asOf: "2019-02-30T00:00:00Z") { year } }'],
      ['history', `{ history(stream: "area-${A}", asOf: "x") { type } }`],
      [
        'learningItem',
        '{ learningItem(id: "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a", asOf: "2019-13-01") { id } }',
      ],
      [
        'actorActivity',
        '{ actorActivity(subject: "x", from: "soon", to: "2020-01-01T00:00:00Z") { totalCount } }',
      ],
    ])('%s: BAD_USER_INPUT naming the argument, as a literal and as a variable', async (name, query) => {
      const literal = await t.gql(query, {}, central);
      expect(literal.errors?.[0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: name === 'actorActivity' ? 'from' : 'asOf',
      });
      expect(literal.data).toBeNull();
      // the same value in a variable
      const arg = name === 'actorActivity' ? 'from' : 'asOf';
      const withVariable = query
        .replace(/^\{/, 'query($v: DateTime!) {')
        .replace(/(from|asOf): "[^"]*"/, `${arg}: $v`);
      const variable = await t.gql(withVariable, { v: 'not a date' }, central);
      expect(variable.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: arg });
    });

    it('accepts a well-formed asOf, with or without its time', async () => {
      for (const asOf of ['2030-01-01T00:00:00Z', '2030-01-01', '2030-01-01T01:00:00.5+01:00']) {
        const res = await t.gql(`{ history(stream: "area-${A}", asOf: "${asOf}") { type } }`, {}, central);
        expect(res.errors).toBeUndefined();
        expect((res.data as { history: unknown[] }).history.length).toBeGreaterThan(0);
      }
    });

    it('activity: a well-formed cursor of the wrong shape is BAD_USER_INPUT naming after', async () => {
      for (const values of [
        [1, 2, 3],
        ['1', '2'],
        ['x', 'y', 'z'],
        ['1', '2', 'not-a-uuid'],
      ]) {
        const after = Buffer.from(JSON.stringify(values)).toString('base64url');
        const res = await t.gql(
          'query($a: String) { activity(after: $a) { nodes { type } } }',
          { a: after },
          central,
        );
        expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
      }
    });
  });

  describe('6. every refusal of input names its field', () => {
    const REPORT = 'mutation($i: ReportSpendInput!) { reportSpend(input: $i) { __typename } }';
    const spend = (overrides: Record<string, unknown>) => ({
      areaCode: A,
      actionId,
      quarter: '2019-20 Q1',
      amountPence: 100,
      ...overrides,
    });

    it.each([[1.5], ['100'], [1e20]])(
      'amountPence %p: BAD_USER_INPUT naming input.amountPence',
      async (amount) => {
        const before = await t.eventCount();
        const res = await t.gql(REPORT, { i: spend({ amountPence: amount }) }, central);
        expect(res.errors?.[0].extensions).toMatchObject({
          code: 'BAD_USER_INPUT',
          field: 'input.amountPence',
        });
        // and as a literal in the document
        const literal = await t.gql(
          `mutation { reportSpend(input: { areaCode: "${A}", actionId: "${actionId}", quarter: "2019-20 Q1", amountPence: ${JSON.stringify(amount)} }) { __typename } }`,
          {},
          central,
        );
        expect(literal.errors?.[0].extensions).toMatchObject({
          code: 'BAD_USER_INPUT',
          field: 'input.amountPence',
        });
        expect(await t.eventCount()).toBe(before);
      },
    );

    it('a missing required field, nested in the input, is named by its path', async () => {
      const { actionId: _omitted, ...rest } = spend({});
      const res = await t.gql(REPORT, { i: rest }, central);
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.actionId' });
      const milestones = await t.gql(
        'mutation($i: PlanActionInput!) { planAction(input: $i) { id } }',
        {
          i: {
            areaCode: A,
            title: 'T',
            themes: ['EDUCATION_AND_YOUNG_PEOPLE'],
            leadPartnerId: partnerId,
            plannedStart: '2019-04-01',
            plannedEnd: '2020-03-31',
            milestones: [{ title: 'ok', dueDate: '2019-06-01' }, { title: 'no date' }],
          },
        },
        central,
      );
      expect(milestones.errors?.[0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'input.milestones.1.dueDate',
      });
    });

    it('text holding NUL: BAD_USER_INPUT naming the field, nothing written', async () => {
      const before = await t.eventCount();
      const res = await t.gql(REPORT, { i: spend({ note: 'a\u0000b' }) }, central);
      expect(res.status).toBe(200);
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.note' });
      expect(await t.eventCount()).toBe(before);
    });

    it('reportSpend with an actionId that is not an id: BAD_USER_INPUT, not CONFLICT', async () => {
      const res = await t.gql(REPORT, { i: spend({ actionId: 'not-a-uuid' }) }, central);
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.actionId' });
    });

    it("a pilot's malformed areaCode is BAD_USER_INPUT, another area's is still FORBIDDEN; neither writes", async () => {
      const before = await t.eventCount();
      const malformed = await t.gql(REPORT, { i: spend({ areaCode: 'e06000008' }) }, pilotA);
      expect(malformed.errors?.[0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'input.areaCode',
      });
      const other = await t.gql(REPORT, { i: spend({ areaCode: B }) }, pilotA);
      expect(other.errors?.[0].extensions.code).toBe('FORBIDDEN');
      // a malformed input that is also another area's says nothing of that area's records
      expect(JSON.stringify(malformed.errors)).not.toContain(B);
      expect(await t.eventCount()).toBe(before);
    });

    it('domain refusals name the field by its path too', async () => {
      const res = await t.gql(REPORT, { i: spend({}) }, central);
      // no funds committed to the action: a CONFLICT about input.actionId
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'input.actionId' });
    });
  });

  describe('16. CONFLICT revisions', () => {
    it('are numbers, as every revision field and the expectedRevision input are', async () => {
      const res = await t.gql(
        'mutation($i: RegisterPartnerInput!) { registerPartner(input: $i) { id } }',
        { i: { areaCode: A, name: 'Police', sector: 'POLICE', expectedRevision: 0 } },
        central,
      );
      expect(res.errors?.[0].extensions.code).toBe('CONFLICT');
      const { expectedRevision, actualRevision } = res.errors![0].extensions;
      expect(expectedRevision).toBe(0);
      expect(typeof actualRevision).toBe('number');
      expect(actualRevision as number).toBeGreaterThan(0);
    });
  });

  describe('11. logs', () => {
    it('every line is JSON, Nest’s own included', () => {
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
      expect(logs().some((l) => l.context === 'NestApplication')).toBe(true);
    });

    it('refusals: info (warn for FORBIDDEN/UNAUTHENTICATED) with correlation id and code; never error', async () => {
      const send = async (correlationId: string, query: string, variables: object, headers: object) => {
        const res = await fetch(`${t.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-correlation-id': correlationId, ...headers },
          body: JSON.stringify({ query, variables }),
        });
        await res.text();
      };
      const REPORT = 'mutation($i: ReportSpendInput!) { reportSpend(input: $i) { __typename } }';
      const i = { areaCode: A, actionId, quarter: '2019-20 Q1', amountPence: 100 };
      const from = lines.length;
      await send('refusal-forbidden', REPORT, { i: { ...i, areaCode: B } }, pilotA);
      await send('refusal-input', REPORT, { i: { ...i, quarter: '2019-20 Q7' } }, central);
      await send('refusal-conflict', REPORT, { i }, central);
      await send('refusal-signin', `{ area(code: "${A}") { code } }`, {}, {});
      await send('refusal-variable', REPORT, { i: { ...i, amountPence: 1.5 } }, central);
      await new Promise((r) => setTimeout(r, 100));
      const mine = logs().slice(from);
      const of = (id: string) => mine.filter((l) => l.correlationId === id && l.code);
      expect(of('refusal-forbidden')).toEqual([
        expect.objectContaining({ level: 'warn', code: 'FORBIDDEN' }),
      ]);
      expect(of('refusal-input')).toEqual([
        expect.objectContaining({ level: 'info', code: 'BAD_USER_INPUT', field: 'input.quarter' }),
      ]);
      expect(of('refusal-conflict')).toEqual([
        expect.objectContaining({ level: 'info', code: 'CONFLICT', field: 'input.actionId' }),
      ]);
      expect(of('refusal-signin')).toEqual([
        expect.objectContaining({ level: 'warn', code: 'UNAUTHENTICATED' }),
      ]);
      expect(of('refusal-variable')).toEqual([
        expect.objectContaining({ level: 'info', code: 'BAD_USER_INPUT', field: 'input.amountPence' }),
      ]);
      expect(mine.filter((l) => l.level === 'error')).toEqual([]);
    });
  });
});
