/** What bench:load sends: the reads and the pilots' writes, each with its share of the rate. */
import { randomUUID } from 'node:crypto';
import { issueToken } from '@iap/auth';
import { DEMO_PEOPLE, type DemoPerson } from '../../src/demo/public-api.js';
import { DASHBOARD } from '../../apps/web/src/area/area.routes.js';
import { areaArgs } from '../../apps/web/src/area/area-page.js';
import { COMPARE } from '../../apps/web/src/central/programme.routes.js';
import { DEFAULT_INDICATORS } from '../../apps/web/src/central/programme.view.js';

export interface GraphQLBody {
  readonly query: string;
  readonly variables?: Record<string, unknown>;
}

export interface Operation {
  readonly name: string;
  readonly kind: 'read' | 'write';
  /** Share of the total rate. */
  readonly share: number;
  /** The bearer tokens it is sent with, in turn. */
  readonly tokens: readonly string[];
  /** The n-th request's body (writes: a fresh commandId, title or amount each time). */
  body(n: number): GraphQLBody;
}

const LIBRARY = `query Library($first: Int) {
  learningLibrary(first: $first) { totalCount nodes { id type title summary areaCode areaName publishedOn themes } }
}`;
export const PLAN_ACTION = `mutation Plan($i: PlanActionInput!) { planAction(input: $i) { id status } }`;
const REPORT_SPEND = `mutation Spend($i: ReportSpendInput!) { reportSpend(input: $i) { year spentPence } }`;
const CORRECT_SPEND = `mutation Correct($i: CorrectSpendInput!) { correctSpend(input: $i) { year spentPence } }`;
const RECORD_MEASUREMENT = `mutation Measure($i: RecordMeasurementInput!) { recordMeasurement(input: $i) { indicatorCode } }`;

export function tokenFor(secret: string, person: DemoPerson): string {
  return issueToken(
    secret,
    {
      sub: person.subject,
      role: person.role,
      name: person.name,
      ...(person.area ? { area: person.area } : {}),
    },
    { expiresInSeconds: 24 * 3600 },
  );
}

/** What a pilot's writes need: a partner, a theme, an action with funds committed, indicators to measure. */
export interface PilotFacts {
  readonly person: DemoPerson;
  readonly token: string;
  readonly partnerId: string;
  readonly theme: string;
  /** This quarter's spend on an action the bench planned and funded (see bench/load/main.ts's openSpend). */
  readonly spend: { actionId: string; quarter: string };
  /** An indicator and a first period recordMeasurement accepts (found by trying), or null. */
  readonly measurement: { indicatorCodes: readonly string[]; year: number } | null;
}

export const PILOTS = DEMO_PEOPLE.filter((p) => p.role === 'PILOT');
export const CENTRAL = DEMO_PEOPLE.find((p) => p.role === 'CENTRAL')!;

/** The workload: reads of the comparison, the pilots' dashboards and the library; the pilots' writes. */
export function workload(secret: string, pilots: readonly PilotFacts[]): Operation[] {
  const central = tokenFor(secret, CENTRAL);
  const council = tokenFor(
    secret,
    DEMO_PEOPLE.find((p) => p.role === 'COUNCIL')!,
  );
  const pilot = (n: number) => pilots[n % pilots.length];
  const ops: Operation[] = [
    {
      name: 'comparePilots',
      kind: 'read',
      share: 0.25,
      tokens: [central],
      body: () => ({
        query: COMPARE,
        variables: { year: '2019-20', asOf: null, indicators: [...DEFAULT_INDICATORS] },
      }),
    },
    {
      name: 'area dashboard',
      kind: 'read',
      share: 0.3,
      tokens: pilots.map((p) => p.token),
      body: (n) => {
        const code = pilot(n).person.area!;
        return {
          query: DASHBOARD,
          variables: { code, filter: { status: null, theme: null }, after: null, may: areaArgs(code) },
        };
      },
    },
    {
      name: 'learningLibrary',
      kind: 'read',
      share: 0.25,
      tokens: [council],
      body: () => ({ query: LIBRARY, variables: { first: 5 } }),
    },
    {
      name: 'planAction',
      kind: 'write',
      share: 0.08,
      tokens: pilots.map((p) => p.token),
      body: (n) => {
        const p = pilot(n);
        return {
          query: PLAN_ACTION,
          variables: {
            i: {
              commandId: randomUUID(),
              areaCode: p.person.area,
              title: `Load test action ${n}`,
              themes: [p.theme],
              leadPartnerId: p.partnerId,
              plannedStart: '2026-04-01',
              plannedEnd: '2027-03-31',
            },
          },
        };
      },
    },
  ];
  ops.push({
    // A quarter's spend on an action is reported once (the setup did), then corrected: a new figure each time.
    name: 'correctSpend',
    kind: 'write',
    share: 0.07,
    tokens: pilots.map((p) => p.token),
    body: (n) => {
      const p = pilots[n % pilots.length];
      return {
        query: CORRECT_SPEND,
        variables: {
          i: {
            commandId: randomUUID(),
            areaCode: p.person.area,
            ...p.spend,
            amountPence: 100 + n,
            reason: 'Load test: the invoice came in',
          },
        },
      };
    },
  });
  const measurers = pilots.filter((p) => p.measurement);
  if (measurers.length > 0)
    ops.push({
      name: 'recordMeasurement',
      kind: 'write',
      share: 0.05,
      tokens: measurers.map((p) => p.token),
      // The probe recorded each pilot's k = 0.
      body: (n) => measurementBody(measurers[n % measurers.length], 1 + Math.floor(n / measurers.length)),
    });
  return ops;
}

/** The k-th measurement of a pilot: one day after another (a period measured twice would be refused). */
export function measurementBody(p: PilotFacts, k: number): GraphQLBody {
  const m = p.measurement!;
  const indicatorCode = m.indicatorCodes[k % m.indicatorCodes.length];
  const offset = Math.floor(k / m.indicatorCodes.length) * 86_400_000;
  const day = new Date(Date.UTC(m.year, 3, 1) + offset).toISOString().slice(0, 10);
  return {
    query: RECORD_MEASUREMENT,
    variables: {
      i: {
        commandId: randomUUID(),
        areaCode: p.person.area,
        indicatorCode,
        periodLabel: `Load test ${day}`,
        periodStart: day,
        periodEnd: day,
        value: 1 + (k % 50),
        source: 'Load test',
      },
    },
  };
}

export const FACTS_QUERY = `query Facts($code: String!) {
  area(code: $code) {
    partners { id }
    indicators { indicatorCode }
  }
  themes { code }
}`;

export { REPORT_SPEND };
