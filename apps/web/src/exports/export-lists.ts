import { MAX_DOWNLOAD_PAGE_SIZE, MAX_PAGE_SIZE } from '@iap/common';
import { type Column, penceToPounds } from '@iap/tabular';
import { libraryFilter, librarySearch } from '../learning/library.js';

type Query = Readonly<Record<string, string | string[] | undefined>>;
type Row = Record<string, unknown>;

/** One page of a list, as its GraphQL query answers it. */
export interface ListPage {
  readonly rows: readonly Row[];
  /** The `after` of the next page; null on the last page. */
  readonly next: string | null;
}

/**
 * A list the API gives, as a download: the GraphQL query that reads it (run as the person asking, so that its
 * filters, validation and access rules are the API's own), the variables a query string gives it (the same names
 * as the web page that shows the list), how to read a page of its answer, and the columns of the file.
 */
export interface ExportList {
  readonly name: string;
  /** What the file holds, for its worksheet and the page that links to it. */
  readonly title: string;
  readonly document: string;
  /** The query's variables from the query string (`after` is added page by page). */
  variables(query: Query): Record<string, unknown>;
  page(data: unknown): ListPage;
  readonly columns: readonly Column<Row>[];
  /** Rows a download reads per page (default EXPORT_PAGE_SIZE): fewer for a list whose rows may be long. */
  readonly pageSize?: number;
}

/**
 * Rows a download reads per page: the most a download's page may hold (pagesOf marks the request as one, see
 * markDownload). Pages of 1,000 rather than the API's 100 made a CSV download of 100,000 actions about 1.7 times
 * as fast (bench:exports), for about 6 MiB more resident memory at the peak.
 */
export const EXPORT_PAGE_SIZE = MAX_DOWNLOAD_PAGE_SIZE;

/**
 * Rows per page of a list whose rows the API lets be long (a measurement's note of 4,000 characters; a learning
 * item's 20 evidence links of 2,000): a page of them, held while it is written, stays a few MB at the worst.
 */
const LONG_ROWS_PAGE_SIZE = MAX_PAGE_SIZE;

/** The rows a download of `list` reads per page. */
export function pageSizeOf(list: ExportList): number {
  return list.pageSize ?? EXPORT_PAGE_SIZE;
}

function one(q: Query, name: string): string | undefined {
  const v = q[name];
  const s = (Array.isArray(v) ? v[0] : v)?.trim();
  return s ? s : undefined;
}

const text = (header: string, key: string): Column<Row> => ({
  header,
  value: (r) => (r[key] === null || r[key] === undefined ? null : String(r[key] as string)),
});
const number = (header: string, key: string): Column<Row> => ({
  header,
  value: (r) => (r[key] === null || r[key] === undefined ? null : Number(r[key])),
});
const list = (header: string, key: string): Column<Row> => ({
  header,
  value: (r) => ((r[key] as string[] | null) ?? []).join('; '),
});
/** A sum of money: its pence column, and the same in pounds (exact). */
export const money = (what: string, key: string): Column<Row>[] => [
  { header: `${what} (pence)`, value: (r) => r[key] as number },
  { header: `${what} (£)`, value: (r) => penceToPounds(r[key] as number) },
];

/**
 * A list read a page at a time through its connection `field(<variable>, first, after)`: the query (named
 * `operation`, taking the list's one variable, `[name, GraphQL type]`, reading `nodes`), and how to read its page.
 */
