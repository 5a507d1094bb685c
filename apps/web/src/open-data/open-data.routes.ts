import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Column, TabularFormat } from '@iap/tabular';
import { OperationFailed, PageGraphQL } from '../graphql.js';
import { pageHandler } from '../page.js';
import type { WebRouteDeps } from '../routes.js';
import { EXPORT_LISTS, money, pageSizeOf } from '../exports/export-lists.js';
import { pagesOf, refuse, sendTable } from '../exports/export-stream.js';
import {
  type GrantAward,
  GRANT_COLUMNS,
  grantOf,
  grantPackage,
  openDataSettings,
} from './three-sixty-giving.js';

/** The licence of everything published here. */
export const OPEN_DATA_LICENCE = {
  name: 'Open Government Licence v3.0',
  url: 'https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/',
};

const GRANTS_QUERY = '{ grantAwards { areaCode areaName year fundingStream amountPence awardedAt } }';
const TOTALS_QUERY = `{ programmeTotals { year pilots allocatedPence committedPence spentPence spendRate matchCashPence
  matchInKindPence learningPublished learningAdoptions } }`;

type Row = Record<string, unknown>;
const TOTALS_COLUMNS: readonly Column<Row>[] = [
  { header: 'Financial year', value: (r) => r.year as string },
  { header: 'Pilots', value: (r) => r.pilots as number },
  ...money('Allocated', 'allocatedPence'),
  ...money('Committed', 'committedPence'),
  ...money('Spent', 'spentPence'),
  { header: 'Spend rate (spent ÷ allocated)', value: (r) => r.spendRate as number | null },
  ...money('Match funding in cash', 'matchCashPence'),
  ...money('Match funding in kind', 'matchInKindPence'),
  { header: 'Learning published', value: (r) => r.learningPublished as number },
  { header: 'Adoptions of learning', value: (r) => r.learningAdoptions as number },
];

/**
 * Open data, for anyone (Open Government Licence v3.0): the programme's grants in the 360Giving Data Standard
 * (JSON, and its flat spreadsheet form), published learning and the programme's totals by year (CSV and JSON), and
 * a page listing them. Each runs the API's own public query as an anonymous visitor, whoever asks: what is
 * published is what the API gives anyone.
 */
export async function openDataRoutes(web: FastifyInstance, deps: WebRouteDeps): Promise<void> {
  const settings = deps.settings.openData ?? openDataSettings(process.env);
  const graphql = new PageGraphQL(web);
  const anonymous = async <T>(request: FastifyRequest, source: string): Promise<T> =>
    graphql.query<T>(request, undefined, source);
  const licensed = (reply: FastifyReply) =>
    reply
      .header('link', `<${OPEN_DATA_LICENCE.url}>; rel="license"`)
      .header('access-control-allow-origin', '*');

  web.get(
    '/open-data',
    pageHandler(deps.graphql, async (page) =>
      page.render('open-data/index', { licence: OPEN_DATA_LICENCE, illustrative: settings.illustrative }),
    ),
  );

  web.get('/open-data/:file', async (request: FastifyRequest, reply: FastifyReply) => {
    const file = (request.params as { file: string }).file;
    try {
      switch (file) {
        case '360giving.json': {
          const { grantAwards } = await anonymous<{ grantAwards: GrantAward[] }>(request, GRANTS_QUERY);
          return licensed(reply)
            .header('cache-control', 'no-cache')
            .type('application/json; charset=utf-8')
            .send(grantPackage(grantAwards, settings, new Date()));
        }
        case '360giving.csv':
        case '360giving.xlsx': {
          const { grantAwards } = await anonymous<{ grantAwards: GrantAward[] }>(request, GRANTS_QUERY);
          const format = file.endsWith('.csv') ? 'csv' : 'xlsx';
          return sendTable(
            request,
            licensed(reply),
            format,
            '360giving',
            toAsync(grantAwards.map((a) => grantOf(a, settings))),
            GRANT_COLUMNS,
            'grants',
          );
        }
        case 'programme-totals.json': {
          const { programmeTotals } = await anonymous<{ programmeTotals: Row[] }>(request, TOTALS_QUERY);
          return licensed(reply)
            .header('cache-control', 'no-cache')
            .type('application/json; charset=utf-8')
            .send({ licence: OPEN_DATA_LICENCE, programmeTotals });
        }
        case 'programme-totals.csv': {
          const { programmeTotals } = await anonymous<{ programmeTotals: Row[] }>(request, TOTALS_QUERY);
          return sendTable(
            request,
            licensed(reply),
            'csv',
            'programme-totals',
            toAsync(programmeTotals),
            TOTALS_COLUMNS,
            'Programme totals',
          );
        }
        case 'learning.csv':
        case 'learning.json': {
          const list = EXPORT_LISTS.get('learning')!;
          const rows = await pagesOf(
            graphql,
            request,
            undefined,
            { document: list.document, variables: list.variables({}), page: list.page },
            pageSizeOf(list),
          );
          if (file.endsWith('.csv'))
            return sendTable(
              request,
              licensed(reply),
              'csv' as TabularFormat,
              'learning',
              rows,
              list.columns,
              list.title,
            );
          const learning: Row[] = [];
          for await (const row of rows) learning.push(row);
          return licensed(reply)
            .header('cache-control', 'no-cache')
            .type('application/json; charset=utf-8')
            .send({ licence: OPEN_DATA_LICENCE, learning });
        }
        default:
          throw new OperationFailed([{ code: 'NOT_FOUND', message: 'No such dataset', extensions: {} }]);
      }
    } catch (err) {
      if (err instanceof OperationFailed && err.code !== 'NOT_FOUND') return refuse(request, reply, err);
      throw err;
    }
  });
}

async function* toAsync<T>(rows: readonly T[]): AsyncIterable<T> {
  yield* rows;
}
