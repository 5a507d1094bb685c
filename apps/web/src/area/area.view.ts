import type { TopLevelSpec } from 'vega-lite';
import type { ActionRow } from '../../../../src/delivery/public-api.js';
import type { FundingTotals } from '../../../../src/funding/public-api.js';

/** What the area's pages read of an action, a funding year and a quarter's return (GraphQL field names). */
export interface ActionSummary {
  readonly id: string;
  readonly title: string;
  readonly status: string;
  readonly themes: readonly string[];
  readonly leadPartnerId: string;
  readonly plannedStart: string;
  readonly plannedEnd: string;
}

/** An action as the API answers it: the fields of its row, and its stream's revision. */
export type ActionAnswer = ActionRow & { readonly revision: number };

export interface QuarterSpend {
  readonly actionId: string;
  readonly quarter: string;
  readonly amountPence: number;
  readonly originalPence?: number;
  readonly corrections?: number;
}

/** Funds committed to an action in a year, and spent against them. */
export interface Commitment {
  readonly actionId: string;
  readonly committedPence: number;
  readonly spentPence: number;
}

/** A funding year as the API answers it: the year's totals (as the funding context keeps them), and more. */
export interface FundingYear extends Pick<
  FundingTotals,
  'year' | 'allocatedPence' | 'committedPence' | 'spentPence' | 'matchCashPence' | 'matchInKindPence'
> {
  readonly uncommittedPence: number;
  readonly spendRate: number | null;
  readonly revision: number;
  readonly spend: readonly QuarterSpend[];
  readonly commitments?: readonly Commitment[];
}

/** What a funding form reads of a year: its totals and the revision the form sends back. */
export type FundingYearTotals = Pick<
  FundingYear,
  'year' | 'allocatedPence' | 'committedPence' | 'uncommittedPence' | 'revision'
>;

export interface QuarterReturn {
  readonly quarter: string;
  readonly status: string;
  readonly locked: boolean;
}

/** An action's status as a GOV.UK tag. */
export function statusTag(status: string): { text: string; classes: string } {
  const colour: Record<string, string> = {
    PLANNED: 'govuk-tag--grey',
    IN_PROGRESS: 'govuk-tag--blue',
    PAUSED: 'govuk-tag--yellow',
    COMPLETED: 'govuk-tag--green',
    CANCELLED: 'govuk-tag--red',
  };
  const text = status.replace(/_/g, ' ').toLowerCase();
  return { text: text.charAt(0).toUpperCase() + text.slice(1), classes: colour[status] ?? 'govuk-tag--grey' };
}

export const ACTION_STATUSES = ['PLANNED', 'IN_PROGRESS', 'PAUSED', 'COMPLETED', 'CANCELLED'] as const;

/** The four quarters of a financial year ("2019-20" → "2019-20 Q1" … "2019-20 Q4"). */
export function quartersOf(year: string): string[] {
  return [1, 2, 3, 4].map((q) => `${year} Q${q}`);
}

/** Spend per quarter of every funded year, oldest first, each quarter's actions added up (none: 0). */
export function spendByQuarter(years: readonly FundingYear[]): { quarter: string; pence: number }[] {
  return [...years]
    .sort((a, b) => a.year.localeCompare(b.year))
    .flatMap((y) =>
      quartersOf(y.year).map((quarter) => ({
        quarter,
        pence: y.spend.filter((s) => s.quarter === quarter).reduce((sum, s) => sum + s.amountPence, 0),
      })),
    );
}

/** The bar chart of spend per quarter (pounds), in GOV.UK blue, a bar a quarter. */
export function spendChartSpec(quarters: readonly { quarter: string; pence: number }[]): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    width: 560,
    height: 220,
    background: 'white',
    config: {
      font: 'arial, sans-serif',
      axis: { labelFontSize: 12, titleFontSize: 13, labelColor: '#0b0c0c', titleColor: '#0b0c0c' },
      view: { stroke: null },
    },
    data: { values: quarters.map((q) => ({ quarter: q.quarter, pounds: q.pence / 100 })) },
    mark: { type: 'bar', color: '#1d70b8' },
    encoding: {
      x: {
        field: 'quarter',
        type: 'ordinal',
        sort: null,
        title: 'Quarter',
        axis: { labelAngle: -40 },
      },
      y: { field: 'pounds', type: 'quantitative', title: 'Spend (£)', axis: { format: ',.0f' } },
    },
  };
}

/** The quarters a spend form offers: every quarter of the funded years, open ones first, locked ones saying why. */
export function quarterChoices(
  years: readonly string[],
  returns: readonly QuarterReturn[],
  selected?: string,
): { value: string; text: string; selected: boolean; locked: boolean; status: string }[] {
  const byQuarter = new Map(returns.map((r) => [r.quarter, r]));
  const all = [...years].sort().flatMap((y) =>
    quartersOf(y).map((quarter) => {
      const r = byQuarter.get(quarter);
      const locked = r?.locked ?? false;
      const status = r?.status ?? 'NOT_SUBMITTED';
      return {
        value: quarter,
        text: locked ? `${quarter} (locked: return ${status.toLowerCase().replace(/_/g, ' ')})` : quarter,
        selected: quarter === selected,
        locked,
        status,
      };
    }),
  );
  return [...all.filter((q) => !q.locked), ...all.filter((q) => q.locked)];
}

/** Financial years around today's for the commit and match forms ("2024-25" on 1 December 2024). */
export function financialYearOf(isoDate: string): string {
  const [y, m] = isoDate.split('-').map(Number) as [number, number];
  const start = m >= 4 ? y : y - 1;
  return `${start}-${String((start + 1) % 100).padStart(2, '0')}`;
}

/** A query string for the dashboard's filters (empty values left out). */
export function filterQuery(filters: Readonly<Record<string, string | undefined>>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v) params.set(k, v);
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** Which lifecycle changes an action in a status offers (the API refuses the others). */
export function lifecycleChanges(status: string): string[] {
  switch (status) {
    case 'PLANNED':
      return ['start', 'cancel'];
    case 'IN_PROGRESS':
      return ['complete', 'pause', 'cancel'];
    case 'PAUSED':
      return ['resume', 'cancel'];
    default:
      return [];
  }
}
