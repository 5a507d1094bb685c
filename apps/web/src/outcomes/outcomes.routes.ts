import type { FastifyInstance } from 'fastify';
import {
  FINANCIAL_QUARTER,
  parseFinancialQuarter,
  parseFinancialYear,
  todayInEngland,
} from '../../../../src/shared/periods.js';
import { date as dateInWords } from '../format.js';
import { commandFields, dateProblem, isoDate, newCommandId, shownState, submitForm } from '../forms.js';
import { OperationFailed } from '../graphql.js';
import { type Page, pageHandler, viewerMay } from '../page.js';
import type { WebRouteDeps } from '../routes.js';
import { dueReturns } from '../central/returns.view.js';
import { renderDecorativeChart } from '../charts.js';
import {
  actionsInWords,
  type AreaIndicator,
  type Measurement,
  MEASUREMENT_FIELDS,
  type PeriodicReturn,
  type Unit,
  defaultReturnsYear,
  formatValue,
  indicatorChartSpec,
  lockReason,
  measurementInput,
  quarterOfDate,
  quarterOfSlug,
  quarterSlug,
  readValue,
  returnRows,
  returnsYears,
  statusTag,
  unitHint,
  valueToSend,
  valueInput,
  yearOfQuarter,
} from './outcomes.view.js';

/**
 * The pilot officer's outcomes and quarterly returns: the area's indicators (series against baseline and
 * target, as charts with their data as tables), each indicator's measurements with their evidence, the forms
 * to record and correct a measurement and set baselines and targets, and the returns by quarter with "check
 * your answers" before submitting one. Every figure and change goes through the API as the signed-in person.
 */

const INDICATOR_FIELDS = 'code name unit direction definition source';
const AREA_INDICATOR_FIELDS = `indicatorCode revision measurementCount progress
  baseline { value date source } targets { date value } latest { value periodLabel }
  indicator { ${INDICATOR_FIELDS} }`;
const MEASUREMENT_FIELDS_GQL = `id indicatorCode periodLabel periodStart periodEnd value originalValue sampleSize
  source evidenceUrl corrections correctionReason revision`;
const RETURN_FIELDS = 'quarter startDate endDate status locked submittedAt decidedAt comments revision';

interface Area {
  readonly code: string;
  readonly name: string;
}

/** What AREA_INDICATORS answers. */
interface AreaIndicatorsData {
  area: (Area & { indicators: AreaIndicator[] }) | null;
  measurements: { nodes: Measurement[] };
  viewer: { mayRecord: boolean };
}

const AREA_INDICATORS = `query AreaIndicators($code: String!, $args: JSON) {
  area(code: $code) { code name indicators { ${AREA_INDICATOR_FIELDS} } }
  measurements(filter: { areaCode: $code }, first: 100) { nodes { ${MEASUREMENT_FIELDS_GQL} } }
  viewer { mayRecord: may(operation: "recordMeasurement", args: $args) }
}`;

const AREA_INDICATOR = `query AreaIndicator($code: String!, $indicator: String!, $args: JSON) {
  area(code: $code) { code name indicators { ${AREA_INDICATOR_FIELDS} } }
  measurements(filter: { areaCode: $code, indicatorCode: $indicator }, first: 100) {
    nodes { ${MEASUREMENT_FIELDS_GQL} }
  }
  ${viewerMay({
    mayRecord: ['recordMeasurement', '$args'],
    mayCorrect: ['correctMeasurement', '$args'],
    mayBaseline: ['setBaseline', '$args'],
    mayTarget: ['setTarget', '$args'],
  })}
}`;

const AREA_RETURNS = `query AreaReturns($code: String!, $year: String) {
  area(code: $code) { code name fundingYears { year } all: returns { ${RETURN_FIELDS} } year: returns(year: $year) { ${RETURN_FIELDS} } }
}`;

const RECORD = `mutation Record($input: RecordMeasurementInput!) { recordMeasurement(input: $input) { id indicatorCode } }`;
const CORRECT = `mutation Correct($input: CorrectMeasurementInput!) { correctMeasurement(input: $input) { id } }`;
const SET_BASELINE = `mutation Baseline($input: SetBaselineInput!) { setBaseline(input: $input) { indicatorCode } }`;
const SET_TARGET = `mutation Target($input: SetTargetInput!) { setTarget(input: $input) { indicatorCode } }`;
const SUBMIT = `mutation Submit($input: SubmitReturnInput!) { submitReturn(input: $input) { quarter status } }`;

function notFound(what: string): OperationFailed {
  return new OperationFailed([{ code: 'NOT_FOUND', message: what, extensions: {} }]);
}

