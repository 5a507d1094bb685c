import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { todayInEngland } from '../src/shared/periods.js';
import { OutcomesProjection } from '../src/outcomes/projections/outcomes.projection.js';
import { ReturnsProjection } from '../src/outcomes/projections/returns.projection.js';
import { type TestApp, startTestApp } from './support/test-app.js';
import { expectRebuildUnchanged } from './support/rebuild.js';
import { step } from './support/steps.js';
import { ok, refused as refuse } from './support/graphql.js';
import { ESOL_ENROLMENTS, GET_ON_WELL } from '../src/outcomes/domain/testing/indicators.js';

const AREA = 'E06000031'; // Peterborough
const NON_PILOT = 'E07000012';

const INDICATOR_FIELDS =
  'code name unit direction theme domain integrationFactor definition source retired version revision';
const AREA_INDICATOR_FIELDS = `areaCode indicatorCode revision measurementCount cumulative progress
  baseline { value date source } targets { date value } nextTarget { date value }
  latest { value periodLabel periodStart periodEnd } previous { value periodLabel periodStart periodEnd }
  trend { movement assessment change } indicator { code unit direction }`;
const MEASUREMENT_FIELDS = `id areaCode indicatorCode periodLabel periodStart periodEnd value originalValue sampleSize denominator
  source evidenceUrl note corrections correctionReason revision indicator { code name }`;
const RETURN_FIELDS = `areaCode quarter startDate endDate status locked note submissions comments revision
  snapshot { spend measurements actionsByStatus { status count } }`;

const DEFINE = `mutation($input: DefineIndicatorInput!) { defineIndicator(input: $input) { ${INDICATOR_FIELDS} } }`;
const SET_BASELINE = `mutation($input: SetBaselineInput!) { setBaseline(input: $input) { ${AREA_INDICATOR_FIELDS} } }`;
const SET_TARGET = `mutation($input: SetTargetInput!) { setTarget(input: $input) { ${AREA_INDICATOR_FIELDS} } }`;
const RECORD = `mutation($input: RecordMeasurementInput!) { recordMeasurement(input: $input) { ${MEASUREMENT_FIELDS} } }`;
const CORRECT = `mutation($input: CorrectMeasurementInput!) { correctMeasurement(input: $input) { ${MEASUREMENT_FIELDS} } }`;
const SUBMIT = `mutation($input: SubmitReturnInput!) { submitReturn(input: $input) { ${RETURN_FIELDS} } }`;
const APPROVE = `mutation($input: ApproveReturnInput!) { approveReturn(input: $input) { ${RETURN_FIELDS} } }`;
const SEND_BACK = `mutation($input: SendBackReturnInput!) { sendBackReturn(input: $input) { ${RETURN_FIELDS} } }`;
const AREA_OUTCOMES = `query($code: String!, $year: String) {
  area(code: $code) { code indicators { ${AREA_INDICATOR_FIELDS} } returns(year: $year) { ${RETURN_FIELDS} } }
}`;
const MEASUREMENTS = `query($filter: MeasurementFilter, $first: Int, $after: String) {
  measurements(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } nodes { id areaCode indicatorCode periodStart periodEnd value }
  }
}`;

interface AreaIndicator {
  indicatorCode: string;
  revision: number;
  measurementCount: number;
  cumulative: number | null;
  progress: number | null;
  baseline: { value: number; date: string } | null;
  targets: { date: string; value: number }[];
  nextTarget: { date: string; value: number } | null;
  latest: { value: number; periodLabel: string; periodEnd: string } | null;
  previous: { value: number; periodLabel: string; periodEnd: string } | null;
  trend: { movement: string; assessment: string; change: number } | null;
}
interface Measurement {
  id: string;
  value: number;
  originalValue: number;
  corrections: number;
  revision: number;
  [k: string]: unknown;
}
interface PeriodicReturn {
  quarter: string;
  status: string;
  locked: boolean;
  submissions: number;
  comments: string | null;
  revision: number | null;
  snapshot: {
    spend: number;
    measurements: number;
    actionsByStatus: { status: string; count: number }[];
  } | null;
}

