import type { FastifyInstance } from 'fastify';
import { todayInEngland } from '../../../../src/shared/periods.js';
import { renderChart } from '../charts.js';
import { date as formatDate } from '../format.js';
import { OperationFailed } from '../graphql.js';
import { CACHED_PER_PERSON, pageHandler } from '../page.js';
import type { WebRouteDeps } from '../routes.js';
import { historyLink } from './history.view.js';
import {
  ACTION_STATUSES,
  beforeFirstRecord,
  type PilotComparison,
  RETURN_TAG,
  countOf,
  endOfDayInEngland,
  fundingChartData,
  fundingChartLabel,
  fundingChartSpec,
  programmeQuery,
  programmeTotals,
  sourcesHref,
  yearsOffered,
} from './programme.view.js';
import { quarterSlug } from './returns.view.js';

export const FRAME = `query ProgrammeFrame {
  indicatorCatalogue { code name unit retired }
  viewer { role traces: may(operation: "Query.figureSources", args: { areaCode: "E06000008", figure: "SPENT", year: "2019-20" }) }
}`;

/**
 * The years the pilots are funded for, and when the first area was registered (the programme's earliest record):
 * the areas' records, which not every signed-in person may read.
 */
export const YEARS = `query FundedYears { areas { code kind registeredAt fundingYears { year } } }`;

export const COMPARE = `query ComparePilots($year: String!, $indicators: [String!], $asOf: DateTime) {
  comparePilots(year: $year, indicators: $indicators, asOf: $asOf) {
    areaCode areaName allocatedPence committedPence spentPence spendRate matchCashPence matchInKindPence
    actionsByStatus { status count }
    indicators {
      indicatorCode baseline { value date } latest { value periodLabel } nextTarget { value date } progress
    }
    returns { quarter status }
    learningPublished learningAdoptions
  }
}`;

const SOURCES = `query FigureSources($areaCode: String!, $figure: Figure!, $year: String, $indicatorCode: String, $asOf: DateTime) {
  figureSources(areaCode: $areaCode, figure: $figure, year: $year, indicatorCode: $indicatorCode, asOf: $asOf) {
    eventId type streamId revision recordedAt actorName actorRole summary
  }
}`;

/** The figures whose sources can be listed, by their name in a URL. */
const FIGURES: Readonly<Record<string, { figure: string; name: string }>> = {
  allocated: { figure: 'ALLOCATED', name: 'Grant allocated' },
  committed: { figure: 'COMMITTED', name: 'Funds committed' },
  spent: { figure: 'SPENT', name: 'Spend reported' },
  'match-funding': { figure: 'MATCH_FUNDING', name: 'Match funding' },
  'overspend-approved': { figure: 'OVERSPEND_APPROVED', name: 'Overspend approved' },
  actions: { figure: 'ACTIONS', name: 'Actions' },
  indicator: { figure: 'INDICATOR', name: 'Indicator' },
  returns: { figure: 'RETURNS', name: 'Quarterly returns' },
  learning: { figure: 'LEARNING', name: 'Learning' },
};

interface Frame {
  areas?: { code: string; kind: string; registeredAt: string; fundingYears: { year: string }[] }[];
  indicatorCatalogue?: { code: string; name: string; unit: string; retired: boolean }[];
  viewer?: { role: string | null; traces: boolean };
}

