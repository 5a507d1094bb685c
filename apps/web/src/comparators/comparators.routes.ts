import multipart, { type MultipartFile } from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { renderChart } from '../charts.js';
import { keptState, newCommandId, pageProblems, refusals, shownState, wholeNumber } from '../forms.js';
import { OperationFailed } from '../graphql.js';
import { pageHandler } from '../page.js';
import type { WebRouteDeps } from '../routes.js';
import {
  type Versus,
  estimateSentence,
  figure,
  seriesChartData,
  seriesChartLabel,
  seriesChartSpec,
  signed,
} from './comparators.view.js';

/** Largest file the upload takes (the API's own limit). */
const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

const FRAME = `query ComparatorsFrame {
  publicIndicators { code name periods illustrative }
  viewer {
    mayImport: may(operation: "Mutation.importPublicIndicatorValues", args: {})
    mayChoose: may(operation: "Mutation.chooseComparators", args: {})
  }
}`;

const PILOTS = `query Pilots { areas { code name kind } }`;

const VERSUS = `query PilotVersusComparators($area: String!, $indicator: String!, $baseline: String, $latest: String) {
  pilotVersusComparators(areaCode: $area, indicatorCode: $indicator, baselinePeriod: $baseline, latestPeriod: $latest) {
    areaCode areaName indicatorCode indicatorName baselinePeriod latestPeriod pilotBaseline pilotLatest pilotChange
    comparatorMeanChange estimate interval { lower upper level } comparatorsUsed caveats sources illustrative method
    choice { method characteristics period reason revision chosenAt chosenBy }
    comparators { areaCode areaName distance baseline latest change included }
    series { period periodEnd pilot comparatorMean comparators }
  }
}`;

const IMPORT = `mutation ImportPublicValues($input: ImportPublicValuesInput!) {
  importPublicIndicatorValues(input: $input) { digest fileName rowsInFile rowsRecorded alreadyImported }
}`;

const CHOOSE_FORM = `query ChooseForm($area: String!) {
  area(code: $area) { code name kind }
  comparators(areaCode: $area) { method characteristics period revision reason comparators { areaCode } }
  publicIndicators { code name periods }
  publicCouncils { code name }
  areas { code kind }
}`;

const CHOOSE = `mutation ChooseComparators($input: ChooseComparatorsInput!) {
  chooseComparators(input: $input) { pilotCode revision comparators { areaCode } }
}`;

const CHOOSE_FIELDS = {
  'input.method': 'method',
  'input.characteristics': 'characteristics',
  'input.period': 'period',
  'input.count': 'count',
  'input.areaCodes': 'areaCodes',
  'input.reason': 'reason',
  'input.pilotCode': 'method',
};

interface Frame {
  publicIndicators: { code: string; name: string | null; periods: string[]; illustrative: boolean }[];
  viewer: { mayImport: boolean; mayChoose: boolean };
}

interface ChooseFormData {
  area: { code: string; name: string; kind: string } | null;
  comparators: {
    method: string;
    characteristics: string[];
    period: string | null;
    revision: number;
    reason: string;
    comparators: { areaCode: string }[];
  } | null;
  publicIndicators: { code: string; name: string | null; periods: string[] }[];
  publicCouncils: { code: string; name: string }[];
  areas: { code: string; kind: string }[];
}

const notFound = (what: string): never => {
  throw new OperationFailed([{ code: 'NOT_FOUND', message: `${what} was not found`, extensions: {} }]);
};