/** The area of the URL, or the 404 page. */
function areaOf<T extends { area: Area | null }>(data: T): NonNullable<T['area']> {
  if (!data.area) throw notFound('No such area');
  return data.area as NonNullable<T['area']>;
}

/** The args `viewer.may` is asked with for a change to this area's outcomes. */
function areaArgs(code: string): { input: { areaCode: string } } {
  return { input: { areaCode: code } };
}

function today(): string {
  return todayInEngland(new Date());
}

/** The area's return for a quarter (NOT_SUBMITTED where there is none), for the locked notice of a form. */
async function returnFor(page: Page, code: string, quarter: string): Promise<PeriodicReturn | undefined> {
  const data = await page.query<{ area: { year: PeriodicReturn[] } | null }>(AREA_RETURNS, {
    code,
    year: yearOfQuarter(quarter),
  });
  return data.area?.year.find((r) => r.quarter === quarter);
}

/** The notice a form of a locked quarter shows: which quarter, and why it is locked. */
async function lockNotice(page: Page, code: string, quarter: string | undefined) {
  if (!quarter || !FINANCIAL_QUARTER.test(quarter)) return undefined;
  const r = await returnFor(page, code, quarter);
  if (!r?.locked) return undefined;
  return { quarter, reason: lockReason(r), tag: statusTag(r.status) };
}