/** The programme overview (/programme) and the events behind each of its figures (/programme/sources/…). */
export async function programmeRoutes(web: FastifyInstance, { graphql }: WebRouteDeps): Promise<void> {
  web.get(
    '/programme',
    { config: CACHED_PER_PERSON },
    pageHandler(graphql, async (page) => {
      page.requireSignedIn();
      const today = todayInEngland(new Date());
      // What the page offers: the years funded, the indicator catalogue, and whether figures can be traced.
      const [frameData, funding] = await Promise.all([
        page.query<Frame>(FRAME),
        page.run<Pick<Frame, 'areas'>>(YEARS),
      ]);
      const frame = { data: frameData };
      const funded = (funding.data?.areas ?? [])
        .filter((a) => a.kind === 'PILOT')
        .flatMap((a) => a.fundingYears.map((y) => y.year));
      const search = page.request.query as Record<string, string | string[] | undefined>;
      const query = programmeQuery(search, yearsOffered(funded), today);
      const years = yearsOffered(funded, query.year);
      // A day before the first area was registered: said as such (no figures, and no indicator to leave out).
      const registered = (funding.data?.areas ?? []).map((a) => a.registeredAt).sort();
      const nothingYet = beforeFirstRecord(query.asOfDate, registered[0]);
      // One asOf query per page request (it reads a snapshot for the rest of the request): the comparison, last.
      const compared = nothingYet
        ? { errors: [], data: { comparePilots: [] as PilotComparison[] } }
        : await page.run<{ comparePilots: PilotComparison[] }>(COMPARE, {
            year: query.year,
            asOf: query.asOf ?? null,
            indicators: query.indicators,
          });
      if (
        compared.errors.some(
          (e) =>
            e.code === 'BAD_USER_INPUT' &&
            (e.field === 'indicators' || /^Invalid indicators:/.test(e.message)),
        )
      ) {
        // An indicator not yet in the catalogue on the date asked: the same figures without the indicators.
        const again = new URLSearchParams(page.request.url.split('?')[1] ?? '');
        again.delete('indicator');
        again.set('indicators', 'chosen');
        return page.redirect(`/programme?${again.toString()}`, {
          notice: `The indicators you chose were not in the catalogue yet on ${formatDate(query.asOfDate)}: they are left out.`,
        });
      }
      if (compared.errors.length || !compared.data) throw new OperationFailed(compared.errors);
      const rows = compared.data.comparePilots;
      const catalogue = (frame.data?.indicatorCatalogue ?? []).filter(
        (i) => !i.retired || query.indicators.includes(i.code),
      );
      const chart = rows.length
        ? await renderChart(
            fundingChartSpec(rows, query.year),
            fundingChartLabel(query.year, formatDate(query.asOfDate)),
          )
        : undefined;
      const traces = frame.data?.viewer?.traces === true;
      const link = (areaCode: string, figure: string, indicator?: string) =>
        traces ? sourcesHref(areaCode, figure, query, indicator) : undefined;
      return page.render('central/programme', {
        query,
        years,
        today,
        beforeFirstRecord: nothingYet,
        rows: rows.map((r) => ({
          ...r,
          links: {
            allocated: link(r.areaCode, 'ALLOCATED'),
            committed: link(r.areaCode, 'COMMITTED'),
            spent: link(r.areaCode, 'SPENT'),
            match: link(r.areaCode, 'MATCH_FUNDING'),
            actions: link(r.areaCode, 'ACTIONS'),
            returns: link(r.areaCode, 'RETURNS'),
            learning: link(r.areaCode, 'LEARNING'),
          },
          actionCounts: ACTION_STATUSES.map((s) => countOf(r.actionsByStatus, s)),
          returnTags: r.returns.map((q) => ({
            quarter: q.quarter,
            tag: RETURN_TAG[q.status] ?? { text: q.status, classes: 'govuk-tag--grey' },
            reviewHref:
              q.status === 'SUBMITTED' && frame.data?.viewer?.role === 'CENTRAL'
                ? `/returns/${r.areaCode}/${quarterSlug(q.quarter)}`
                : undefined,
          })),
        })),
        summary: programmeTotals(rows),
        actionStatuses: ACTION_STATUSES,
        chosenIndicators: query.indicators.map((code) => {
          const known = catalogue.find((i) => i.code === code);
          return {
            code,
            name: known?.name ?? code,
            unit: known?.unit,
            rows: rows.map((r) => ({
              areaCode: r.areaCode,
              areaName: r.areaName,
              indicator: r.indicators.find((i) => i.indicatorCode === code),
              href: link(r.areaCode, 'INDICATOR', code),
            })),
          };
        }),
        catalogue,
        chart,
        chartData: fundingChartData(rows),
        errors: query.errors.map((e) => ({ text: e.text, href: `#${e.field}` })),
        errorByField: Object.fromEntries(query.errors.map((e) => [e.field, e.text])),
      });
    }),
  );

  web.get(
    '/programme/sources/:area/:figure',
    pageHandler(graphql, async (page) => {
      page.requireSignedIn();
      const figure = FIGURES[page.params.figure ?? ''];
      if (!figure)
        throw new OperationFailed([{ code: 'NOT_FOUND', message: 'No such figure', extensions: {} }]);
      const areaCode = page.params.area ?? '';
      const year = page.search.year || null;
      const indicatorCode = figure.figure === 'INDICATOR' ? page.search.indicator || null : null;
      const asOfDate = /^\d{4}-\d{2}-\d{2}$/.test(page.search.asOf ?? '') ? page.search.asOf : undefined;
      const { figureSources } = await page.query<{ figureSources: SourceEntry[] }>(SOURCES, {
        areaCode,
        figure: figure.figure,
        year,
        indicatorCode,
        asOf: asOfDate ? endOfDayInEngland(asOfDate) : null,
      });
      const names = await page.run<{ area: { name: string } | null; indicator: { name: string } | null }>(
        `query Names($code: String!, $indicator: String!) { area(code: $code) { name } indicator(code: $indicator) { name } }`,
        { code: areaCode, indicator: indicatorCode ?? 'NONE' },
      );
      const areaName = names.data?.area?.name ?? areaCode;
      const back = new URLSearchParams();
      if (year) back.set('year', year);
      if (asOfDate) {
        const [y, m, d] = asOfDate.split('-');
        back.set('asOf-day', String(Number(d)));
        back.set('asOf-month', String(Number(m)));
        back.set('asOf-year', y!);
      }
      return page.render('central/sources', {
        figure,
        areaCode,
        areaName,
        year,
        asOfDate,
        indicatorName: names.data?.indicator?.name ?? indicatorCode,
        entries: figureSources.map((e) => ({ ...e, href: historyLink(e.streamId) })),
        backHref: `/programme?${back.toString()}`,
      });
    }),
  );
}

interface SourceEntry {
  eventId: string;
  type: string;
  streamId: string;
  revision: number;
  recordedAt: string;
  actorName: string | null;
  actorRole: string | null;
  summary: string;
}