function paged(
  operation: string,
  field: string,
  [variable, type]: readonly [string, string],
  nodes: string,
): Pick<ExportList, 'document' | 'page'> {
  return {
    document: `query ${operation}($${variable}: ${type}, $first: Int, $after: String) {
    ${field}(${variable}: $${variable}, first: $first, after: $after) {
      nodes { ${nodes} }
      pageInfo { hasNextPage endCursor }
    }
  }`,
    page: (data) => {
      const c = (data as Row)[field] as {
        nodes: Row[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
      return { rows: c.nodes, next: c.pageInfo.hasNextPage ? c.pageInfo.endCursor : null };
    },
  };
}

const actions: ExportList = {
  name: 'actions',
  title: 'Actions',
  ...paged(
    'ExportActions',
    'actions',
    ['filter', 'ActionFilter'],
    `id areaCode title status themes plannedStart plannedEnd startedOn completedOn cancelledOn
      milestones { reachedOn } createdAt updatedAt`,
  ),
  variables: (q) => ({
    filter: { areaCode: one(q, 'area'), status: one(q, 'status'), theme: one(q, 'theme') },
  }),
  columns: [
    text('Action id', 'id'),
    text('Area code', 'areaCode'),
    text('Title', 'title'),
    text('Status', 'status'),
    list('Themes', 'themes'),
    text('Planned start', 'plannedStart'),
    text('Planned end', 'plannedEnd'),
    text('Started on', 'startedOn'),
    text('Completed on', 'completedOn'),
    text('Cancelled on', 'cancelledOn'),
    { header: 'Milestones', value: (r) => (r.milestones as unknown[]).length },
    {
      header: 'Milestones reached',
      value: (r) => (r.milestones as { reachedOn: string | null }[]).filter((m) => m.reachedOn).length,
    },
    text('Created at', 'createdAt'),
    text('Updated at', 'updatedAt'),
  ],
};

const measurements: ExportList = {
  name: 'measurements',
  pageSize: LONG_ROWS_PAGE_SIZE,
  title: 'Measurements',
  ...paged(
    'ExportMeasurements',
    'measurements',
    ['filter', 'MeasurementFilter'],
    `id areaCode indicatorCode periodLabel periodStart periodEnd value originalValue sampleSize denominator
      source evidenceUrl note corrections correctionReason recordedAt correctedAt`,
  ),
  variables: (q) => ({
    filter: {
      areaCode: one(q, 'area'),
      indicatorCode: one(q, 'indicator'),
      theme: one(q, 'theme'),
      periodFrom: one(q, 'from'),
      periodTo: one(q, 'to'),
    },
  }),
  columns: [
    text('Measurement id', 'id'),
    text('Area code', 'areaCode'),
    text('Indicator code', 'indicatorCode'),
    text('Period', 'periodLabel'),
    text('Period start', 'periodStart'),
    text('Period end', 'periodEnd'),
    number('Value', 'value'),
    number('Value first recorded', 'originalValue'),
    number('Sample size', 'sampleSize'),
    number('Denominator', 'denominator'),
    text('Source', 'source'),
    text('Evidence link', 'evidenceUrl'),
    text('Note', 'note'),
    number('Corrections', 'corrections'),
    text('Reason for last correction', 'correctionReason'),
    text('Recorded at', 'recordedAt'),
    text('Corrected at', 'correctedAt'),
  ],
};

const activity: ExportList = {
  name: 'activity',
  title: 'Activity',
  ...paged(
    'ExportActivity',
    'activity',
    ['areaCode', 'String'],
    'eventId recordedAt areaCode type summary actorName actorRole streamId',
  ),
  variables: (q) => ({ areaCode: one(q, 'area') }),
  columns: [
    text('Recorded at', 'recordedAt'),
    text('Area code', 'areaCode'),
    text('What happened', 'summary'),
    text('Event type', 'type'),
    text('Who', 'actorName'),
    text('Role', 'actorRole'),
    text('Record', 'streamId'),
    text('Event id', 'eventId'),
  ],
};

const learning: ExportList = {
  name: 'learning',
  pageSize: LONG_ROWS_PAGE_SIZE,
  title: 'Learning library',
  ...paged(
    'ExportLearning',
    'learningLibrary',
    ['filter', 'LearningLibraryFilter'],
    'id areaCode type title summary themes publishedOn adoptionCount evidenceLinks { url }',
  ),
  // The library page's own search (`q`, `theme`, `type`, `area`, `from-*`, `to-*`), read as the page reads it.
  variables: (q) => ({ filter: libraryFilter(librarySearch(q)).filter }),
  columns: [
    text('Item id', 'id'),
    text('Area code', 'areaCode'),
    text('Type', 'type'),
    text('Title', 'title'),
    text('Summary', 'summary'),
    list('Themes', 'themes'),
    text('Published on', 'publishedOn'),
    number('Councils adopting it', 'adoptionCount'),
    {
      header: 'Evidence links',
      value: (r) => (r.evidenceLinks as { url: string }[]).map((l) => l.url).join(' '),
    },
  ],
};

/** Lists read under one area: a single page (an area has few years and quarters). */
function whole(field: (data: Row) => Row[]) {
  return (data: unknown): ListPage => ({ rows: field(data as Row), next: null });
}

const spend: ExportList = {
  name: 'spend',
  title: 'Spend',
  document: `query ExportSpend($areaCode: String!) {
    area(code: $areaCode) { code fundingYears { year spend { actionId quarter amountPence originalPence corrections note reportedAt correctedAt } } }
  }`,
  variables: (q) => ({ areaCode: one(q, 'area') ?? '' }),
  page: whole((d) => {
    const area = d.area as { code: string; fundingYears: { year: string; spend: Row[] }[] } | null;
    return (area?.fundingYears ?? []).flatMap((y) =>
      y.spend.map((s) => ({ ...s, areaCode: area!.code, year: y.year })),
    );
  }),
  columns: [
    text('Area code', 'areaCode'),
    text('Financial year', 'year'),
    text('Quarter', 'quarter'),
    text('Action id', 'actionId'),
    ...money('Spend', 'amountPence'),
    ...money('Spend first reported', 'originalPence'),
    number('Corrections', 'corrections'),
    text('Note', 'note'),
    text('Reported at', 'reportedAt'),
    text('Corrected at', 'correctedAt'),
  ],
};

const returns: ExportList = {
  name: 'returns',
  title: 'Quarterly returns',
  document: `query ExportReturns($areaCode: String!, $year: String) {
    area(code: $areaCode) { returns(year: $year) { areaCode quarter startDate endDate status locked submissions submittedAt decidedAt } }
  }`,
  variables: (q) => ({ areaCode: one(q, 'area') ?? '', year: one(q, 'year') }),
  page: whole((d) => (d.area as { returns: Row[] } | null)?.returns ?? []),
  columns: [
    text('Area code', 'areaCode'),
    text('Quarter', 'quarter'),
    text('Start date', 'startDate'),
    text('End date', 'endDate'),
    text('Status', 'status'),
    { header: 'Locked', value: (r) => (r.locked ? 'yes' : 'no') },
    number('Submissions', 'submissions'),
    text('Submitted at', 'submittedAt'),
    text('Decided at', 'decidedAt'),
  ],
};

const comparison: ExportList = {
  name: 'comparison',
  title: 'Pilots compared',
  document: `query ExportComparison($year: String!) {
    comparePilots(year: $year) {
      areaCode areaName year allocatedPence committedPence spentPence overspendApprovedPence spendRate
      matchCashPence matchInKindPence actionsByStatus { status count }
    }
  }`,
  variables: (q) => ({ year: one(q, 'year') ?? '' }),
  page: whole((d) => d.comparePilots as Row[]),
  columns: [
    text('Area code', 'areaCode'),
    text('Area', 'areaName'),
    text('Financial year', 'year'),
    ...money('Allocated', 'allocatedPence'),
    ...money('Committed', 'committedPence'),
    ...money('Spent', 'spentPence'),
    ...money('Overspend approved', 'overspendApprovedPence'),
    number('Spend rate (spent ÷ allocated)', 'spendRate'),
    ...money('Match funding in cash', 'matchCashPence'),
    ...money('Match funding in kind', 'matchInKindPence'),
    {
      header: 'Actions',
      value: (r) => (r.actionsByStatus as { count: number }[]).reduce((n, s) => n + s.count, 0),
    },
  ],
};

/** Every list that can be downloaded, by the name in its address (`/exports/<name>.csv`). */
export const EXPORT_LISTS: ReadonlyMap<string, ExportList> = new Map(
  [actions, spend, measurements, returns, comparison, activity, learning].map((l) => [l.name, l]),
);
