import type { FastifyInstance } from 'fastify';
import { todayInEngland } from '../../../../src/shared/periods.js';
import { commandFields, newCommandId, shownState, submitForm } from '../forms.js';
import { OperationFailed } from '../graphql.js';
import { type Page, pageHandler } from '../page.js';
import type { WebRouteDeps } from '../routes.js';
import { RETURN_TAG } from './programme.view.js';
import {
  type AreaReturns,
  type ReturnRow,
  compareReturns,
  dueReturns,
  previousQuarter,
  quarterFromSlug,
  quarterSlug,
  waitingReturns,
} from './returns.view.js';

const ALL_RETURNS = `query ReturnsQueue {
  areas { code name kind fundingYears { year } returns { quarter status startDate endDate submittedAt submissions } }
}`;

const ONE_RETURN = `query ReturnForReview($code: String!, $stream: String!) {
  area(code: $code) {
    code name
    returns {
      quarter status startDate endDate submittedAt decidedAt submissions note comments revision
      snapshot { spend measurements actionsByStatus { status count } }
    }
  }
  history(stream: $stream) { eventId type recordedAt actorName data }
}`;

const EVENT_WORDS: Readonly<Record<string, string>> = {
  ReturnSubmitted: 'submitted',
  ReturnApproved: 'approved',
  ReturnSentBack: 'sent back',
};

const RETURN_FIELDS = 'areaCode quarter status revision';

const APPROVE = `mutation ApproveReturn($input: ApproveReturnInput!) { approveReturn(input: $input) { ${RETURN_FIELDS} } }`;
const SEND_BACK = `mutation SendBackReturn($input: SendBackReturnInput!) { sendBackReturn(input: $input) { ${RETURN_FIELDS} } }`;

/** The return a URL names (/returns/E08000030/2020-21-Q4), or the 404 page. */
function returnOf(page: Page): { areaCode: string; quarter: string; slug: string } {
  const areaCode = page.params.area ?? '';
  const quarter = quarterFromSlug(page.params.quarter ?? '');
  if (!quarter || !/^[EWSN]\d{8}$/.test(areaCode))
    throw new OperationFailed([{ code: 'NOT_FOUND', message: 'No such return', extensions: {} }]);
  return { areaCode, quarter, slug: quarterSlug(quarter) };
}

/** The returns queue, returns due and overdue, and the review of one return (approve, or send back). */
export async function returnsRoutes(
  web: FastifyInstance,
  { graphql, settings }: WebRouteDeps,
): Promise<void> {
  const dueDays = settings.returnDueDays ?? 30;

  web.get(
    '/returns',
    pageHandler(graphql, async (page) => {
      page.requireSignedIn();
      await page.requireMay('approveReturn', { input: { areaCode: 'E06000008', quarter: '2019-20 Q1' } });
      const { areas } = await page.query<{ areas: AreaReturns[] }>(ALL_RETURNS);
      const today = todayInEngland(new Date());
      return page.render('central/returns', {
        waiting: waitingReturns(areas),
        due: dueReturns(areas, today, dueDays),
        dueDays,
        today,
      });
    }),
  );

  web.get(
    '/returns/:area/:quarter',
    pageHandler(graphql, async (page) => {
      const { areaCode, quarter, slug } = returnOf(page);
      await page.requireMay('approveReturn', { input: { areaCode, quarter } });
      const { area, history } = await page
        .query<{
          area: { code: string; name: string; returns: ReturnRow[] } | null;
          history: {
            eventId: string;
            type: string;
            recordedAt: string;
            actorName: string | null;
            data: { quarter?: string };
          }[];
        }>(ONE_RETURN, { code: areaCode, stream: `return-${areaCode}` })
        .catch((error: unknown) => {
          // An area with no return yet has no history: its return is not found either.
          if (error instanceof OperationFailed && error.code === 'NOT_FOUND')
            throw new OperationFailed([{ code: 'NOT_FOUND', message: 'No such return', extensions: {} }]);
          throw error;
        });
      const current = area?.returns.find((r) => r.quarter === quarter);
      if (!area || !current)
        throw new OperationFailed([{ code: 'NOT_FOUND', message: 'No such return', extensions: {} }]);
      const before = previousQuarter(quarter);
      const previous = area.returns.find((r) => r.quarter === before);
      const events = history.filter((e) => e.data.quarter === quarter);
      const submitted = [...events].reverse().find((e) => e.type === 'ReturnSubmitted');
      const kept = shownState(page.takeForm(`return-${areaCode}-${slug}`));
      return page.render('central/return', {
        area,
        ret: current,
        tag: RETURN_TAG[current.status],
        slug,
        previousQuarter: before,
        previous,
        comparison: compareReturns(current.snapshot, previous?.snapshot),
        submittedBy: submitted?.actorName ?? null,
        events: [...events].reverse().map((e) => ({ ...e, what: EVENT_WORDS[e.type] ?? e.type })),
        commandId: newCommandId(),
        values: kept.values,
        errors: kept.errors.summary,
        errorByField: kept.errors.byField,
      });
    }),
  );

  for (const decision of ['approve', 'send-back'] as const) {
    web.post(
      `/returns/:area/:quarter/${decision}`,
      pageHandler(graphql, async (page) => {
        const { areaCode, quarter, slug } = returnOf(page);
        const operation = decision === 'approve' ? 'approveReturn' : 'sendBackReturn';
        await page.requireMay(operation, { input: { areaCode, quarter } });
        const field = decision === 'approve' ? 'approveComments' : 'sendBackComments';
        const comments = (page.body[field] ?? '').trim();
        const here = `/returns/${areaCode}/${slug}`;
        const data = await submitForm(page, {
          form: `return-${areaCode}-${slug}`,
          again: here,
          // A refusal of the decision itself (the return is no longer waiting) is shown beside the comments.
          fields: { 'input.comments': field, 'input.quarter': field },
          values: { [field]: comments },
          run: () =>
            page.run<Record<string, { status: string }>>(decision === 'approve' ? APPROVE : SEND_BACK, {
              input: { areaCode, quarter, comments, ...commandFields(page.body) },
            }),
        });
        if (!data) return;
        const name = (page.body.areaName ?? areaCode).slice(0, 100);
        return page.redirect('/returns', {
          success:
            decision === 'approve'
              ? { heading: `${name}'s return for ${quarter} is approved`, body: 'The quarter stays locked.' }
              : {
                  heading: `${name}'s return for ${quarter} is sent back`,
                  body: 'The quarter is unlocked so that the pilot can correct it and submit it again.',
                },
        });
      }),
    );
  }
}
