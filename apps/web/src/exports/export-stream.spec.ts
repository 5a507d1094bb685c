import { describe, expect, it } from '@jest/globals';
import type { FastifyRequest } from 'fastify';
import { OperationFailed, type OperationResult, type PageGraphQL } from '../graphql.js';
import { pagesOf } from './export-stream.js';

/** A list of `total` numbered rows behind a fake GraphQL, recording the variables of each page asked for. */
function listOf(total: number, refuseAfter?: string) {
  const asked: Record<string, unknown>[] = [];
  const graphql = {
    run(_request: unknown, _actor: unknown, _source: string, variables: Record<string, unknown>) {
      asked.push(variables);
      const after = variables.after as string | null;
      if (refuseAfter !== undefined && after === refuseAfter)
        return Promise.resolve({
          errors: [{ code: 'BAD_USER_INPUT', message: 'is not a cursor this API issued', extensions: {} }],
          readModelsBehind: [],
        } satisfies OperationResult<unknown>);
      const start = after === null ? 0 : Number(after);
      const rows = Array.from({ length: Math.min(variables.first as number, total - start) }, (_, i) => ({
        n: start + i,
      }));
      const end = start + rows.length;
      return Promise.resolve({
        data: { rows, next: end < total ? String(end) : null },
        errors: [],
        readModelsBehind: [],
      } satisfies OperationResult<unknown>);
    },
  } as unknown as PageGraphQL;
  const list = {
    document: 'query',
    variables: { filter: { area: 'E06000008' } },
    page: (data: unknown) => data as { rows: { n: number }[]; next: string | null },
  };
  return { graphql, list, asked };
}

const request = {} as FastifyRequest;

async function all<T>(rows: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const row of rows) out.push(row);
  return out;
}

describe('a download read page after page', () => {
  it('reads every page to the end, each after the last one’s end, with the list’s own variables', async () => {
    const { graphql, list, asked } = listOf(2_500);
    const rows = await all(await pagesOf(graphql, request, undefined, list, 1_000));
    expect(rows.map((r) => r.n)).toEqual(Array.from({ length: 2_500 }, (_, i) => i));
    expect(asked).toEqual([
      { filter: { area: 'E06000008' }, first: 1_000, after: null },
      { filter: { area: 'E06000008' }, first: 1_000, after: '1000' },
      { filter: { area: 'E06000008' }, first: 1_000, after: '2000' },
    ]);
  });

  it('reads the next page only when the rows before it have been taken', async () => {
    const { graphql, list, asked } = listOf(250);
    const rows = (await pagesOf(graphql, request, undefined, list, 100))[Symbol.asyncIterator]();
    expect(asked).toHaveLength(1); // the first page, before anything is sent
    for (let i = 0; i < 100; i++) await rows.next();
    expect(asked).toHaveLength(1);
    await rows.next();
    expect(asked).toHaveLength(2);
  });

  it('refuses before anything is sent when the first page is refused, and fails part way on a later one', async () => {
    const refusedAtOnce = listOf(10);
    (refusedAtOnce.graphql as unknown as { run: unknown }).run = () =>
      Promise.resolve({
        errors: [{ code: 'FORBIDDEN', message: 'Not yours', extensions: {} }],
        readModelsBehind: [],
      });
    await expect(pagesOf(refusedAtOnce.graphql, request, undefined, refusedAtOnce.list, 5)).rejects.toThrow(
      OperationFailed,
    );
    const later = listOf(10, '5');
    await expect(all(await pagesOf(later.graphql, request, undefined, later.list, 5))).rejects.toThrow(
      'BAD_USER_INPUT: is not a cursor this API issued',
    );
  });
});
