import { PassThrough } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type AuthActor, actorOfRequest } from '@iap/auth';
import { CONTENT_TYPES, type Column, type TabularFormat, writeTable } from '@iap/tabular';
import { OperationFailed, type PageGraphQL } from '../graphql.js';
import { actorOf, userOf } from '../session.js';
import { markDownload } from '../../../../src/shared/read-db.js';

/**
 * Who a download is for: the bearer token's person when the request carries one (scripts), else the person
 * signed in to the web service (the links on its pages), else an anonymous visitor.
 */
export function downloaderOf(request: FastifyRequest): AuthActor | undefined {
  if (request.headers.authorization) return actorOfRequest(request);
  const hasSession = (request as unknown as { session?: unknown }).session !== undefined;
  return hasSession ? actorOf(userOf(request)) : undefined;
}

/** The HTTP status of a refused operation. */
const STATUS: Readonly<Record<string, number>> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
};

/**
 * Answers a refusal: a browser gets the service's GOV.UK page (sign in, 403, 404, 400), a script the API's
 * errors as JSON with the matching status.
 */
export function refuse(request: FastifyRequest, reply: FastifyReply, failure: OperationFailed): FastifyReply {
  if ((request.headers.accept ?? '').includes('text/html') && !request.headers.authorization) {
    if (failure.code === 'BAD_USER_INPUT')
      throw Object.assign(new Error(failure.errors[0]?.message ?? 'Bad request'), { statusCode: 400 });
    throw failure;
  }
  return reply
    .code(STATUS[failure.code] ?? 500)
    .header('cache-control', 'no-store')
    .send({
      errors: failure.errors.map((e) => ({
        message: e.message,
        extensions: { code: e.code, ...(e.field ? { field: e.field } : {}) },
      })),
    });
}

/** A paged GraphQL list: the first page's variables, and how to read a page of its answer. */
export interface PagedQuery<Row> {
  readonly document: string;
  readonly variables: Record<string, unknown>;
  page(data: unknown): { rows: readonly Row[]; next: string | null };
}

/**
 * Runs a list's query as `actor`, page after page (each page's `after` the last one's end), yielding its rows.
 * The first page is read before anything is sent, so that a refusal is answered as one; a later page refused
 * (the read models changed under the cursor, say) ends the download with an error.
 */
export async function pagesOf<Row>(
  graphql: PageGraphQL,
  request: FastifyRequest,
  actor: AuthActor | undefined,
  list: PagedQuery<Row>,
  pageSize: number,
): Promise<AsyncIterable<Row>> {
  const read = async (after: string | null) => {
    const result = await graphql.run(request, actor, list.document, {
      ...list.variables,
      first: pageSize,
      after,
    });
    if (result.errors.length > 0 || result.data === undefined) throw new OperationFailed(result.errors);
    return list.page(result.data);
  };
  markDownload();
  const first = await read(null);
  return (async function* () {
    let page = first;
    for (;;) {
      yield* page.rows;
      if (page.next === null) return;
      page = await read(page.next);
    }
  })();
}

/** Sends rows as a CSV or XLSX download named `<name>-<date>.<format>`, streamed as they are read. */
export function sendTable<Row>(
  request: FastifyRequest,
  reply: FastifyReply,
  format: TabularFormat,
  name: string,
  rows: AsyncIterable<Row>,
  columns: readonly Column<Row>[],
  sheetName: string,
): FastifyReply {
  const body = new PassThrough();
  const file = `${name}-${new Date().toISOString().slice(0, 10)}.${format}`;
  writeTable(format, rows, columns, body, { sheetName }).catch((err: unknown) => {
    request.log.error({ err }, 'Download failed part way');
    body.destroy(err as Error);
  });
  return reply
    .header('content-type', CONTENT_TYPES[format])
    .header('content-disposition', `attachment; filename="${file}"`)
    .header('cache-control', 'no-store')
    .send(body);
}