function quarterly(
  indicatorCode: string,
  label: string,
  start: string,
  end: string,
  value: number,
  extra = {},
) {
  return {
    areaCode: AREA,
    indicatorCode,
    periodLabel: label,
    periodStart: start,
    periodEnd: end,
    value,
    source: 'Programme records',
    ...extra,
  };
}

describe('outcomes and periodic returns, end to end over GraphQL', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
    const register = `mutation($input: RegisterAreaInput!) { registerArea(input: $input) { code } }`;
    for (const input of [
      { code: AREA, name: 'Peterborough', kind: 'PILOT', region: 'East of England' },
      { code: NON_PILOT, name: 'Cambridge', kind: 'NON_PILOT', region: 'East of England' },
    ]) {
      const res = await t.gql(register, { input });
      expect(res.errors).toBeUndefined();
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  async function areaIndicators(): Promise<Record<string, AreaIndicator>> {
    const data = ok(await t.gql<{ area: { indicators: AreaIndicator[] } }>(AREA_OUTCOMES, { code: AREA }));
    return Object.fromEntries(data.area.indicators.map((i) => [i.indicatorCode, i]));
  }

  async function returnsOf(year?: string): Promise<PeriodicReturn[]> {
    const data = ok(
      await t.gql<{ area: { returns: PeriodicReturn[] } }>(AREA_OUTCOMES, { code: AREA, year }),
    );
    return data.area.returns;
  }

  async function record(input: Record<string, unknown>): Promise<Measurement> {
    return ok(await t.gql<{ recordMeasurement: Measurement }>(RECORD, { input })).recordMeasurement;
  }

  /** The call fails with `code` (and `field`), and writes no event. */
  const refused = (query: string, input: Record<string, unknown>, code: string, field?: string) =>
    refuse(t, query, input, code, field);

  // The indicators' and the quarter's story in steps: each runs once, after the step it awaits, for whichever test
  // first needs it, so any test runs alone (`-t`) on the state it had in order.
  const defined = step(async () => {
    const esol = ok(
      await t.gql<{ defineIndicator: Record<string, unknown> }>(DEFINE, {
        input: ESOL_ENROLMENTS,
      }),
    ).defineIndicator;
    expect(esol).toMatchObject({
      code: 'ESOL_ENROLMENTS',
      unit: 'COUNT',
      integrationFactor: 'SOCIAL_MOBILITY',
      version: 1,
    });
    ok(
      await t.gql(DEFINE, {
        input: GET_ON_WELL,
      }),
    );
    ok(
      await t.gql(DEFINE, {
        input: {
          code: 'HATE_CRIMES',
          name: 'Hate crimes recorded per 1,000 residents',
          unit: 'RATE_PER_1000',
          direction: 'LOWER_IS_BETTER',
          theme: 'RIGHTS_AND_FREEDOMS',
          domain: 'SAFETY',
          definition: 'Police-recorded hate crimes per 1,000 residents in the period',
          source: 'Police recorded crime',
        },
      }),
    );

    const byTheme = ok(
      await t.gql<{ indicatorCatalogue: { code: string }[] }>(
        '{ indicatorCatalogue(theme: "ENGLISH_LANGUAGE") { code } }',
      ),
    );
    expect(byTheme.indicatorCatalogue).toEqual([{ code: 'ESOL_ENROLMENTS' }]);
    const byDomain = ok(
      await t.gql<{ indicatorCatalogue: { code: string }[] }>(
        '{ indicatorCatalogue(domain: SAFETY) { code } }',
      ),
    );
    expect(byDomain.indicatorCatalogue).toEqual([{ code: 'HATE_CRIMES' }]);
    const all = ok(
      await t.gql<{ indicatorCatalogue: { code: string; revision: number }[] }>(
        '{ indicatorCatalogue { code revision } }',
      ),
    );
    expect(all.indicatorCatalogue.map((i) => i.code)).toEqual([
      'ESOL_ENROLMENTS',
      'GET_ON_WELL',
      'HATE_CRIMES',
    ]);
    expect(new Set(all.indicatorCatalogue.map((i) => i.revision))).toEqual(new Set([2]));
  });
  it('defines indicators against the theme catalogue and lists them by theme and domain', () => defined());

  it('refuses an indicator whose theme is not in the theme catalogue, or a second definition', async () => {
    await defined();
    const input = {
      code: 'VOLUNTEERING',
      name: 'Volunteering rate',
      unit: 'PERCENTAGE',
      direction: 'HIGHER_IS_BETTER',
      theme: 'NOT_A_THEME',
      domain: 'SOCIAL_LINKS',
      definition: 'Adults who volunteered at least once in the last year',
      source: 'Residents survey',
    };
    await refused(DEFINE, input, 'BAD_USER_INPUT', 'theme');
    await refused(DEFINE, { ...input, theme: 'COMMON_GROUND' }, 'BAD_USER_INPUT', 'theme');
    await refused(
      DEFINE,
      { ...input, theme: 'PLACES_AND_COMMUNITY', integrationFactor: 'LEADERSHIP' },
      'BAD_USER_INPUT',
      'integrationFactor',
    );
    await refused(
      DEFINE,
      { ...input, theme: 'PLACES_AND_COMMUNITY', code: 'GET_ON_WELL' },
      'CONFLICT',
      'code',
    );
    await refused(
      DEFINE,
      { ...input, theme: 'PLACES_AND_COMMUNITY', code: 'volunteering' },
      'BAD_USER_INPUT',
      'code',
    );
    const res = await t.gql(DEFINE, { input: { ...input, theme: 'PLACES_AND_COMMUNITY', unit: 'PERCENT' } });
    expect(res.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  const indicatorRevised = step(async () => {
    await defined();
    const revise = `mutation($input: ReviseIndicatorInput!) { reviseIndicator(input: $input) { ${INDICATOR_FIELDS} } }`;
    const input = {
      code: 'HATE_CRIMES',
      name: 'Hate crimes recorded per 1,000 residents',
      theme: 'RIGHTS_AND_FREEDOMS',
      domain: 'SAFETY',
      integrationFactor: 'TACKLING_INTOLERANCE_AND_EXTREMISM',
      definition: 'Police-recorded hate crimes per 1,000 residents in the period',
      source: 'Police recorded crime (Home Office)',
    };
    await refused(revise, { ...input, expectedRevision: 0 }, 'CONFLICT');
    const revised = ok(
      await t.gql<{ reviseIndicator: Record<string, unknown> }>(revise, {
        input: { ...input, expectedRevision: 2 },
      }),
    ).reviseIndicator;
    expect(revised).toMatchObject({
      integrationFactor: 'TACKLING_INTOLERANCE_AND_EXTREMISM',
      source: 'Police recorded crime (Home Office)',
      unit: 'RATE_PER_1000',
      direction: 'LOWER_IS_BETTER',
      version: 2,
      revision: 3,
    });
  });
  it('revises an indicator with the revision the client read, and refuses a stale one', () =>
    indicatorRevised());

  const targetsSet = step(async () => {
    await indicatorRevised();
    const base = { areaCode: AREA, indicatorCode: 'GET_ON_WELL' };
    const afterBaseline = ok(
      await t.gql<{ setBaseline: AreaIndicator }>(SET_BASELINE, {
        input: { ...base, value: 60, date: '2019-03-31', source: 'Residents survey 2018' },
      }),
    ).setBaseline;
    expect(afterBaseline.baseline).toEqual({
      value: 60,
      date: '2019-03-31',
      source: 'Residents survey 2018',
    });
    ok(await t.gql(SET_TARGET, { input: { ...base, value: 70, date: '2021-03-31' } }));
    const targets = ok(
      await t.gql<{ setTarget: AreaIndicator }>(SET_TARGET, {
        input: { ...base, value: 65, date: '2020-03-31' },
      }),
    ).setTarget;
    expect(targets.targets).toEqual([
      { date: '2020-03-31', value: 65 },
      { date: '2021-03-31', value: 70 },
    ]);
    await refused(SET_TARGET, { ...base, value: 75, date: '2019-03-31' }, 'BAD_USER_INPUT', 'date');
    await refused(SET_TARGET, { ...base, value: 75, date: '2021-02-30' }, 'BAD_USER_INPUT', 'date');
    await refused(
      SET_TARGET,
      { ...base, indicatorCode: 'HATE_CRIMES', value: 8, date: '2021-03-31' },
      'CONFLICT',
      'indicatorCode',
    );
    await refused(SET_TARGET, { ...base, value: 101, date: '2021-03-31' }, 'BAD_USER_INPUT', 'value');

    const hate = { areaCode: AREA, indicatorCode: 'HATE_CRIMES' };
    ok(
      await t.gql(SET_BASELINE, {
        input: { ...hate, value: 10, date: '2019-03-31', source: 'Police recorded crime 2018-19' },
      }),
    );
    ok(await t.gql(SET_TARGET, { input: { ...hate, value: 8, date: '2021-03-31' } }));
  });
  it('sets a baseline and targets (sorted by date, after the baseline)', () => targetsSet());

  /** ESOL enrolments for Q1 to Q3 (Q3 before Q2), Q1 and Q2 corrected: the measurements' ids by quarter. */
  const esolMeasured = step(async () => {
    await targetsSet();
    const ids = { q1: '', q2: '', q3: '' };
    const q1 = await record(quarterly('ESOL_ENROLMENTS', '2019-20 Q1', '2019-04-01', '2019-06-30', 120));
    expect(q1).toMatchObject({
      value: 120,
      originalValue: 120,
      corrections: 0,
      indicator: { code: 'ESOL_ENROLMENTS' },
    });
    ids.q1 = q1.id;
    // Q3 arrives before Q2.
    ids.q3 = (await record(quarterly('ESOL_ENROLMENTS', '2019-20 Q3', '2019-10-01', '2019-12-31', 150))).id;
    let esol = (await areaIndicators()).ESOL_ENROLMENTS;
    expect(esol).toMatchObject({
      measurementCount: 2,
      cumulative: 270,
      latest: { value: 150 },
      previous: { value: 120 },
    });
    ids.q2 = (
      await record(
        quarterly('ESOL_ENROLMENTS', '2019-20 Q2', '2019-07-01', '2019-09-30', 130, {
          evidenceUrl: 'https://www.peterborough.gov.uk/esol-q2.pdf',
          note: 'Two new providers',
        }),
      )
    ).id;
    esol = (await areaIndicators()).ESOL_ENROLMENTS;
    expect(esol).toMatchObject({
      measurementCount: 3,
      cumulative: 400,
      latest: { value: 150, periodLabel: '2019-20 Q3', periodEnd: '2019-12-31' },
      previous: { value: 130, periodLabel: '2019-20 Q2', periodEnd: '2019-09-30' },
      trend: { movement: 'UP', assessment: 'IMPROVING', change: 20 },
      progress: null,
    });

    // Correct the earliest period: latest and previous stay, the cumulative total follows.
    const corrected = ok(
      await t.gql<{ correctMeasurement: Measurement }>(CORRECT, {
        input: {
          areaCode: AREA,
          measurementId: ids.q1,
          value: 125,
          reason: 'Late enrolments from one provider',
        },
      }),
    ).correctMeasurement;
    expect(corrected).toMatchObject({
      value: 125,
      originalValue: 120,
      corrections: 1,
      correctionReason: 'Late enrolments from one provider',
    });
    esol = (await areaIndicators()).ESOL_ENROLMENTS;
    expect(esol).toMatchObject({ cumulative: 405, latest: { value: 150 }, previous: { value: 130 } });

    // Correct the previous period: the trend follows.
    ok(
      await t.gql(CORRECT, {
        input: { areaCode: AREA, measurementId: ids.q2, value: 160, reason: 'Double-counted withdrawals' },
      }),
    );
    esol = (await areaIndicators()).ESOL_ENROLMENTS;
    expect(esol).toMatchObject({
      cumulative: 435,
      latest: { value: 150 },
      previous: { value: 160 },
      trend: { movement: 'DOWN', assessment: 'WORSENING', change: -10 },
    });
    return ids;
  });
  it('keeps latest, previous and cumulative right when periods arrive out of order and an earlier one is corrected', () =>
    esolMeasured());

  const surveysMeasured = step(async () => {
    await esolMeasured();
    // A survey window (October to September), then an earlier one reported late.
    await record(
      quarterly('GET_ON_WELL', 'Residents survey 2019-20', '2019-10-01', '2020-09-30', 65, {
        sampleSize: 1200,
        source: 'Residents survey',
      }),
    );
    await record(
      quarterly('GET_ON_WELL', 'Residents survey 2018-19', '2018-10-01', '2019-09-30', 62, {
        sampleSize: 1100,
        source: 'Residents survey',
      }),
    );
    await record(
      quarterly('HATE_CRIMES', '2019-20', '2019-04-01', '2020-03-31', 9, { denominator: 202_000 }),
    );
    const all = await areaIndicators();
    expect(all.GET_ON_WELL).toMatchObject({
      latest: { value: 65, periodEnd: '2020-09-30' },
      previous: { value: 62 },
      nextTarget: { date: '2021-03-31', value: 70 },
      progress: 0.5,
      cumulative: null,
      trend: { movement: 'UP', assessment: 'IMPROVING' },
    });
    expect(all.HATE_CRIMES).toMatchObject({
      latest: { value: 9 },
      nextTarget: { value: 8 },
      progress: 0.5,
      cumulative: null,
    });
  });
  it('works out progress toward the next target, by direction', () => surveysMeasured());

  it('refuses a second measurement for the same period, pointing to correctMeasurement', async () => {
    await surveysMeasured();
    const ids = await esolMeasured();
    const err = await refused(
      RECORD,
      quarterly('ESOL_ENROLMENTS', 'Q2 again', '2019-07-01', '2019-09-30', 131),
      'CONFLICT',
      'period',
    );
    expect(err.message).toContain('correctMeasurement');
    expect(err.extensions.measurementId).toBe(ids.q2);
  });

  it('refuses bad input with BAD_USER_INPUT naming the field, writing nothing', async () => {
    await surveysMeasured();
    const ids = await esolMeasured();
    const good = quarterly('ESOL_ENROLMENTS', '2020-21 Q1', '2020-04-01', '2020-06-30', 10);
    await refused(RECORD, { ...good, value: -1 }, 'BAD_USER_INPUT', 'value');
    await refused(RECORD, { ...good, value: 10.5 }, 'BAD_USER_INPUT', 'value');
    await refused(RECORD, { ...good, indicatorCode: 'GET_ON_WELL', value: 101 }, 'BAD_USER_INPUT', 'value');
    await refused(RECORD, { ...good, periodStart: '2020-07-01' }, 'BAD_USER_INPUT', 'periodEnd');
    await refused(RECORD, { ...good, periodStart: '1 April 2020' }, 'BAD_USER_INPUT', 'periodStart');
    await refused(RECORD, { ...good, periodEnd: '2020-06-31' }, 'BAD_USER_INPUT', 'periodEnd');
    await refused(
      RECORD,
      { ...good, evidenceUrl: 'ftp://example.org/x.pdf' },
      'BAD_USER_INPUT',
      'evidenceUrl',
    );
    await refused(RECORD, { ...good, sampleSize: 0 }, 'BAD_USER_INPUT', 'sampleSize');
    await refused(RECORD, { ...good, indicatorCode: 'NO_SUCH_INDICATOR' }, 'BAD_USER_INPUT', 'indicatorCode');
    await refused(RECORD, { ...good, areaCode: 'E0600003' }, 'BAD_USER_INPUT', 'areaCode');
    await refused(RECORD, { ...good, areaCode: NON_PILOT }, 'BAD_USER_INPUT', 'areaCode');
    await refused(RECORD, { ...good, areaCode: 'E09000031' }, 'NOT_FOUND');
    await refused(
      CORRECT,
      { areaCode: AREA, measurementId: ids.q1, value: 126, reason: '' },
      'BAD_USER_INPUT',
      'reason',
    );
    await refused(
      CORRECT,
      { areaCode: AREA, measurementId: randomUUID(), value: 1, reason: 'x' },
      'NOT_FOUND',
    );
  });

  const q4Measured = step(async () => {
    await surveysMeasured();
    const [{ revision }] = Object.values(await areaIndicators());
    const input = quarterly('ESOL_ENROLMENTS', '2019-20 Q4', '2020-01-01', '2020-03-31', 140);
    await refused(RECORD, { ...input, expectedRevision: revision - 1 }, 'CONFLICT');
    const commandId = randomUUID();
    const first = await record({ ...input, commandId, expectedRevision: revision });
    expect(first.revision).toBe(revision + 1);
    const before = await t.eventCount();
    const again = await record({ ...input, commandId, expectedRevision: revision });
    expect(again.id).toBe(first.id);
    expect(await t.eventCount()).toBe(before);
    expect((await areaIndicators()).ESOL_ENROLMENTS).toMatchObject({
      latest: { value: 140 },
      previous: { value: 150 },
    });
    return first.id;
  });
  it('refuses a stale expectedRevision with CONFLICT, and applies a repeated commandId once', () =>
    q4Measured());

  it('lists measurements across areas a page at a time, with filters', async () => {
    const ids = { ...(await esolMeasured()), q4: await q4Measured() };
    const page1 = ok(
      await t.gql<{
        measurements: {
          totalCount: number;
          pageInfo: { hasNextPage: boolean; endCursor: string };
          nodes: { id: string; periodEnd: string }[];
        };
      }>(MEASUREMENTS, { filter: { areaCode: AREA, indicatorCode: 'ESOL_ENROLMENTS' }, first: 3 }),
    ).measurements;
    expect(page1.totalCount).toBe(4);
    expect(page1.nodes.map((n) => n.id)).toEqual([ids.q4, ids.q3, ids.q2]);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const page2 = ok(
      await t.gql<{ measurements: { pageInfo: { hasNextPage: boolean }; nodes: { id: string }[] } }>(
        MEASUREMENTS,
        {
          filter: { areaCode: AREA, indicatorCode: 'ESOL_ENROLMENTS' },
          first: 3,
          after: page1.pageInfo.endCursor,
        },
      ),
    ).measurements;
    expect(page2.nodes.map((n) => n.id)).toEqual([ids.q1]);
    expect(page2.pageInfo.hasNextPage).toBe(false);

    const byTheme = ok(
      await t.gql<{ measurements: { nodes: { indicatorCode: string }[] } }>(MEASUREMENTS, {
        filter: { theme: 'PLACES_AND_COMMUNITY' },
      }),
    ).measurements;
    expect(byTheme.nodes.map((n) => n.indicatorCode)).toEqual(['GET_ON_WELL', 'GET_ON_WELL']);
    const inWindow = ok(
      await t.gql<{ measurements: { nodes: { periodEnd: string }[] } }>(MEASUREMENTS, {
        filter: { periodFrom: '2019-07-01', periodTo: '2019-12-31' },
      }),
    ).measurements;
    expect(inWindow.nodes.map((n) => n.periodEnd)).toEqual(['2019-12-31', '2019-09-30', '2019-09-30']);

    for (const [filter, field] of [
      [{ periodFrom: '2019-13-01' }, 'filter.periodFrom'],
      [{ periodTo: '31/03/2020' }, 'filter.periodTo'],
      [{ periodFrom: '2020-01-01', periodTo: '2019-01-01' }, 'filter.periodTo'],
      [{ areaCode: 'Peterborough' }, 'filter.areaCode'],
      [{ indicatorCode: 'esol' }, 'filter.indicatorCode'],
      [{ theme: 'english language' }, 'filter.theme'],
    ] as const) {
      const res = await t.gql(MEASUREMENTS, { filter });
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(res.errors?.[0].message).toContain(field);
    }
    const badCursor = await t.gql(MEASUREMENTS, { after: 'nonsense' });
    expect(badCursor.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    const badFirst = await t.gql(MEASUREMENTS, { first: 0 });
    expect(badFirst.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });

  const returnApproved = step(async () => {
    await q4Measured();
    const ids = await esolMeasured();
    const quarter = '2019-20 Q1';
    const inQ1 = quarterly('HATE_CRIMES', '2019-20 Q1', '2019-04-01', '2019-06-30', 2.5);

    // Before submission, `preview` says what the return will report (the figures the submission takes).
    const PREVIEW = `query($code: String!) { area(code: $code) { returns(year: "2019-20") {
      quarter locked preview { spend measurements actionsByStatus { status count } } } } }`;
    const previewOf = async () =>
      ok(
        await t.gql<{
          area: { returns: { quarter: string; preview: PeriodicReturn['snapshot'] }[] };
        }>(PREVIEW, { code: AREA }),
      ).area.returns.find((r) => r.quarter === quarter)!.preview;
    const preview = await previewOf();
    expect(preview).toMatchObject({ spend: 0, measurements: 1 });

    const submitted = ok(
      await t.gql<{ submitReturn: PeriodicReturn }>(SUBMIT, {
        input: { areaCode: AREA, quarter, note: 'First quarter' },
      }),
    ).submitReturn;
    expect(submitted).toMatchObject({
      quarter,
      status: 'SUBMITTED',
      locked: true,
      submissions: 1,
      revision: 0,
    });
    expect(submitted.snapshot).toMatchObject({ spend: 0, measurements: 1 });
    expect(submitted.snapshot!.actionsByStatus.every((a) => a.count === 0)).toBe(true);
    // The same figures (the stored snapshot's statuses come back in jsonb's key order).
    const byStatus = (s: PeriodicReturn['snapshot']) => ({
      ...s!,
      actionsByStatus: [...s!.actionsByStatus].sort((a, b) => a.status.localeCompare(b.status)),
    });
    expect(byStatus(submitted.snapshot)).toEqual(byStatus(preview));
    expect(await previewOf()).toBeNull(); // locked: its figures are the snapshot's

    const year = await returnsOf('2019-20');
    expect(year.map((r) => [r.quarter, r.status])).toEqual([
      ['2019-20 Q1', 'SUBMITTED'],
      ['2019-20 Q2', 'NOT_SUBMITTED'],
      ['2019-20 Q3', 'NOT_SUBMITTED'],
      ['2019-20 Q4', 'NOT_SUBMITTED'],
    ]);
    expect((await returnsOf()).map((r) => r.quarter)).toEqual(['2019-20 Q1']);

    // Locked: recording or correcting in the quarter is refused and writes nothing.
    const locked = await refused(RECORD, inQ1, 'CONFLICT', 'period');
    expect(locked.message).toContain('2019-20 Q1 is locked');
    await refused(
      CORRECT,
      { areaCode: AREA, measurementId: ids.q1, value: 127, reason: 'Another late provider' },
      'CONFLICT',
      'period',
    );
    await refused(SUBMIT, { areaCode: AREA, quarter }, 'CONFLICT', 'quarter');
    // Other quarters stay open.
    ok(
      await t.gql(CORRECT, { input: { areaCode: AREA, measurementId: ids.q3, value: 151, reason: 'Typo' } }),
    );

    await refused(SEND_BACK, { areaCode: AREA, quarter, comments: '' }, 'BAD_USER_INPUT', 'comments');
    await refused(SEND_BACK, { areaCode: AREA, quarter: '2019-20 Q2', comments: 'x' }, 'CONFLICT', 'quarter');
    const sentBack = ok(
      await t.gql<{ sendBackReturn: PeriodicReturn }>(SEND_BACK, {
        input: {
          areaCode: AREA,
          quarter,
          comments: 'Please add the hate crime figures',
          expectedRevision: 0,
        },
      }),
    ).sendBackReturn;
    expect(sentBack).toMatchObject({
      status: 'SENT_BACK',
      locked: false,
      comments: 'Please add the hate crime figures',
      revision: 1,
    });

    // Open again.
    ok(await t.gql(RECORD, { input: inQ1 }));
    await refused(APPROVE, { areaCode: AREA, quarter }, 'CONFLICT', 'quarter');

    const resubmitted = ok(
      await t.gql<{ submitReturn: PeriodicReturn }>(SUBMIT, { input: { areaCode: AREA, quarter } }),
    ).submitReturn;
    expect(resubmitted).toMatchObject({
      status: 'SUBMITTED',
      submissions: 2,
      revision: 2,
      snapshot: { measurements: 2 },
    });

    await refused(APPROVE, { areaCode: AREA, quarter, expectedRevision: 1 }, 'CONFLICT');
    const approved = ok(
      await t.gql<{ approveReturn: PeriodicReturn }>(APPROVE, {
        input: { areaCode: AREA, quarter, comments: 'Thank you', expectedRevision: 2 },
      }),
    ).approveReturn;
    expect(approved).toMatchObject({ status: 'APPROVED', locked: true, comments: 'Thank you', revision: 3 });
    await refused(
      RECORD,
      quarterly('GET_ON_WELL', 'Pulse survey', '2019-05-01', '2019-05-31', 61),
      'CONFLICT',
      'period',
    );
    await refused(SEND_BACK, { areaCode: AREA, quarter, comments: 'Too late' }, 'CONFLICT', 'quarter');
    await refused(SUBMIT, { areaCode: AREA, quarter }, 'CONFLICT', 'quarter');
  });
  it('locks a quarter on submission, unlocks it when sent back, and locks it again on approval', () =>
    returnApproved());

  it('refuses returns for quarters not started, malformed quarters and non-pilot areas', async () => {
    await refused(SUBMIT, { areaCode: AREA, quarter: '2098-99 Q1' }, 'BAD_USER_INPUT', 'quarter');
    await refused(SUBMIT, { areaCode: AREA, quarter: '2019-20 Q5' }, 'BAD_USER_INPUT', 'quarter');
    await refused(SUBMIT, { areaCode: NON_PILOT, quarter: '2019-20 Q1' }, 'BAD_USER_INPUT', 'areaCode');
    const res = await t.gql(AREA_OUTCOMES, { code: AREA, year: '2019/20' });
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'year' });
  });

  const indicatorRetired = step(async () => {
    await returnApproved();
    const retire = `mutation($input: RetireIndicatorInput!) { retireIndicator(input: $input) { code retired retiredReason } }`;
    await refused(retire, { code: 'HATE_CRIMES', reason: '' }, 'BAD_USER_INPUT', 'reason');
    const retired = ok(
      await t.gql<{ retireIndicator: unknown }>(retire, {
        input: { code: 'HATE_CRIMES', reason: 'Replaced' },
      }),
    );
    expect(retired.retireIndicator).toEqual({
      code: 'HATE_CRIMES',
      retired: true,
      retiredReason: 'Replaced',
    });
    await refused(
      RECORD,
      quarterly('HATE_CRIMES', '2020-21', '2020-04-01', '2021-03-31', 8),
      'CONFLICT',
      'indicatorCode',
    );
    const listed = ok(
      await t.gql<{ indicatorCatalogue: { code: string }[] }>('{ indicatorCatalogue { code } }'),
    );
    expect(listed.indicatorCatalogue.map((i) => i.code)).not.toContain('HATE_CRIMES');
  });
  it('retires an indicator: no new measurements for it', () => indicatorRetired());

  it('rebuilds the read models from the events to the same rows', async () => {
    await indicatorRetired();
    const before = await expectRebuildUnchanged(t, [OutcomesProjection, ReturnsProjection], async (db) => ({
      catalogue: await db.query('SELECT * FROM indicator_catalogue ORDER BY code'),
      summary: await db.query('SELECT * FROM area_indicators ORDER BY area_code, indicator_code'),
      measurements: await db.query('SELECT * FROM measurements ORDER BY id'),
      returns: await db.query('SELECT * FROM periodic_returns ORDER BY area_code, quarter'),
      graphql: ok(await t.gql(AREA_OUTCOMES, { code: AREA, year: '2019-20' })),
    }));
    expect(before.measurements.length).toBeGreaterThan(5);
  });

  it("takes today's date in England", () => {
    expect(todayInEngland(new Date('2020-03-31T23:30:00Z'))).toBe('2020-04-01'); // BST
    expect(todayInEngland(new Date('2020-01-31T23:30:00Z'))).toBe('2020-01-31'); // GMT
  });
});
