import type { FastifyInstance } from 'fastify';
import { commandFields, dateField, formFields, newCommandId, shownState, submitForm } from '../forms.js';
import { type Page, pageHandler } from '../page.js';
import type { WebRouteDeps } from '../routes.js';
import { PLAN_FIELDS, PLAN_LABELS, planAnswers, planFormView } from './action-forms.routes.js';
import { UUID, actionArgs, areaCodeOf, notFound } from './area-page.js';
import { type ActionAnswer, statusTag } from './area.view.js';

const ACTION_PLAN = `query ActionPlan($id: ID!, $code: String!) {
  action(id: $id) {
    id areaCode title description status themes leadPartnerId partnerIds plannedStart plannedEnd revision
    milestones { id title dueDate reachedOn note }
  }
  area(code: $code) { code name partners { id name } }
  themes { code name }
}`;

interface ActionPlan {
  action: Pick<
    ActionAnswer,
    | 'id'
    | 'areaCode'
    | 'title'
    | 'description'
    | 'status'
    | 'themes'
    | 'leadPartnerId'
    | 'partnerIds'
    | 'plannedStart'
    | 'plannedEnd'
    | 'revision'
    | 'milestones'
  > | null;
  area: { code: string; name: string; partners: { id: string; name: string }[] } | null;
  themes: { code: string; name: string }[];
}

/** A date as a GOV.UK date input's three fields (`plannedStart-day`…), for a form drawn from the record. */
function dateValues(name: string, iso: string): Record<string, string> {
  const [y, m, d] = iso.split('-');
  return {
    [`${name}-day`]: String(Number(d)),
    [`${name}-month`]: String(Number(m)),
    [`${name}-year`]: y ?? '',
  };
}

const REVISE_FIELDS = {
  ...PLAN_FIELDS,
  'input.reason': 'reason',
  'input.addMilestones': 'milestoneTitle',
  'input.addMilestones.0.title': 'milestoneTitle',
  'input.addMilestones.0.dueDate': 'milestoneDue-day',
};
const REVISE_LABELS = {
  ...PLAN_LABELS,
  reason: 'Reason',
  milestoneTitle: 'Milestone',
  'milestoneDue-day': 'The milestone’s due date',
};

/** Change an action's plan (revise it), and record that a milestone of it was reached. */
export async function actionPlanRoutes(web: FastifyInstance, { graphql }: WebRouteDeps): Promise<void> {
  /** The action of the address, in its area, once the person may run `operation` on it. */
  const load = async (page: Page, operation: string) => {
    const code = areaCodeOf(page);
    const id = (page.params.id ?? '').toLowerCase();
    if (!UUID.test(id)) notFound('The action');
    await page.requireMay(operation, actionArgs(id));
    const data = await page.query<ActionPlan>(ACTION_PLAN, { id, code });
    if (!data.action || !data.area || data.action.areaCode !== code) notFound('The action');
    return { code, id, action: data.action, area: data.area, themes: data.themes };
  };

  // ------------------------------------------------------------------------------------ change the plan
  web.get(
    '/areas/:code/actions/:id/plan',
    pageHandler(graphql, async (page) => {
      const { code, id, action, area, themes } = await load(page, 'reviseAction');
      const state = page.takeForm(`revise-${id}`);
      const kept = shownState(state);
      const values = state
        ? kept.values
        : {
            title: action.title,
            description: action.description,
            themes: action.themes.join(','),
            leadPartnerId: action.leadPartnerId,
            partnerIds: action.partnerIds.join(','),
            ...dateValues('plannedStart', action.plannedStart),
            ...dateValues('plannedEnd', action.plannedEnd),
          };
      return page.render('area/plan-action', {
        ...planFormView(area.partners, themes, values),
        area,
        revising: { ...action, tag: statusTag(action.status) },
        live: !['COMPLETED', 'CANCELLED'].includes(action.status),
        errors: kept.errors.summary,
        fieldErrors: kept.errors.byField,
        commandId: newCommandId(),
        backLink: `/areas/${code}/actions/${id}`,
      });
    }),
  );

  web.post(
    '/areas/:code/actions/:id/plan',
    pageHandler(graphql, async (page) => {
      const { code, id } = await load(page, 'reviseAction');
      const problems: Record<string, string> = {};
      const plan = planAnswers(page, problems);
      const milestoneTitle = (page.body.milestoneTitle ?? '').trim();
      const due = dateField(page, 'milestoneDue', 'The milestone’s due date', !!milestoneTitle, problems);
      if (due && !milestoneTitle) problems.milestoneTitle = 'Enter the milestone, or leave its date blank';
      const data = await submitForm(page, {
        form: `revise-${id}`,
        again: `/areas/${code}/actions/${id}/plan`,
        problems,
        fields: REVISE_FIELDS,
        labels: REVISE_LABELS,
        values: plan.values,
        run: () =>
          page.run<{ reviseAction: { id: string; title: string } }>(
            `mutation ReviseAction($input: ReviseActionInput!) { reviseAction(input: $input) { id title } }`,
            {
              input: {
                actionId: id,
                ...commandFields(page.body),
                reason: page.body.reason ?? '',
                ...plan.input,
                ...(milestoneTitle ? { addMilestones: [{ title: milestoneTitle, dueDate: due }] } : {}),
              },
            },
          ),
      });
      if (!data) return;
      return page.redirect(`/areas/${code}/actions/${id}`, {
        success: {
          heading: 'Plan changed',
          body: `${data.reviseAction.title}: the change and its reason are in its history.`,
        },
      });
    }),
  );

  // ------------------------------------------------------------------------------- a milestone reached
  const milestonePath = '/areas/:code/actions/:id/milestones/:milestone/reached';
  const loadMilestone = async (page: Page) => {
    const loaded = await load(page, 'reachMilestone');
    const milestone = loaded.action.milestones.find((m) => m.id === page.params.milestone);
    if (!milestone) notFound('The milestone');
    return { ...loaded, milestone };
  };

  web.get(
    milestonePath,
    pageHandler(graphql, async (page) => {
      const { code, id, action, area, milestone } = await loadMilestone(page);
      const { values, errors } = shownState(page.takeForm(`milestone-${milestone.id}`));
      return page.render('area/milestone-reached', {
        area,
        action: { ...action, tag: statusTag(action.status) },
        milestone,
        ...formFields(values, errors),
        backLink: `/areas/${code}/actions/${id}`,
      });
    }),
  );

  web.post(
    milestonePath,
    pageHandler(graphql, async (page) => {
      const { code, id, milestone } = await loadMilestone(page);
      const problems: Record<string, string> = {};
      const on = dateField(page, 'on', 'The date', false, problems);
      const data = await submitForm(page, {
        form: `milestone-${milestone.id}`,
        again: `/areas/${code}/actions/${id}/milestones/${milestone.id}/reached`,
        problems,
        fields: { 'input.on': 'on-day', 'input.note': 'note' },
        labels: { note: 'Note', 'on-day': 'The date' },
        run: () =>
          page.run(`mutation Reach($input: ReachMilestoneInput!) { reachMilestone(input: $input) { id } }`, {
            input: {
              actionId: id,
              milestoneId: milestone.id,
              ...commandFields(page.body),
              note: page.body.note ?? '',
              ...(on ? { on } : {}),
            },
          }),
      });
      if (!data) return;
      return page.redirect(`/areas/${code}/actions/${id}`, {
        success: { heading: 'Milestone reached', body: `${milestone.title} is recorded as reached.` },
      });
    }),
  );
}