export async function outcomesRoutes(
  web: FastifyInstance,
  { graphql, settings }: WebRouteDeps,
): Promise<void> {
  // ---------------------------------------------------------------------------------------- indicators
  web.get(
    '/areas/:code/indicators',
    pageHandler(graphql, async (page) => {
      const { code } = page.params as { code: string };
      const data = await page.query<AreaIndicatorsData>(AREA_INDICATORS, { code, args: areaArgs(code) });
      const area = areaOf(data);
      const indicators = await Promise.all(
        area.indicators.map(async (ai) => {
          const series = data.measurements.nodes
            .filter((m) => m.indicatorCode === ai.indicatorCode)
            .sort(
              (a, b) => a.periodEnd.localeCompare(b.periodEnd) || a.periodStart.localeCompare(b.periodStart),
            );
          return {
            ...ai,
            series,
            chart: await renderDecorativeChart(
              indicatorChartSpec(ai.indicator, series, ai.baseline, ai.targets),
            ),
          };
        }),
      );
      return page.render('outcomes/indicators', {
        area,
        indicators,
        mayRecord: data.viewer.mayRecord,
        formatValue,
      });
    }),
  );

  web.get(
    '/areas/:code/indicators/:indicator',
    pageHandler(graphql, async (page) => {
      const { code, indicator } = page.params as { code: string; indicator: string };
      const data = await page.query<{
        area: (Area & { indicators: AreaIndicator[] }) | null;
        measurements: { nodes: Measurement[] };
        viewer: { mayRecord: boolean; mayCorrect: boolean; mayBaseline: boolean; mayTarget: boolean };
      }>(AREA_INDICATOR, { code, indicator, args: areaArgs(code) });
      const area = areaOf(data);
      const ai = area.indicators.find((i) => i.indicatorCode === indicator);
      if (!ai) throw notFound(`${area.name} does not report ${indicator}`);
      const measurements = [...data.measurements.nodes].sort(
        (a, b) => b.periodEnd.localeCompare(a.periodEnd) || b.periodStart.localeCompare(a.periodStart),
      );
      return page.render('outcomes/indicator', {
        area,
        ai,
        measurements,
        may: data.viewer,
        formatValue,
        quarterSlug,
      });
    }),
  );

  // ------------------------------------------------------------------------------- record a measurement
  const RECORD_FORM = 'record-measurement';

  web.get(
    '/areas/:code/measurements/new',
    pageHandler(graphql, async (page) => {
      const { code } = page.params as { code: string };
      await page.requireMay('recordMeasurement', areaArgs(code));
      const kept = page.takeForm(RECORD_FORM);
      const { errors } = shownState(kept);
      const data = await page.query<AreaIndicatorsData>(AREA_INDICATORS, { code, args: areaArgs(code) });
      const area = areaOf(data);
      const values: Record<string, string> = kept?.values
        ? { ...kept.values }
        : { indicator: page.search.indicator ?? '', periodLabel: page.search.quarter ?? '' };
      const chosen = area.indicators.find((i) => i.indicatorCode === values.indicator);
      const locked = await lockNotice(page, code, values.periodLabel?.trim());
      return page.render('outcomes/record-measurement', {
        area,
        indicators: area.indicators,
        chosen,
        unitHint: chosen
          ? unitHint(chosen.indicator.unit)
          : 'In the indicator’s unit: a percentage from 0 to 100, a number, a rate or pounds',
        values,
        errors: errors.summary,
        byField: errors.byField,
        locked,
        commandId: newCommandId(),
        action: page.request.url,
      });
    }),
  );

  web.post(
    '/areas/:code/measurements/new',
    pageHandler(graphql, async (page) => {
      const { code } = page.params as { code: string };
      await page.requireMay('recordMeasurement', areaArgs(code));
      const back = page.request.url;
      const found = await page.query<{ area: (Area & { indicators: AreaIndicator[] }) | null }>(
        `query($code: String!) { area(code: $code) { code name indicators { indicatorCode indicator { code name unit } } } }`,
        { code },
      );
      const area = areaOf(found);
      const chosen = area.indicators.find((i) => i.indicatorCode === page.body.indicator);
      const form = measurementInput(code, chosen?.indicator.unit, page.body);
      const recorded = await submitForm(page, {
        ...MEASUREMENT_FIELDS,
        form: RECORD_FORM,
        again: back,
        problems: form.problems,
        run: () =>
          page.run<{ recordMeasurement: { id: string; indicatorCode: string } }>(RECORD, {
            input: { ...form.input, ...commandFields(page.body) },
          }),
      });
      if (!recorded) return;
      const indicatorName = chosen?.indicator.name ?? page.body.indicator;
      return page.redirect(`/areas/${code}/indicators/${form.input.indicatorCode as string}`, {
        success: {
          heading: 'Measurement recorded',
          body: `${indicatorName}: ${formatValue(chosen?.indicator.unit ?? 'COUNT', form.input.value as number)} for ${form.input.periodLabel as string}.`,
        },
      });
    }),
  );

  // ------------------------------------------------------------------------------ correct a measurement
  const CORRECT_FORM = 'correct-measurement';
  const correctPath = '/areas/:code/indicators/:indicator/measurements/:id/correct';

  async function measurementPage(page: Page) {
    const { code, indicator, id } = page.params as { code: string; indicator: string; id: string };
    const data = await page.query<{
      area: (Area & { indicators: AreaIndicator[] }) | null;
      measurements: { nodes: Measurement[] };
    }>(AREA_INDICATOR, { code, indicator, args: areaArgs(code) });
    const area = areaOf(data);
    const ai = area.indicators.find((i) => i.indicatorCode === indicator);
    const measurement = data.measurements.nodes.find((m) => m.id === id);
    if (!ai || !measurement) throw notFound('No such measurement');
    return { code, area, ai, measurement };
  }

  web.get(
    correctPath,
    pageHandler(graphql, async (page) => {
      const { code } = page.params as { code: string };
      await page.requireMay('correctMeasurement', areaArgs(code));
      const { area, ai, measurement } = await measurementPage(page);
      const kept = page.takeForm(CORRECT_FORM);
      const { errors } = shownState(kept);
      const unit = ai.indicator.unit;
      const values = kept?.values ?? {
        value: valueInput(unit, measurement.value),
        sampleSize: measurement.sampleSize === null ? '' : String(measurement.sampleSize),
        reason: '',
      };
      return page.render('outcomes/correct-measurement', {
        area,
        ai,
        measurement,
        unitHint: unitHint(unit),
        values,
        errors: errors.summary,
        byField: errors.byField,
        locked: await lockNotice(page, code, quarterOfDate(measurement.periodEnd)),
        commandId: newCommandId(),
        formatValue,
        action: page.request.url,
      });
    }),
  );

  web.post(
    correctPath,
    pageHandler(graphql, async (page) => {
      const { code } = page.params as { code: string };
      await page.requireMay('correctMeasurement', areaArgs(code));
      const { ai, measurement } = await measurementPage(page);
      const back = page.request.url;
      const unit = ai.indicator.unit;
      const value = readValue(unit, page.body.value);
      const problems: Record<string, string> = {};
      if (value === undefined) problems.value = 'Enter the corrected value';
      else if (Number.isNaN(value)) problems.value = `The value must be a number. ${unitHint(unit)}`;
      const sample = (page.body.sampleSize ?? '').trim().replace(/,/g, '');
      if (sample && !/^\d+$/.test(sample))
        problems.sampleSize = 'The sample size must be a whole number, like 510';
      const data = await submitForm(page, {
        ...MEASUREMENT_FIELDS,
        form: CORRECT_FORM,
        again: back,
        problems,
        run: () =>
          page.run(CORRECT, {
            input: {
              areaCode: code,
              measurementId: measurement.id,
              value: valueToSend(value),
              ...(sample && !problems.sampleSize ? { sampleSize: Number(sample) } : {}),
              reason: page.body.reason ?? '',
              ...commandFields(page.body),
            },
          }),
      });
      if (!data) return;
      return page.redirect(`/areas/${code}/indicators/${ai.indicatorCode}`, {
        success: {
          heading: 'Measurement corrected',
          body: `${ai.indicator.name} for ${measurement.periodLabel} is now ${formatValue(unit, value!)}.`,
        },
      });
    }),
  );

  // ---------------------------------------------------------------------------- baselines and targets
  for (const kind of ['baseline', 'target'] as const) {
    const FORM = `set-${kind}`;
    const operation = kind === 'baseline' ? 'setBaseline' : 'setTarget';
    const path = `/areas/:code/indicators/:indicator/${kind}`;

    const load = async (page: Page) => {
      const { code, indicator } = page.params as { code: string; indicator: string };
      await page.requireMay(operation, areaArgs(code));
      const data = await page.query<{ area: (Area & { indicators: AreaIndicator[] }) | null }>(
        `query($code: String!) { area(code: $code) { code name indicators { ${AREA_INDICATOR_FIELDS} } } }`,
        { code },
      );
      const area = areaOf(data);
      const ai = area.indicators.find((i) => i.indicatorCode === indicator);
      if (!ai) throw notFound(`${area.name} does not report ${indicator}`);
      return { code, area, ai };
    };

    web.get(
      path,
      pageHandler(graphql, async (page) => {
        const { area, ai } = await load(page);
        const kept = page.takeForm(FORM);
        const { errors } = shownState(kept);
        const unit = ai.indicator.unit;
        const current = kind === 'baseline' ? ai.baseline : null;
        const [y, m, d] = (current?.date ?? '').split('-');
        const values = kept?.values ?? {
          value: valueInput(unit, current?.value),
          'date-day': d ? String(Number(d)) : '',
          'date-month': m ? String(Number(m)) : '',
          'date-year': y ?? '',
          source: kind === 'baseline' ? (ai.baseline?.source ?? '') : '',
        };
        return page.render(`outcomes/set-${kind}`, {
          area,
          ai,
          unitHint: unitHint(unit),
          values,
          errors: errors.summary,
          byField: errors.byField,
          commandId: newCommandId(),
          formatValue,
          action: page.request.url,
        });
      }),
    );

    web.post(
      path,
      pageHandler(graphql, async (page) => {
        const { code, ai } = await load(page);
        const back = page.request.url;
        const unit: Unit = ai.indicator.unit;
        const value = readValue(unit, page.body.value);
        const date = isoDate(page.body['date-day'], page.body['date-month'], page.body['date-year']);
        const problems: Record<string, string> = {};
        if (value === undefined) problems.value = `Enter the ${kind} value`;
        else if (Number.isNaN(value)) problems.value = `The value must be a number. ${unitHint(unit)}`;
        if (date === undefined) problems['date-day'] = `Enter the ${kind} date`;
        else if (date === null)
          problems['date-day'] = dateProblem(
            'The date',
            page.body['date-day'],
            page.body['date-month'],
            page.body['date-year'],
          )!;
        const input = {
          areaCode: code,
          indicatorCode: ai.indicatorCode,
          value: valueToSend(value),
          date: date ?? '',
          ...(kind === 'baseline' ? { source: page.body.source ?? '' } : {}),
          ...commandFields(page.body),
        };
        const data = await submitForm(page, {
          ...MEASUREMENT_FIELDS,
          form: FORM,
          again: back,
          problems,
          run: () => page.run(kind === 'baseline' ? SET_BASELINE : SET_TARGET, { input }),
        });
        if (!data) return;
        return page.redirect(`/areas/${code}/indicators/${ai.indicatorCode}`, {
          success: {
            heading: kind === 'baseline' ? 'Baseline set' : 'Target set',
            body: `${ai.indicator.name}: ${formatValue(unit, value!)} ${kind === 'baseline' ? 'on' : 'by'} ${dateInWords(date!)}.`,
          },
        });
      }),
    );
  }

  // ------------------------------------------------------------------------------------------ returns
  web.get(
    '/areas/:code/returns',
    pageHandler(graphql, async (page) => {
      const { code } = page.params as { code: string };
      const now = today();
      const first = await page.query<{
        area: (Area & { all: PeriodicReturn[]; fundingYears: { year: string }[] }) | null;
      }>(AREA_RETURNS, { code, year: null });
      const area = areaOf(first);
      const funded = area.fundingYears.map((y) => y.year);
      const years = returnsYears(area.all, funded, now);
      const asked = page.search.year;
      const year =
        asked && parseFinancialYear(asked) && years.includes(asked)
          ? asked
          : defaultReturnsYear(area.all, funded, now);
      // The returns due as the central team's "Due and overdue" lists them: one rule for both pages.
      const owed = dueReturns(
        [{ ...area, kind: 'PILOT', returns: area.all }],
        now,
        settings.returnDueDays ?? 30,
      );
      const dueByQuarter = new Map(owed.map((d) => [d.quarter, d]));
      const data = await page.query<{
        area: { year: PeriodicReturn[] } | null;
        viewer: { maySubmit: boolean };
      }>(
        `query($code: String!, $year: String, $args: JSON) {
          area(code: $code) { year: returns(year: $year) { ${RETURN_FIELDS} } }
          viewer { maySubmit: may(operation: "submitReturn", args: $args) }
        }`,
        { code, year, args: areaArgs(code) },
      );
      return page.render('outcomes/returns', {
        area,
        year,
        years,
        rows: returnRows(data.area?.year ?? [], now, dueByQuarter),
        maySubmit: data.viewer.maySubmit,
      });
    }),
  );

  const returnPage = async (page: Page) => {
    const { code, period } = page.params as { code: string; period: string };
    const quarter = quarterOfSlug(period);
    if (!quarter) throw notFound('No such quarter');
    const data = await page.query<{
      area:
        | (Area & {
            year: (PeriodicReturn & {
              preview: {
                spend: number;
                measurements: number;
                actionsByStatus: { status: string; count: number }[];
              } | null;
            })[];
          })
        | null;
      measurements: { nodes: (Measurement & { indicator: { name: string; unit: Unit } })[] };
    }>(
      `query($code: String!, $year: String!, $from: String!, $to: String!) {
        area(code: $code) { code name year: returns(year: $year) {
          ${RETURN_FIELDS} preview { spend measurements actionsByStatus { status count } } } }
        measurements(filter: { areaCode: $code, periodFrom: $from, periodTo: $to }, first: 100) {
          nodes { ${MEASUREMENT_FIELDS_GQL} indicator { name unit } }
        }
      }`,
      {
        code,
        year: yearOfQuarter(quarter),
        from: parseFinancialQuarter(quarter)!.start,
        to: parseFinancialQuarter(quarter)!.end,
      },
    );
    const area = areaOf(data);
    const r = area.year.find((x) => x.quarter === quarter);
    if (!r) throw notFound('No such quarter');
    return { code, quarter, area, r, measurements: data.measurements.nodes };
  };

  web.get(
    '/areas/:code/returns/:period/check',
    pageHandler(graphql, async (page) => {
      const { code } = page.params as { code: string };
      await page.requireMay('submitReturn', areaArgs(code));
      const { area, quarter, r, measurements } = await returnPage(page);
      const kept = page.takeForm('submit-return');
      return page.render('outcomes/check-return', {
        area,
        quarter,
        r,
        slug: quarterSlug(quarter),
        started: r.startDate <= today(),
        lockReason: lockReason(r),
        tag: statusTag(r.status),
        actionsText: actionsInWords(r.preview?.actionsByStatus ?? []),
        measurements: measurements.map((m) => ({ ...m, shown: formatValue(m.indicator.unit, m.value) })),
        values: kept?.values ?? {},
        errors: shownState(kept).errors.summary,
        byField: shownState(kept).errors.byField,
        commandId: newCommandId(),
      });
    }),
  );

  web.post(
    '/areas/:code/returns/:period/check',
    pageHandler(graphql, async (page) => {
      const { code } = page.params as { code: string };
      await page.requireMay('submitReturn', areaArgs(code));
      const { quarter } = await returnPage(page);
      const data = await submitForm(page, {
        form: 'submit-return',
        again: page.request.url,
        fields: { note: 'note' },
        labels: MEASUREMENT_FIELDS.labels,
        run: () =>
          page.run(SUBMIT, {
            input: { areaCode: code, quarter, note: page.body.note ?? '', ...commandFields(page.body) },
          }),
      });
      if (!data) return;
      return page.redirect(`/areas/${code}/returns/${quarterSlug(quarter)}/submitted`);
    }),
  );

  web.get(
    '/areas/:code/returns/:period/submitted',
    pageHandler(graphql, async (page) => {
      const { area, quarter, r } = await returnPage(page);
      if (r.status !== 'SUBMITTED')
        return page.redirect(`/areas/${area.code}/returns?year=${yearOfQuarter(quarter)}`);
      return page.render('outcomes/return-submitted', { area, quarter, r });
    }),
  );
}
