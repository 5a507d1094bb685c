import { dateProblem, isoDate } from '../forms.js';

/** How many items a page of the library shows. */
export const LIBRARY_PAGE_SIZE = 5;

export const LEARNING_TYPES = ['CASE_STUDY', 'LESSON_LEARNED', 'EVALUATION', 'TOOLKIT', 'GUIDANCE'] as const;

/** The types' names as a council officer reads them. */
export const LEARNING_TYPE_NAMES: Readonly<Record<string, string>> = {
  CASE_STUDY: 'Case study',
  LESSON_LEARNED: 'Lesson learned',
  EVALUATION: 'Evaluation',
  TOOLKIT: 'Toolkit',
  GUIDANCE: 'Guidance',
};

/** The library's search and filters, as typed into its GET form (every field a string or a list of them). */
export interface LibrarySearch {
  readonly text: string;
  readonly themes: string[];
  readonly types: string[];
  readonly area: string;
  readonly from: { day: string; month: string; year: string };
  readonly to: { day: string; month: string; year: string };
  readonly page: number;
}

/** The `learningLibrary` filter of a search, and the date fields a person must correct. */
export interface LibraryFilter {
  readonly filter: Record<string, unknown>;
  readonly errors: { text: string; href: string }[];
  readonly byField: Record<string, string>;
}

type Query = Readonly<Record<string, string | string[] | undefined>>;

function one(q: Query, name: string): string {
  const v = q[name];
  return (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim();
}

function many(q: Query, name: string): string[] {
  const v = q[name];
  const list = v === undefined ? [] : Array.isArray(v) ? v : [v];
  return [...new Set(list.map((s) => s.trim()).filter((s) => s !== ''))];
}

/** Reads the library's query string (`?q=…&theme=A&theme=B&type=…&area=…&from-day=…&page=2`). */
export function librarySearch(q: Query): LibrarySearch {
  const page = Number(one(q, 'page'));
  return {
    text: one(q, 'q').slice(0, 500),
    themes: many(q, 'theme'),
    types: many(q, 'type').filter((t) => (LEARNING_TYPES as readonly string[]).includes(t)),
    area: one(q, 'area'),
    from: { day: one(q, 'from-day'), month: one(q, 'from-month'), year: one(q, 'from-year') },
    to: { day: one(q, 'to-day'), month: one(q, 'to-month'), year: one(q, 'to-year') },
    page: Number.isInteger(page) && page >= 1 && page <= 1000 ? page : 1,
  };
}

/** The search as the API's filter; a date that is not a real date is the person's to correct (not the API's). */
export function libraryFilter(s: LibrarySearch): LibraryFilter {
  const filter: Record<string, unknown> = {};
  const errors: { text: string; href: string }[] = [];
  const byField: Record<string, string> = {};
  if (s.text) filter.text = s.text;
  if (s.themes.length) filter.themes = s.themes;
  if (s.types.length) filter.types = s.types;
  if (s.area) filter.areaCode = s.area;
  for (const [key, field, label] of [
    ['from', 'publishedFrom', 'Published on or after'],
    ['to', 'publishedTo', 'Published on or before'],
  ] as const) {
    const d = s[key];
    const iso = isoDate(d.day, d.month, d.year);
    if (iso === null) {
      // Named by the field's legend, as the form shows it.
      const text = dateProblem(`The “${label}” date`, d.day, d.month, d.year)!;
      errors.push({ text, href: `#${key}-day` });
      byField[key] = text;
    } else if (iso !== undefined) {
      filter[field] = iso;
    }
  }
  return { filter, errors, byField };
}

/** The query string of a search (for links to its other pages), without the page number. */
export function searchQuery(s: LibrarySearch): string {
  const params = new URLSearchParams();
  if (s.text) params.append('q', s.text);
  for (const t of s.themes) params.append('theme', t);
  for (const t of s.types) params.append('type', t);
  if (s.area) params.append('area', s.area);
  for (const key of ['from', 'to'] as const)
    for (const part of ['day', 'month', 'year'] as const)
      if (s[key][part]) params.append(`${key}-${part}`, s[key][part]);
  return params.toString();
}

/** Whether the search narrows the library at all (else it lists everything, newest first). */
export function isFiltered(s: LibrarySearch): boolean {
  return searchQuery(s) !== '';
}

export interface PaginationModel {
  previous?: { href: string };
  next?: { href: string };
  items: ({ number: number; href: string; current: boolean } | { ellipsis: true })[];
}

/**
 * govukPagination's parameters for page `page` of `pages` (undefined when there is only one page): the first,
 * the last, and the pages either side of the current one, with ellipses between.
 */
export function paginationModel(query: string, page: number, pages: number): PaginationModel | undefined {
  if (pages <= 1) return undefined;
  const href = (n: number) => `/learning?${query ? `${query}&` : ''}page=${n}`;
  const shown = [...new Set([1, page - 1, page, page + 1, pages])]
    .filter((n) => n >= 1 && n <= pages)
    .sort((a, b) => a - b);
  const items: PaginationModel['items'] = [];
  let last = 0;
  for (const n of shown) {
    if (n - last > 1) items.push({ ellipsis: true });
    items.push({ number: n, href: href(n), current: n === page });
    last = n;
  }
  return {
    ...(page > 1 ? { previous: { href: href(page - 1) } } : {}),
    ...(page < pages ? { next: { href: href(page + 1) } } : {}),
    items,
  };
}
