import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { TABULAR_FORMATS, type TabularFormat } from '@iap/tabular';
import { OperationFailed, PageGraphQL } from '../graphql.js';
import type { WebRouteDeps } from '../routes.js';
import { EXPORT_LISTS, pageSizeOf } from './export-lists.js';
import { downloaderOf, pagesOf, refuse, sendTable } from './export-stream.js';

const FILE = /^([a-z]+)\.([a-z]+)$/;

/**
 * Every list the API gives, as a CSV or XLSX download: `GET /exports/<list>.<csv|xlsx>?<the list page's filters>`,
 * for the person signed in (the pages' "Download" links) or a bearer token (scripts). Each runs the list's own
 * GraphQL query as that person, a page at a time, and streams its rows: the filters, validation and access rules
 * are the API's, and memory stays constant whatever the length of the list.
 */
export async function exportRoutes(web: FastifyInstance, _deps: WebRouteDeps): Promise<void> {
  // Not the pages' cache: a download's pages are read once, and would only push out the pages' answers.
  const graphql = new PageGraphQL(web);
  web.get('/exports/:file', async (request: FastifyRequest, reply: FastifyReply) => {
    const [, name, format] = FILE.exec((request.params as { file: string }).file) ?? [];
    const list = EXPORT_LISTS.get(name ?? '');
    if (!list || !(TABULAR_FORMATS as readonly string[]).includes(format ?? ''))
      throw new OperationFailed([{ code: 'NOT_FOUND', message: 'No such download', extensions: {} }]);
    const actor = downloaderOf(request);
    const query = (request.query ?? {}) as Record<string, string | string[]>;
    try {
      const rows = await pagesOf(
        graphql,
        request,
        actor,
        { document: list.document, variables: list.variables(query), page: list.page },
        pageSizeOf(list),
      );
      return sendTable(request, reply, format as TabularFormat, list.name, rows, list.columns, list.title);
    } catch (err) {
      if (err instanceof OperationFailed) return refuse(request, reply, err);
      throw err;
    }
  });
}
