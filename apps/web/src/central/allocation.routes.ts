import type { FastifyInstance } from 'fastify';
import { amountField, commandFields, dateField, newCommandId, shownState, submitForm } from '../forms.js';
import { pounds } from '../format.js';
import { type Page, pageHandler } from '../page.js';
import type { WebRouteDeps } from '../routes.js';
import { areaArgs, areaCodeOf, notFound } from '../area/area-page.js';
import type { FundingYearTotals } from '../area/area.view.js';
import { nextYear } from '../outcomes/outcomes.view.js';

/** The programme's own grant: the stream an allocation is from unless the central team names another. */
const PROGRAMME_STREAM = 'Integration Area Programme';

/** How the central team changes a pilot's grant, and which mutation makes each change. */
const ALLOCATION_CHANGES: Record<
  string,
  {
    mutation: string;
    inputType: string;
    heading: string;
    lead: string;
    button: string;
    done: string;
  }
> = {
  allocate: {
    mutation: 'allocateGrant',
    inputType: 'AllocateGrantInput',
    heading: 'Allocate grant',
    lead: 'Add to the grant the pilot may commit and spend in a financial year.',
    button: 'Allocate grant',
    done: 'Grant allocated',
  },
  move: {
    mutation: 'reprofileAllocation',
    inputType: 'ReprofileAllocationInput',
    heading: 'Move grant to another year',
    lead: 'Move part of a year’s uncommitted grant to another financial year (reprofiling).',
    button: 'Move grant',
    done: 'Grant moved',
  },
  reduce: {
    mutation: 'reduceAllocation',
    inputType: 'ReduceAllocationInput',
    heading: 'Claw back grant',
    lead: 'Take back part of a year’s grant that is not committed to an action.',
    button: 'Claw back grant',
    done: 'Grant clawed back',
  },
};

const FIELDS = {
  'input.year': 'year',
  'input.fromYear': 'year',
  'input.toYear': 'toYear',
  'input.fundingStream': 'fundingStream',
  'input.amountPence': 'amount',
  'input.note': 'note',
  'input.reason': 'reason',
  'input.awardedOn': 'awardedOn-day',
};
const LABELS = {
  year: 'Financial year',
  toYear: 'The year to move it to',
  fundingStream: 'Funding stream',
  amount: 'Amount',
  note: 'Note',
  reason: 'Reason',
  'awardedOn-day': 'Date awarded',
};
const YEAR = /^\d{4}-\d{2}$/;

interface AllocationData {
  area: {
    code: string;
    name: string;
    kind: string;
    fundingYears: (FundingYearTotals & { byStream: { fundingStream: string; allocatedPence: number }[] })[];
  } | null;
}

const ALLOCATION = `query Allocation($code: String!) {
  area(code: $code) {
    code name kind
    fundingYears { year allocatedPence committedPence uncommittedPence revision byStream { fundingStream allocatedPence } }
  }
}`;

/** The central team allocates a pilot's grant, moves it between years and claws it back. */
export async function allocationRoutes(web: FastifyInstance, { graphql }: WebRouteDeps): Promise<void> {
  const path = '/areas/:code/funding/allocation/:change';
  /** The area and the change its address names, once the API's policy lets this person make it. */
  const allowedChange = async (page: Page) => {
    const code = areaCodeOf(page);
    const name = page.params.change ?? '';
    const change = ALLOCATION_CHANGES[name];
    if (!change) notFound('The page');
    await page.requireMay(change.mutation, areaArgs(code));
    return { code, name, change };
  };

  web.get(
    path,
    pageHandler(graphql, async (page) => {
      const { code, name, change } = await allowedChange(page);
      const { area } = await page.query<AllocationData>(ALLOCATION, { code });
      if (!area) notFound('The area');
      const years = [...area.fundingYears].sort((a, b) => a.year.localeCompare(b.year));
      const revision = Math.max(-1, ...years.map((y) => y.revision));
      const { values, errors } = shownState(page.takeForm(`allocation-${name}-${code}`));
      const streams = [
        ...new Set([PROGRAMME_STREAM, ...years.flatMap((y) => y.byStream.map((s) => s.fundingStream))]),
      ];
      const latest = years.at(-1)?.year;
      const suggestedYear = latest ? nextYear(latest) : '';
      return page.render('central/allocation', {
        area,
        change,
        changeName: name,
        years,
        values: {
          fundingStream: PROGRAMME_STREAM,
          ...(name === 'allocate' ? { year: suggestedYear } : {}),
          ...values,
        },
        yearItems: years.map((y) => ({
          value: y.year,
          text: y.year,
          hint: {
            text: `${pounds(y.allocatedPence)} allocated, ${pounds(y.uncommittedPence)} not committed`,
          },
          checked: values.year === y.year,
        })),
        streams,
        errors: errors.summary,
        fieldErrors: errors.byField,
        revision: revision >= 0 ? revision : undefined,
        commandId: newCommandId(),
        backLink: `/areas/${code}#funding`,
      });
    }),
  );

  web.post(
    path,
    pageHandler(graphql, async (page) => {
      const { code, name, change } = await allowedChange(page);
      const body = page.body;
      const problems: Record<string, string> = {};
      const year = (body.year ?? '').trim();
      if (!year)
        problems.year = name === 'allocate' ? 'Enter the financial year, like 2022-23' : 'Select the year';
      else if (!YEAR.test(year)) problems.year = 'Enter the financial year like 2022-23';
      const toYear = (body.toYear ?? '').trim();
      if (name === 'move' && !toYear) problems.toYear = 'Enter the year to move the grant to, like 2022-23';
      const amountPence = amountField(body.amount, 'Enter the amount, in pounds', problems);
      const fundingStream = (body.fundingStream ?? '').trim();
      const awardedOn =
        name === 'allocate' ? dateField(page, 'awardedOn', 'Date awarded', false, problems) : '';
      const input =
        name === 'allocate'
          ? { year, fundingStream, amountPence, note: body.note ?? '', ...(awardedOn ? { awardedOn } : {}) }
          : name === 'move'
            ? { fromYear: year, toYear, fundingStream, amountPence, reason: body.reason ?? '' }
            : { year, fundingStream, amountPence, reason: body.reason ?? '' };
      const data = await submitForm(page, {
        form: `allocation-${name}-${code}`,
        again: `/areas/${code}/funding/allocation/${name}`,
        problems,
        fields: FIELDS,
        labels: LABELS,
        run: () =>
          page.run(
            `mutation M($input: ${change.inputType}!) { ${change.mutation}(input: $input) { year } }`,
            {
              input: { areaCode: code, ...input, ...commandFields(body) },
            },
          ),
      });
      if (!data) return;
      const amount = pounds(amountPence);
      return page.redirect(`/areas/${code}#funding`, {
        success: {
          heading: change.done,
          body:
            name === 'allocate'
              ? `${amount} allocated for ${year} from ${fundingStream}.`
              : name === 'move'
                ? `${amount} moved from ${year} to ${toYear}.`
                : `${amount} clawed back from ${year}.`,
        },
      });
    }),
  );
}
