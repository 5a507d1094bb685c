import type { FastifyInstance } from 'fastify';
import { commandFields, dateField, formFields, newCommandId, shownState, submitForm } from '../forms.js';
import { type Page, pageHandler } from '../page.js';
import type { WebRouteDeps } from '../routes.js';
import { UUID, actionArgs, areaAllowing, areaCodeOf, notFound } from './area-page.js';
import { lifecycleChanges, statusTag } from './area.view.js';

const PARTNER_SECTORS = ['COUNCIL', 'POLICE', 'SCHOOLS', 'NHS', 'VOLUNTARY', 'FAITH', 'BUSINESS', 'OTHER'];

export const PLAN_FIELDS = {
  'input.title': 'title',
  'input.description': 'description',
  'input.themes': 'themes',
  'input.leadPartnerId': 'leadPartnerId',
  'input.partnerIds': 'partnerIds',
  'input.plannedStart': 'plannedStart-day',
  'input.plannedEnd': 'plannedEnd-day',
};
export const PLAN_LABELS = {
  title: 'Title',
  description: 'Description',
  themes: 'Themes',
  leadPartnerId: 'Lead partner',
  partnerIds: 'Other partners',
  'plannedStart-day': 'Planned start',
  'plannedEnd-day': 'Planned end',
};

/** How each lifecycle change is asked for, and which mutation makes it. */
export const LIFECYCLE: Record<
  string,
  {
    mutation: string;
    inputType: string;
    verb: string;
    button: string;
    done: string;
    text?: { name: 'reason' | 'summary'; label: string; hint: string };
  }
> = {
  start: {
    mutation: 'startAction',
    inputType: 'StartActionInput',
    verb: 'Start',
    button: 'Start action',
    done: 'Action started',
  },
  pause: {
    mutation: 'pauseAction',
    inputType: 'PauseActionInput',
    verb: 'Put on hold',
    button: 'Put action on hold',
    done: 'Action put on hold',
    text: { name: 'reason', label: 'Why is the action on hold?', hint: 'The central team sees this reason.' },
  },
  resume: {
    mutation: 'resumeAction',
    inputType: 'ResumeActionInput',
    verb: 'Resume',
    button: 'Resume action',
    done: 'Action resumed',
  },
  complete: {
    mutation: 'completeAction',
    inputType: 'CompleteActionInput',
    verb: 'Complete',
    button: 'Complete action',
    done: 'Action completed',
    text: {
      name: 'summary',
      label: 'What did the action achieve?',
      hint: 'A short summary of its results, for the central team and other pilots.',
    },
  },
  cancel: {
    mutation: 'cancelAction',
    inputType: 'CancelActionInput',
    verb: 'Cancel',
    button: 'Cancel action',
    done: 'Action cancelled',
    text: {
      name: 'reason',
      label: 'Why is the action cancelled?',
      hint: 'The central team sees this reason.',
    },
  },
};

const ACTION_FOR_FORM = `query ActionForForm($id: ID!, $code: String!) {
  action(id: $id) { id areaCode title status plannedStart revision }
  area(code: $code) { code name }
}`;

interface ActionForForm {
  action: {
    id: string;
    areaCode: string;
    title: string;
    status: string;
    plannedStart: string;
    revision: number;
  } | null;
  area: { code: string; name: string } | null;
}

/** The plan form's choices (themes, lead and other partners) with what the person chose marked. */
export function planFormView(
  partners: readonly { id: string; name: string }[],
  themes: readonly { code: string; name: string }[],
  values: Record<string, string>,
): Record<string, unknown> {
  const chosenThemes = (values.themes ?? '').split(',').filter(Boolean);
  const chosenPartners = (values.partnerIds ?? '').split(',').filter(Boolean);
  return {
    values,
    themeItems: themes.map((t) => ({ value: t.code, text: t.name, checked: chosenThemes.includes(t.code) })),
    leadItems: [
      { value: '', text: 'Choose the lead partner' },
      ...partners.map((p) => ({ value: p.id, text: p.name, selected: p.id === values.leadPartnerId })),
    ],
    partnerItems: partners.map((p) => ({
      value: p.id,
      text: p.name,
      checked: chosenPartners.includes(p.id),
    })),
  };
}

