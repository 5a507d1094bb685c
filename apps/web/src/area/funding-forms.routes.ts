import type { FastifyInstance } from 'fastify';
import { amountField, commandFields, formFields, shownState, submitForm } from '../forms.js';
import { pounds } from '../format.js';
import { type Page, pageHandler } from '../page.js';
import type { WebRouteDeps } from '../routes.js';
import { areaAllowing, notFound } from './area-page.js';
import {
  type FundingYearTotals,
  type QuarterReturn,
  type QuarterSpend,
  quarterChoices,
  statusTag,
} from './area.view.js';

interface FundingFormData {
  area: {
    code: string;
    name: string;
    partners: { id: string; name: string }[];
    actions: { nodes: { id: string; title: string; status: string }[] };
    fundingYears: (FundingYearTotals & {
      commitments: { actionId: string; committedPence: number }[];
      spend: (QuarterSpend & { originalPence: number; note: string })[];
    })[];
    returns: QuarterReturn[];
  } | null;
}

const FUNDING_FORM = `query FundingForm($code: String!) {
  area(code: $code) {
    code name
    partners { id name }
    actions(first: 100) { nodes { id title status } }
    fundingYears {
      year allocatedPence committedPence uncommittedPence revision
      commitments { actionId committedPence }
      spend { actionId quarter amountPence originalPence note }
    }
    returns { quarter status locked }
  }
}`;

/** The area's funding as the forms need it (404 for an unknown area). */
async function fundingOf(page: Page, code: string) {
  const data = await page.query<FundingFormData>(FUNDING_FORM, { code });
  if (!data.area) notFound('The area');
  const area = data.area;
  const years = [...area.fundingYears].sort((a, b) => a.year.localeCompare(b.year));
  // The funding record's revision (one stream per area: every year carries the same number).
  const revision = Math.max(-1, ...years.map((y) => y.revision));
  const actionItems = (selected: string | undefined, live: boolean) => [
    { value: '', text: 'Choose an action' },
    ...area.actions.nodes
      .filter((a) => !live || !['COMPLETED', 'CANCELLED'].includes(a.status))
      .map((a) => ({
        value: a.id,
        text: `${a.title} (${statusTag(a.status).text.toLowerCase()})`,
        selected: a.id === selected,
      })),
  ];
  return { area, years, revision: revision >= 0 ? revision : undefined, actionItems };
}

/** The money forms' fields, in the order each form shows those it has (the error summary's order). */
const MONEY_FIELDS = {
  'input.partnerId': 'partnerId',
  'input.actionId': 'actionId',
  'input.year': 'year',
  'input.quarter': 'quarter',
  'input.kind': 'kind',
  'input.amountPence': 'amount',
  'input.note': 'note',
  'input.reason': 'reason',
  'input.description': 'description',
};
const MONEY_LABELS = {
  actionId: 'Action',
  year: 'Year',
  quarter: 'Quarter',
  amount: 'Amount',
  note: 'Note',
  reason: 'Reason',
  partnerId: 'Partner',
  description: 'Description',
};

