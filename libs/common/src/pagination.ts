import { BadUserInputError } from './errors.js';

/** Opaque keyset cursor: the sort key values of the last row seen. */
export function encodeCursor(values: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string, field = 'after'): (string | number)[] {
  try {
    const values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(values) && values.every((v) => typeof v === 'string' || typeof v === 'number'))
      return values;
  } catch {
    // fall through
  }
  throw BadUserInputError.field(field, 'is not a cursor this API issued');
}

export const MAX_PAGE_SIZE = 100;

/**
 * Most rows a page may hold when the server reads a list for a download, page after page in process (its own
 * export route, never a client's query): fewer pages, each run once through the same query and access rules.
 */
export const MAX_DOWNLOAD_PAGE_SIZE = 1000;

export function pageSize(
  first: number | undefined | null,
  field = 'first',
  fallback = 20,
  max = MAX_PAGE_SIZE,
): number {
  const n = first ?? fallback;
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw BadUserInputError.field(field, `must be between 1 and ${max}`);
  }
  return n;
}

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: PageInfo;
  totalCount?: number;
}

/**
 * Builds a connection from rows fetched with `limit + 1` (the extra row only tells whether there is a next
 * page) and a function giving each row's keyset values.
 */
export function toConnection<Row, T>(
  rows: readonly Row[],
  limit: number,
  key: (row: Row) => (string | number)[],
  map: (row: Row) => T,
  totalCount?: number,
): Connection<T> {
  const page = rows.slice(0, limit);
  const edges = page.map((r) => ({ cursor: encodeCursor(key(r)), node: map(r) }));
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: {
      hasNextPage: rows.length > limit,
      endCursor: edges.length ? edges[edges.length - 1].cursor : null,
    },
    totalCount,
  };
}

/** Orders text by code point (as PostgreSQL's C collation does): for sorting rows read apart by a name. */
export function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
