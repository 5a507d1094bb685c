import type { FastifyInstance } from 'fastify';
import { CACHED_PER_PERSON, pageHandler, viewerMay } from '../page.js';
import { UUID, actionArgs, areaArgs, areaCodeOf, notFound } from './area-page.js';
import type { WebRouteDeps } from '../routes.js';
import { actionFormRoutes } from './action-forms.routes.js';
import { actionPlanRoutes } from './action-plan.routes.js';
import { renderDecorativeChart } from '../charts.js';
import { fundingFormRoutes } from './funding-forms.routes.js';
import {
  ACTION_STATUSES,
  type ActionAnswer,
  type ActionSummary,
  type Commitment,
  type FundingYear,
  type QuarterReturn,
  type QuarterSpend,
  filterQuery,
  lifecycleChanges,
  spendByQuarter,
  spendChartSpec,
  statusTag,
} from './area.view.js';

interface Partner {
  readonly id: string;
  readonly name: string;
  readonly sector: string;
}

/** What the dashboard offers, each shown only where the API's policy lets the person run it. */
const DASHBOARD_OPERATIONS = [
  'planAction',
  'registerPartner',
  'commitFunds',
  'reportSpend',
  'recordMatchFunding',
  'allocateGrant',
];

export const DASHBOARD = `query AreaDashboard($code: String!, $filter: AreaActionFilter, $after: String, $may: JSON) {
  area(code: $code) {
    code name kind region
    partners { id name sector }
    actions(filter: $filter, first: 50, after: $after) {
      totalCount
      nodes { id title status themes leadPartnerId plannedStart plannedEnd }
      pageInfo { hasNextPage endCursor }
    }
    fundingYears {
      year allocatedPence committedPence spentPence matchCashPence matchInKindPence uncommittedPence spendRate revision
      spend { actionId quarter amountPence }
    }
  }
  themes { code name }
  ${viewerMay(Object.fromEntries(DASHBOARD_OPERATIONS.map((op) => [op, [op, '$may'] as const])))}
}`;

const ACTION_PAGE = `query ActionPage($id: ID!, $code: String!, $stream: String!, $actionArgs: JSON, $areaArgs: JSON) {
  action(id: $id) {
    id areaCode title description status themes leadPartnerId partnerIds plannedStart plannedEnd
    startedOn completedOn summary pausedOn pausedReason cancelledOn cancelledReason revision
    milestones { id title dueDate reachedOn note }
  }
  area(code: $code) {
    code name
    partners { id name sector }
    fundingYears {
      year
      commitments { actionId committedPence spentPence }
      spend { actionId quarter amountPence originalPence corrections note }
    }
    returns { quarter status locked }
  }
  history(stream: $stream) { eventId type recordedAt actorName summary }
  themes { code name }
  ${viewerMay({
    change: ['startAction', '$actionArgs'],
    revise: ['reviseAction', '$actionArgs'],
    reachMilestone: ['reachMilestone', '$actionArgs'],
    commitFunds: ['commitFunds', '$areaArgs'],
    reportSpend: ['reportSpend', '$areaArgs'],
    correctSpend: ['correctSpend', '$areaArgs'],
  })}
}`;