/**
 * The plan form's answers (planning an action, or changing its plan) as the API's input, and as kept for the
 * form shown again (lists joined); the page's own problems (no theme or lead partner chosen, the dates) go in
 * `problems`.
 */
export function planAnswers(
  page: Page,
  problems: Record<string, string>,
): { input: Record<string, unknown>; values: Record<string, string> } {
  const themes = page.values('themes');
  const partnerIds = page.values('partnerIds').filter((p) => p !== page.body.leadPartnerId);
  // Nothing chosen is said as GOV.UK's choices say it; the API checks the rest with them (see submitForm).
  if (themes.length === 0) problems.themes = 'Select at least one theme';
  if (!page.body.leadPartnerId) problems.leadPartnerId = 'Choose the lead partner';
  return {
    input: {
      title: page.body.title ?? '',
      description: page.body.description ?? '',
      themes,
      leadPartnerId: page.body.leadPartnerId ?? '',
      partnerIds,
      plannedStart: dateField(page, 'plannedStart', 'The planned start date', true, problems),
      plannedEnd: dateField(page, 'plannedEnd', 'The planned end date', true, problems),
    },
    values: { ...page.body, themes: themes.join(','), partnerIds: partnerIds.join(',') },
  };
}

/** Plan an action, move it through its lifecycle, register a partner. */
export async function actionFormRoutes(web: FastifyInstance, { graphql }: WebRouteDeps): Promise<void> {
  // ------------------------------------------------------------------------------------------ plan an action
  web.get(
    '/areas/:code/actions/new',
    pageHandler(graphql, async (page) => {
      const code = await areaAllowing(page, 'planAction');
      const data = await page.query<{
        area: { code: string; name: string; partners: { id: string; name: string }[] } | null;
        themes: { code: string; name: string; kind: string }[];
      }>(
        `query PlanActionForm($code: String!) {
          area(code: $code) { code name partners { id name } }
          themes { code name kind }
        }`,
        { code },
      );
      if (!data.area) notFound('The area');
      const { values, errors } = shownState(page.takeForm(`plan-action-${code}`));
      return page.render('area/plan-action', {
        ...planFormView(data.area.partners, data.themes, values),
        area: data.area,
        errors: errors.summary,
        fieldErrors: errors.byField,
        commandId: newCommandId(),
      });
    }),
  );

  web.post(
    '/areas/:code/actions/new',
    pageHandler(graphql, async (page) => {
      const code = await areaAllowing(page, 'planAction');
      const problems: Record<string, string> = {};
      const plan = planAnswers(page, problems);
      const data = await submitForm(page, {
        form: `plan-action-${code}`,
        again: `/areas/${code}/actions/new`,
        problems,
        fields: PLAN_FIELDS,
        labels: PLAN_LABELS,
        enter: { title: 'a title' },
        values: plan.values,
        run: () =>
          page.run<{ planAction: { id: string; title: string } }>(
            `mutation PlanAction($input: PlanActionInput!) { planAction(input: $input) { id title } }`,
            { input: { ...commandFields(page.body), areaCode: code, ...plan.input } },
          ),
      });
      if (!data) return;
      const action = data.planAction;
      return page.redirect(`/areas/${code}/actions/${action.id}`, {
        success: { heading: 'Action planned', body: `${action.title} is in your action plan.` },
      });
    }),
  );

  // ------------------------------------------------------------------------------- lifecycle of an action
  const loadAction = async (page: Page) => {
    const code = areaCodeOf(page);
    const id = (page.params.id ?? '').toLowerCase();
    const change = LIFECYCLE[page.params.change ?? ''];
    if (!UUID.test(id) || !change) notFound('The page');
    await page.requireMay(change.mutation, actionArgs(id));
    const data = await page.query<ActionForForm>(ACTION_FOR_FORM, { id, code });
    if (!data.action || !data.area || data.action.areaCode !== code) notFound('The action');
    return { code, id, change, action: data.action, area: data.area };
  };

  web.get(
    '/areas/:code/actions/:id/:change',
    pageHandler(graphql, async (page) => {
      const { code, id, change, action, area } = await loadAction(page);
      const { values, errors } = shownState(page.takeForm(`${page.params.change}-${id}`));
      const allowed = lifecycleChanges(action.status).includes(page.params.change ?? '');
      return page.render('area/lifecycle', {
        area,
        action: { ...action, tag: statusTag(action.status) },
        change,
        changeName: page.params.change,
        allowed,
        ...formFields(values, errors),
        backLink: `/areas/${code}/actions/${id}`,
      });
    }),
  );

  web.post(
    '/areas/:code/actions/:id/:change',
    pageHandler(graphql, async (page) => {
      const { code, id, change } = await loadAction(page);
      const problems: Record<string, string> = {};
      const on = dateField(page, 'on', 'The date', false, problems);
      const text = change.text ? { [change.text.name]: page.body[change.text.name] ?? '' } : {};
      const data = await submitForm(page, {
        form: `${page.params.change}-${id}`,
        again: `/areas/${code}/actions/${id}/${page.params.change}`,
        problems,
        fields: { 'input.on': 'on-day', 'input.reason': 'reason', 'input.summary': 'summary' },
        labels: { reason: 'Reason', summary: 'Summary', 'on-day': 'Date' },
        run: () =>
          page.run(
            `mutation Change($input: ${change.inputType}!) { ${change.mutation}(input: $input) { id status } }`,
            { input: { actionId: id, ...commandFields(page.body), ...(on ? { on } : {}), ...text } },
          ),
      });
      if (!data) return;
      return page.redirect(`/areas/${code}/actions/${id}`, { success: { heading: change.done } });
    }),
  );

  // ------------------------------------------------------------------------------------ register a partner
  web.get(
    '/areas/:code/partners/new',
    pageHandler(graphql, async (page) => {
      const code = await areaAllowing(page, 'registerPartner');
      const data = await page.query<{ area: { code: string; name: string; revision: number } | null }>(
        `query PartnerForm($code: String!) { area(code: $code) { code name revision } }`,
        { code },
      );
      if (!data.area) notFound('The area');
      const { values, errors } = shownState(page.takeForm(`partner-${code}`));
      return page.render('area/register-partner', {
        area: data.area,
        ...formFields(values, errors),
        sectorItems: PARTNER_SECTORS.map((s) => ({
          value: s,
          text: statusTag(s).text.replace('Nhs', 'NHS'),
          checked: values.sector === s,
        })),
      });
    }),
  );

  web.post(
    '/areas/:code/partners/new',
    pageHandler(graphql, async (page) => {
      const code = await areaAllowing(page, 'registerPartner');
      const problems: Record<string, string> = {};
      if (!page.body.sector) problems.sector = 'Select the sector the partner belongs to';
      const data = await submitForm(page, {
        form: `partner-${code}`,
        again: `/areas/${code}/partners/new`,
        problems,
        fields: { 'input.name': 'name', 'input.sector': 'sector' },
        labels: { name: 'Name' },
        run: () =>
          page.run<{ registerPartner: { name: string } }>(
            `mutation RegisterPartner($input: RegisterPartnerInput!) { registerPartner(input: $input) { id name } }`,
            {
              input: {
                areaCode: code,
                ...commandFields(page.body),
                name: page.body.name ?? '',
                // None chosen is the page's to say: the API then only checks the rest, with a sector in its place.
                sector: page.body.sector || PARTNER_SECTORS[0],
              },
            },
          ),
      });
      if (!data) return;
      return page.redirect(`/areas/${code}#partners`, {
        success: {
          heading: 'Partner registered',
          body: `${data.registerPartner.name} is in your partnership.`,
        },
      });
    }),
  );
}