/** Commit funds, report a quarter's spend and correct it, record match funding. */
export async function fundingFormRoutes(web: FastifyInstance, { graphql }: WebRouteDeps): Promise<void> {
  /** Runs a funding mutation unless the page's own reading of the form already failed; PRG either way. */
  const submit = async (
    page: Page,
    form: string,
    again: string,
    problems: Record<string, string>,
    mutation: string,
    inputType: string,
    input: Record<string, unknown>,
  ): Promise<boolean> =>
    (await submitForm(page, {
      form,
      again,
      problems,
      fields: MONEY_FIELDS,
      labels: MONEY_LABELS,
      run: () =>
        page.run(`mutation M($input: ${inputType}!) { ${mutation}(input: $input) { year } }`, {
          input: { ...input, ...commandFields(page.body) },
        }),
    })) !== undefined;

  // ------------------------------------------------------------------------------------------ commit funds
  web.get(
    '/areas/:code/funding/commit',
    pageHandler(graphql, async (page) => {
      const code = await areaAllowing(page, 'commitFunds');
      const { area, years, revision, actionItems } = await fundingOf(page, code);
      const { values, errors } = shownState(page.takeForm(`commit-${code}`));
      const chosenYear = values.year ?? years.at(-1)?.year;
      return page.render('area/commit-funds', {
        area,
        ...formFields(values, errors),
        actionItems: actionItems(values.actionId ?? page.search.action, true),
        yearItems: years.map((y) => ({
          value: y.year,
          text: y.year,
          hint: { text: `${pounds(y.uncommittedPence)} can still be committed` },
          checked: y.year === chosenYear,
        })),
        revision,
      });
    }),
  );

  web.post(
    '/areas/:code/funding/commit',
    pageHandler(graphql, async (page) => {
      const code = await areaAllowing(page, 'commitFunds');
      const problems: Record<string, string> = {};
      if (!page.body.actionId) problems.actionId = 'Choose the action to commit funds to';
      const amountPence = amountField(page.body.amount, 'Enter the amount to commit, in pounds', problems);
      const ok = await submit(
        page,
        `commit-${code}`,
        `/areas/${code}/funding/commit`,
        problems,
        'commitFunds',
        'CommitFundsInput',
        {
          areaCode: code,
          actionId: page.body.actionId ?? '',
          year: page.body.year ?? '',
          amountPence,
          note: page.body.note ?? '',
        },
      );
      if (!ok) return;
      return page.redirect(`/areas/${code}/actions/${page.body.actionId}`, {
        success: {
          heading: 'Funds committed',
          body: `${pounds(amountPence)} committed in ${page.body.year}.`,
        },
      });
    }),
  );

  // ------------------------------------------------------------------------------------ report a quarter's spend
  web.get(
    '/areas/:code/funding/spend',
    pageHandler(graphql, async (page) => {
      const code = await areaAllowing(page, 'reportSpend');
      const { area, years, revision, actionItems } = await fundingOf(page, code);
      const { values, errors } = shownState(page.takeForm(`spend-${code}`));
      const chosen = values.quarter ?? page.search.quarter;
      const quarters = quarterChoices(
        years.map((y) => y.year),
        area.returns,
        chosen,
      );
      const chosenQuarter = quarters.find((q) => q.value === chosen);
      return page.render('area/report-spend', {
        area,
        ...formFields(values, errors),
        actionItems: actionItems(values.actionId ?? page.search.action, false),
        quarterItems: [{ value: '', text: 'Choose a quarter' }, ...quarters],
        lockedQuarters: quarters.filter((q) => q.locked),
        // Spend goes in a quarter of a year with grant: when each of them is locked, say so rather than offer none.
        noOpenQuarter: quarters.every((q) => q.locked),
        grantYears: years.map((y) => y.year).sort(),
        chosenLocked: chosenQuarter?.locked ? chosenQuarter : undefined,
        revision,
      });
    }),
  );

  web.post(
    '/areas/:code/funding/spend',
    pageHandler(graphql, async (page) => {
      const code = await areaAllowing(page, 'reportSpend');
      const problems: Record<string, string> = {};
      if (!page.body.actionId) problems.actionId = 'Choose the action the money was spent on';
      if (!page.body.quarter) problems.quarter = 'Choose the quarter the money was spent in';
      const amountPence = amountField(page.body.amount, 'Enter the amount spent, in pounds', problems);
      const ok = await submit(
        page,
        `spend-${code}`,
        `/areas/${code}/funding/spend`,
        problems,
        'reportSpend',
        'ReportSpendInput',
        {
          areaCode: code,
          actionId: page.body.actionId ?? '',
          quarter: page.body.quarter ?? '',
          amountPence,
          note: page.body.note ?? '',
        },
      );
      if (!ok) return;
      return page.redirect(`/areas/${code}#funding`, {
        success: {
          heading: 'Spend reported',
          body: `${pounds(amountPence)} spent in ${page.body.quarter}.`,
        },
      });
    }),
  );

  // ---------------------------------------------------------------------------------------- correct spend
  web.get(
    '/areas/:code/funding/spend/correct',
    pageHandler(graphql, async (page) => {
      const code = await areaAllowing(page, 'correctSpend');
      const { area, years, revision } = await fundingOf(page, code);
      const actionId = (page.search.action ?? '').toLowerCase();
      const quarter = page.search.quarter ?? '';
      const reported = years
        .flatMap((y) => y.spend)
        .find((s) => s.actionId === actionId && s.quarter === quarter);
      const action = area.actions.nodes.find((a) => a.id === actionId);
      if (!reported || !action) notFound('The reported spend');
      const { values, errors } = shownState(page.takeForm(`correct-${actionId}-${quarter}`));
      const lock = area.returns.find((r) => r.quarter === quarter && r.locked);
      return page.render('area/correct-spend', {
        area,
        action,
        quarter,
        reported,
        lock,
        ...formFields(values, errors),
        revision,
      });
    }),
  );

  web.post(
    '/areas/:code/funding/spend/correct',
    pageHandler(graphql, async (page) => {
      const code = await areaAllowing(page, 'correctSpend');
      const actionId = (page.search.action ?? '').toLowerCase();
      const quarter = page.search.quarter ?? '';
      const problems: Record<string, string> = {};
      const amountPence = amountField(page.body.amount, 'Enter the correct amount, in pounds', problems);
      const again = `/areas/${code}/funding/spend/correct?action=${encodeURIComponent(actionId)}&quarter=${encodeURIComponent(quarter)}`;
      const ok = await submit(
        page,
        `correct-${actionId}-${quarter}`,
        again,
        problems,
        'correctSpend',
        'CorrectSpendInput',
        {
          areaCode: code,
          actionId,
          quarter,
          amountPence,
          reason: page.body.reason ?? '',
        },
      );
      if (!ok) return;
      return page.redirect(`/areas/${code}/actions/${actionId}`, {
        success: { heading: 'Spend corrected', body: `${quarter} is now ${pounds(amountPence)}.` },
      });
    }),
  );

  // ---------------------------------------------------------------------------------- record match funding
  web.get(
    '/areas/:code/funding/match/new',
    pageHandler(graphql, async (page) => {
      const code = await areaAllowing(page, 'recordMatchFunding');
      const { area, years, revision, actionItems } = await fundingOf(page, code);
      const { values, errors } = shownState(page.takeForm(`match-${code}`));
      const chosenYear = values.year ?? years.at(-1)?.year;
      return page.render('area/match-funding', {
        area,
        ...formFields(values, errors),
        partnerItems: [
          { value: '', text: 'Choose a partner' },
          ...area.partners.map((p) => ({ value: p.id, text: p.name, selected: p.id === values.partnerId })),
        ],
        actionItems: actionItems(values.actionId, false).map((a, i) =>
          i === 0 ? { ...a, text: 'None: the whole programme' } : a,
        ),
        yearItems: years.map((y) => ({ value: y.year, text: y.year, checked: y.year === chosenYear })),
        kindItems: [
          { value: 'CASH', text: 'Cash', checked: values.kind === 'CASH' },
          {
            value: 'IN_KIND',
            text: 'In kind',
            hint: { text: 'Staff time, venues or equipment, at their value in pounds' },
            checked: values.kind === 'IN_KIND',
          },
        ],
        revision,
      });
    }),
  );

  web.post(
    '/areas/:code/funding/match/new',
    pageHandler(graphql, async (page) => {
      const code = await areaAllowing(page, 'recordMatchFunding');
      const problems: Record<string, string> = {};
      if (!page.body.partnerId) problems.partnerId = 'Choose the partner contributing';
      if (!page.body.kind) problems.kind = 'Select whether the contribution is cash or in kind';
      const amountPence = amountField(page.body.amount, 'Enter the amount or value, in pounds', problems);
      const ok = await submit(
        page,
        `match-${code}`,
        `/areas/${code}/funding/match/new`,
        problems,
        'recordMatchFunding',
        'RecordMatchFundingInput',
        {
          areaCode: code,
          partnerId: page.body.partnerId ?? '',
          actionId: page.body.actionId || null,
          year: page.body.year ?? '',
          // None chosen is the page's to say: the API then only checks the rest, with a kind in its place.
          kind: page.body.kind || 'CASH',
          amountPence,
          description: page.body.description ?? '',
        },
      );
      if (!ok) return;
      return page.redirect(`/areas/${code}#funding`, {
        success: { heading: 'Match funding recorded', body: `${pounds(amountPence)} in ${page.body.year}.` },
      });
    }),
  );
}