interface DashboardData {
  area: {
    code: string;
    name: string;
    kind: string;
    region: string;
    partners: Partner[];
    actions: {
      totalCount: number;
      nodes: ActionSummary[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
    fundingYears: FundingYear[];
  } | null;
  themes: { code: string; name: string }[];
  viewer: Record<string, boolean>;
}

/** The pilot's area: its dashboard, each action's page, and the forms that change them (own area only). */
export async function areaRoutes(web: FastifyInstance, deps: WebRouteDeps): Promise<void> {
  const { graphql } = deps;

  web.get(
    '/areas/:code',
    { config: CACHED_PER_PERSON },
    pageHandler(graphql, async (page) => {
      page.requireSignedIn();
      const code = areaCodeOf(page);
      const status = (ACTION_STATUSES as readonly string[]).includes(page.search.status ?? '')
        ? page.search.status
        : undefined;
      const theme = /^[A-Z][A-Z0-9_]{1,39}$/.test(page.search.theme ?? '') ? page.search.theme : undefined;
      const after = page.search.after || undefined;
      const data = await page.query<DashboardData>(DASHBOARD, {
        code,
        filter: { status: status ?? null, theme: theme ?? null },
        after: after ?? null,
        may: areaArgs(code),
      });
      if (!data.area) notFound('The area');
      const area = data.area;
      const partnerName = new Map(area.partners.map((p) => [p.id, p.name]));
      const themeName = new Map(data.themes.map((t) => [t.code, t.name]));
      const actions = area.actions.nodes.map((a) => ({
        ...a,
        tag: statusTag(a.status),
        leadPartner: partnerName.get(a.leadPartnerId) ?? '',
        themeNames: a.themes.map((t) => themeName.get(t) ?? t),
      }));
      const years = [...area.fundingYears].sort((a, b) => a.year.localeCompare(b.year));
      const quarters = spendByQuarter(years);
      const chart = quarters.length > 0 ? await renderDecorativeChart(spendChartSpec(quarters)) : undefined;
      return page.render('area/dashboard', {
        area,
        actions,
        totalActions: area.actions.totalCount,
        nextPage: area.actions.pageInfo.hasNextPage
          ? filterQuery({ status, theme, after: area.actions.pageInfo.endCursor ?? undefined })
          : undefined,
        filters: { status, theme },
        filtered: Boolean(status || theme),
        statusItems: [
          { value: '', text: 'Any status' },
          ...ACTION_STATUSES.map((s) => ({ value: s, text: statusTag(s).text, selected: s === status })),
        ],
        themeItems: [
          { value: '', text: 'Any theme' },
          ...data.themes.map((t) => ({ value: t.code, text: t.name, selected: t.code === theme })),
        ],
        years,
        quarters,
        chart,
        may: data.viewer,
      });
    }),
  );

  web.get(
    '/areas/:code/actions/:id',
    pageHandler(graphql, async (page) => {
      page.requireSignedIn();
      const code = areaCodeOf(page);
      const id = (page.params.id ?? '').toLowerCase();
      if (!UUID.test(id)) notFound('The action');
      const data = await page.query<ActionPageData>(ACTION_PAGE, {
        id,
        code,
        stream: `action-${id}`,
        actionArgs: actionArgs(id),
        areaArgs: areaArgs(code),
      });
      if (!data.action || !data.area || data.action.areaCode !== code) notFound('The action');
      return page.render('area/action', actionPageView(data));
    }),
  );

  await actionFormRoutes(web, deps);
  await actionPlanRoutes(web, deps);
  await fundingFormRoutes(web, deps);
}

interface ActionPageData {
  action: ActionAnswer | null;
  area: {
    code: string;
    name: string;
    partners: Partner[];
    fundingYears: {
      year: string;
      commitments: Commitment[];
      spend: (Required<QuarterSpend> & { note: string })[];
    }[];
    returns: QuarterReturn[];
  } | null;
  history: { eventId: string; type: string; recordedAt: string; actorName: string | null; summary: string }[];
  themes: { code: string; name: string }[];
  viewer: Record<string, boolean>;
}

function actionPageView(data: ActionPageData): Record<string, unknown> {
  const action = data.action!;
  const area = data.area!;
  const partnerName = new Map(area.partners.map((p) => [p.id, p.name]));
  const themeName = new Map(data.themes.map((t) => [t.code, t.name]));
  const locked = new Map(area.returns.map((r) => [r.quarter, r]));
  const years = [...area.fundingYears].sort((a, b) => a.year.localeCompare(b.year));
  const commitments = years.flatMap((y) =>
    y.commitments.filter((c) => c.actionId === action.id).map((c) => ({ year: y.year, ...c })),
  );
  const spend = years.flatMap((y) =>
    y.spend
      .filter((s) => s.actionId === action.id)
      .sort((a, b) => a.quarter.localeCompare(b.quarter))
      .map((s) => ({
        ...s,
        locked: locked.get(s.quarter)?.locked ?? false,
        returnStatus: locked.get(s.quarter)?.status ?? 'NOT_SUBMITTED',
      })),
  );
  return {
    area,
    action: {
      ...action,
      tag: statusTag(action.status),
      leadPartner: partnerName.get(action.leadPartnerId) ?? action.leadPartnerId,
      otherPartners: action.partnerIds.map((p) => partnerName.get(p) ?? p),
      themeNames: action.themes.map((t) => themeName.get(t) ?? t),
    },
    changes: data.viewer.change ? lifecycleChanges(action.status) : [],
    // A milestone is reached while the action is in progress (the API says why otherwise).
    mayReach: data.viewer.reachMilestone && action.status === 'IN_PROGRESS',
    live: !['COMPLETED', 'CANCELLED'].includes(action.status),
    commitments,
    spend,
    history: [...data.history].reverse(),
    may: data.viewer,
  };
}