/** Pilots against comparable councils: the comparison, choosing comparators, and uploading public values. */
export async function comparatorsRoutes(web: FastifyInstance, { graphql }: WebRouteDeps): Promise<void> {
  // The upload form's file, read into memory (up to the limit) with its name; its other fields as strings.
  await web.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 10 },
    onFile: async (part: MultipartFile) => {
      let content: Buffer | null = null;
      try {
        content = await part.toBuffer();
      } catch (err) {
        if ((err as { code?: string }).code !== 'FST_REQ_FILE_TOO_LARGE') throw err;
      }
      (part as unknown as { value: unknown }).value = { filename: part.filename, content };
    },
  });

  web.get(
    '/comparators',
    pageHandler(graphql, async (page) => {
      page.requireSignedIn();
      const [frame, pilotsRun] = await Promise.all([
        page.query<Frame>(FRAME),
        page.run<{ areas: { code: string; name: string; kind: string }[] }>(PILOTS),
      ]);
      const pilots = (pilotsRun.data?.areas ?? [])
        .filter((a) => a.kind === 'PILOT')
        .sort((a, b) => a.name.localeCompare(b.name));
      const indicators = frame.publicIndicators;
      const area =
        page.search.area || (page.user?.role === 'PILOT' ? page.user.area : '') || pilots[0]?.code || '';
      const outcomes = indicators.filter((i) => i.periods.length > 1);
      const indicator = page.search.indicator || outcomes[0]?.code || indicators[0]?.code || '';
      let versus: Versus | undefined;
      let problem: string | undefined;
      if (area && indicator) {
        const result = await page.run<{ pilotVersusComparators: Versus }>(VERSUS, {
          area,
          indicator,
          baseline: page.search.baseline || null,
          latest: page.search.latest || null,
        });
        if (result.errors.some((e) => e.code !== 'BAD_USER_INPUT')) throw new OperationFailed(result.errors);
        versus = result.data?.pilotVersusComparators ?? undefined;
        problem = result.errors[0]?.message.replace(/^Invalid [^:]+:\s*/, '');
      }
      const chart =
        versus && versus.series.length > 0
          ? await renderChart(seriesChartSpec(versus), seriesChartLabel(versus))
          : undefined;
      return page.render('comparators/compare', {
        pilots,
        indicators,
        area,
        indicator,
        versus,
        problem: problem ? problem.charAt(0).toUpperCase() + problem.slice(1) : undefined,
        sentence: versus ? estimateSentence(versus) : null,
        chart,
        chartData: versus ? seriesChartData(versus) : [],
        indicatorNames: Object.fromEntries(indicators.map((i) => [i.code, i.name ?? i.code])),
        viewer: frame.viewer,
        fmt: { figure, signed },
      });
    }),
  );

  web.get(
    '/comparators/upload',
    pageHandler(graphql, async (page) => {
      await page.requireMay('Mutation.importPublicIndicatorValues', {});
      return page.render('comparators/upload', { commandId: newCommandId(), errors: [] });
    }),
  );

  web.post(
    '/comparators/upload',
    pageHandler(graphql, async (page) => {
      await page.requireMay('Mutation.importPublicIndicatorValues', {});
      const body = (page.request.body ?? {}) as {
        file?: { filename?: string; content: Buffer | null };
        commandId?: string;
      };
      const file = body.file;
      const refuse = (errors: { text: string; href: string }[]) =>
        page.render(
          'comparators/upload',
          { commandId: newCommandId(), errors, fileError: errors[0]?.text },
          400,
        );
      if (!file || !file.filename) return refuse([{ text: 'Select a CSV file', href: '#file' }]);
      if (!file.content)
        return refuse([
          {
            text: `The selected file must be smaller than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`,
            href: '#file',
          },
        ]);
      if (!/\.csv$/i.test(file.filename))
        return refuse([{ text: 'The selected file must be a CSV file', href: '#file' }]);
      const result = await page.run<{
        importPublicIndicatorValues: {
          fileName: string;
          rowsInFile: number;
          rowsRecorded: number;
          alreadyImported: boolean;
        };
      }>(IMPORT, {
        input: {
          fileName: file.filename,
          csv: file.content.toString('utf8'),
          commandId: body.commandId || undefined,
        },
      });
      if (result.errors.length > 0) {
        if (result.errors.some((e) => e.code !== 'BAD_USER_INPUT')) throw new OperationFailed(result.errors);
        const problems = result.errors.flatMap((e) =>
          Array.isArray(e.extensions.problems)
            ? (e.extensions.problems as { message: string }[]).map((p) => p.message)
            : [e.message],
        );
        return refuse(
          problems.map((m) => {
            const text = m.replace(/^Invalid [^:]+:\s*/, '');
            return {
              text: `The selected file: ${text.charAt(0).toLowerCase()}${text.slice(1)}`.replace(
                /^The selected file: row/,
                'Row',
              ),
              href: '#file',
            };
          }),
        );
      }
      const done = result.data!.importPublicIndicatorValues;
      return page.redirect('/comparators', {
        success: done.alreadyImported
          ? { heading: `${done.fileName} had already been imported`, body: 'Nothing was changed.' }
          : {
              heading: `${done.fileName} imported`,
              body: `${done.rowsRecorded} of ${done.rowsInFile} rows recorded.`,
            },
      });
    }),
  );

  web.get(
    '/comparators/:area/choose',
    pageHandler(graphql, async (page) => {
      const code = page.params.area ?? '';
      await page.requireMay('Mutation.chooseComparators', { input: { pilotCode: code } });
      const data = await page.query<ChooseFormData>(CHOOSE_FORM, { area: code });
      if (!data.area || data.area.kind !== 'PILOT') notFound('The pilot area');
      const kept = shownState(page.takeForm(`comparators-${code}`));
      const current = data.comparators;
      const list = (name: string, fallback: string[]) =>
        kept.values[name] !== undefined ? kept.values[name].split(',').filter(Boolean) : fallback;
      const pilots = new Set(data.areas.filter((a) => a.kind === 'PILOT').map((a) => a.code));
      const periods = [...new Set(data.publicIndicators.flatMap((i) => i.periods))].sort();
      return page.render('comparators/choose', {
        area: data.area,
        current,
        values: {
          method: kept.values.method ?? current?.method ?? 'NEAREST_NEIGHBOURS',
          characteristics: list('characteristics', current?.characteristics ?? []),
          period: kept.values.period ?? current?.period ?? periods[0] ?? '',
          count: kept.values.count ?? '15',
          areaCodes: list(
            'areaCodes',
            current?.method === 'BY_HAND' ? current.comparators.map((c) => c.areaCode) : [],
          ),
          reason: kept.values.reason ?? current?.reason ?? '',
        },
        indicators: data.publicIndicators,
        periods,
        councils: data.publicCouncils.filter((c) => !pilots.has(c.code)),
        errors: kept.errors.summary,
        errorByField: kept.errors.byField,
        commandId: newCommandId(),
        expectedRevision: current?.revision,
      });
    }),
  );

  web.post(
    '/comparators/:area/choose',
    pageHandler(graphql, async (page) => {
      const code = page.params.area ?? '';
      await page.requireMay('Mutation.chooseComparators', { input: { pilotCode: code } });
      const b = page.body;
      const characteristics = page.values('characteristics');
      const areaCodes = page.values('areaCodes');
      const method = b.method === 'BY_HAND' ? 'BY_HAND' : 'NEAREST_NEIGHBOURS';
      const back = `/comparators/${encodeURIComponent(code)}/choose`;
      const keep = (errors: ReturnType<typeof pageProblems>) => {
        page.keepForm(
          keptState(
            `comparators-${code}`,
            { ...b, characteristics: characteristics.join(','), areaCodes: areaCodes.join(',') },
            errors,
          ),
        );
        return page.redirect(back);
      };
      if (method === 'NEAREST_NEIGHBOURS' && characteristics.length === 0)
        return keep(pageProblems({ characteristics: 'Select at least one characteristic' }));
      if (method === 'BY_HAND' && areaCodes.length === 0)
        return keep(pageProblems({ areaCodes: 'Select at least one council' }));
      const count = wholeNumber(b.count);
      if (method === 'NEAREST_NEIGHBOURS' && (count === undefined || Number.isNaN(count)))
        return keep(pageProblems({ count: 'Enter how many councils to choose, as a whole number like 15' }));
      const expected = wholeNumber(b.expectedRevision);
      const result = await page.run<{ chooseComparators: { revision: number } }>(CHOOSE, {
        input: {
          pilotCode: code,
          method,
          characteristics: method === 'NEAREST_NEIGHBOURS' ? characteristics : [],
          period: method === 'NEAREST_NEIGHBOURS' ? b.period || null : null,
          count: method === 'NEAREST_NEIGHBOURS' ? count : null,
          areaCodes: method === 'BY_HAND' ? areaCodes : [],
          reason: b.reason ?? '',
          commandId: b.commandId || undefined,
          expectedRevision: expected === undefined || Number.isNaN(expected) ? undefined : expected,
        },
      });
      if (result.errors.length > 0) {
        if (result.errors.some((e) => !['BAD_USER_INPUT', 'CONFLICT'].includes(e.code)))
          throw new OperationFailed(result.errors);
        return keep(
          refusals(result.errors, {
            fields: CHOOSE_FIELDS,
            labels: { count: 'The number of councils', reason: 'The reason' },
          }),
        );
      }
      return page.redirect(`/comparators?area=${encodeURIComponent(code)}`, {
        success: { heading: 'Comparators chosen', body: 'The comparison below uses the councils you chose.' },
      });
    }),
  );
}
